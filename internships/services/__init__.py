"""Writes of the internship programme. Offers and internships lock the programme row first (one
short transaction), audit each change and queue their e-mails on commit."""


class InternshipError(Exception):
    """An action refused; `lines` are one problem each, every one starting with its reason code."""

    def __init__(self, lines: list[str] | str):
        self.lines = [lines] if isinstance(lines, str) else list(lines)
        super().__init__("\n".join(self.lines))

    @property
    def codes(self) -> list[str]:
        return [line.split(":", 1)[0].split(" ")[-1] for line in self.lines]


def problem(code: str, detail: str = "") -> str:
    return f"{code}: {detail}" if detail else code

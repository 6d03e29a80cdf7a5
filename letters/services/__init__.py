"""Writes after the final list. Every action locks the call row, applies itself, runs promotion
(contract placement-files §7) and audits each change; e-mails go out on commit."""


class PlacementError(Exception):
    """An action that cannot be done; `lines` are one message per problem, in the user's language."""

    def __init__(self, lines: list[str] | str):
        self.lines = [lines] if isinstance(lines, str) else list(lines)
        super().__init__("\n".join(self.lines))

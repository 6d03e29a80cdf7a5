"""City preferences (contract §4): 1–5 provinces by plate code, each with 1–5 districts or all (`*`).

Text form, as in `--cities`: `06:Çankaya,Keçiören;34:*`.
"""
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

MAX_CITIES = 5
MAX_DISTRICTS = 5
ALL = "*"


@dataclass(frozen=True)
class CityChoice:
    plate: str
    districts: tuple[str, ...]  # ("*",) = every district

    @property
    def all_districts(self) -> bool:
        return self.districts == (ALL,)

    def text(self) -> str:
        return f"{self.plate}:{','.join(self.districts)}"


class CityError(ValueError):
    def __init__(self, code: str, detail: str = ""):
        super().__init__(code)
        self.code = code
        self.detail = detail


def cities_parse(text: str) -> list[tuple[str, list[str]]]:
    """Split the text form; no checks against the data (see cities_check)."""
    out = []
    for part in (p.strip() for p in (text or "").split(";")):
        if not part:
            continue
        plate, sep, districts = part.partition(":")
        if not sep:
            raise CityError("bad_city", part)
        out.append((plate.strip(), [d.strip() for d in districts.split(",") if d.strip()]))
    return out


def cities_check(choices: Sequence[tuple[str, Sequence[str]]],
                 provinces: Mapping[str, Sequence[str]]) -> list[CityChoice]:
    """Validated choices, or CityError with the contract's code for the first problem."""
    if not choices:
        raise CityError("no_city")
    if len(choices) > MAX_CITIES:
        raise CityError("too_many_cities")
    seen: set[str] = set()
    result = []
    for plate, districts in choices:
        if plate not in provinces or plate in seen:
            raise CityError("bad_city", plate)
        seen.add(plate)
        if not districts:
            raise CityError("bad_city", plate)
        if ALL in districts:
            if len(districts) != 1:
                raise CityError("bad_city", plate)
            result.append(CityChoice(plate, (ALL,)))
            continue
        if len(districts) > MAX_DISTRICTS:
            raise CityError("too_many_districts", plate)
        known = provinces[plate]
        if any(d not in known for d in districts) or len(set(districts)) != len(districts):
            raise CityError("bad_city", plate)
        result.append(CityChoice(plate, tuple(districts)))
    return result


def cities_text(choices: Sequence[CityChoice]) -> str:
    return ";".join(c.text() for c in choices)

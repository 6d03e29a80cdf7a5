"""Provinces and districts of Türkiye, read once from the data file beside this module."""
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).with_name("data") / "tr_provinces_districts.txt"


@lru_cache(maxsize=1)
def provinces() -> dict[str, tuple[str, tuple[str, ...]]]:
    """{plate: (province name, districts)} in plate order."""
    out = {}
    for line in DATA.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        plate, name, districts = line.split("|")
        out[plate] = (name, tuple(districts.split(",")))
    return out


def district_lists() -> dict[str, tuple[str, ...]]:
    return {plate: districts for plate, (_, districts) in provinces().items()}


def province_name(plate: str) -> str:
    return provinces().get(plate, (plate, ()))[0]

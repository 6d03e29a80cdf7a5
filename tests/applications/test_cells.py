import pytest

from applications.cells import CellInvalid, parse_boolean, parse_level


@pytest.mark.parametrize("text, level", [
    ("bachelor", "bachelor"), ("Master", "master"),
    ("lisans", "bachelor"), ("LİSANS", "bachelor"), ("Yüksek Lisans", "master"), ("YÜKSEK  LİSANS", "master"),
    ("doktora", "doctorate"), ("DOKTORA", "doctorate"), ("önlisans", "associate"), ("Ön Lisans", "associate"),
])
def test_levels_are_read_as_the_contract_codes_or_as_turkish_offices_write_them(text, level):
    assert parse_level(text) == level


def test_an_unknown_level_names_the_contract_codes():
    with pytest.raises(CellInvalid, match="associate, bachelor, master, doctorate"):
        parse_level("licence")


@pytest.mark.parametrize("text, value", [("evet", True), ("EVET", True), ("hayır", False), ("HAYIR", False), ("yes", True), ("", False)])
def test_booleans_in_english_or_turkish(text, value):
    assert parse_boolean(text) is value

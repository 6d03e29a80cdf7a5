from decimal import Decimal

import pytest

from mobility.numbers import DecimalCommaField, NumberInvalid, decimal_read


@pytest.mark.parametrize("text, number", [
    ("3,20", "3.20"), ("3.20", "3.20"), ("6.750,00", "6750.00"), ("6,750.00", "6750.00"), ("1 350", "1350"),
    ("1.234.567", "1234567"), ("1.234.567,5", "1234567.5"), ("-10", "-10"), ("4050", "4050"), (" 12,5 ", "12.5"),
    ("6.750", "6.750"),  # one dot is a decimal point, as in every file of the contract
])
def test_turkish_and_english_writings_are_read(text, number):
    assert decimal_read(text) == Decimal(number)


@pytest.mark.parametrize("text", [
    "NaN", "nan", "Infinity", "-Infinity", "inf", "1e400", "1E5", "0x10", "3,2,0", "1.23.4", "", "12a", "1,234.567,8",
    "sNaN", "١٢",
])
def test_nan_infinity_exponents_and_junk_are_not_numbers(text):
    with pytest.raises(NumberInvalid):
        decimal_read(text)


@pytest.mark.parametrize("value", [Decimal("NaN"), Decimal("Infinity"), True])
def test_non_finite_decimals_are_refused_too(value):
    with pytest.raises(NumberInvalid):
        decimal_read(value)


def test_the_form_field_takes_a_decimal_comma_and_refuses_nan_with_a_message():
    field = DecimalCommaField(max_digits=12, decimal_places=2, min_value=0)
    assert field.clean("6.750,00") == Decimal("6750.00")
    for bad in ("NaN", "Infinity", "1e400"):
        with pytest.raises(Exception, match="Enter a number"):
            field.clean(bad)

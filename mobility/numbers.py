"""One reading of a number typed by a person: Turkish or English grouping, never NaN, infinity or an exponent.

"3,20", "3.20", "6.750,00", "6,750.00", "1 350" and "1.234.567" are read; "NaN", "Infinity",
"1e400", "0x10" and "3,2,0" are not numbers here. The last separator with one or two digits (or
any digits, if it is the only one) after it is the decimal one; the others must group thousands.
"""
import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

_SPACES = re.compile(r"[\s\u00a0\u202f']")
_PLAIN = re.compile(r"[+-]?\d+(?:[.,]\d+)?", re.ASCII)
_GROUPED = re.compile(r"[+-]?\d{1,3}(?P<sep>[.,])\d{3}(?:(?P=sep)\d{3})*(?:[.,]\d+)?", re.ASCII)


class NumberInvalid(ValueError):
    """The text is not a plain decimal number."""


def decimal_read(value) -> Decimal:
    """The Decimal a person meant by `value` (text, int or Decimal); NumberInvalid otherwise."""
    if isinstance(value, bool):
        raise NumberInvalid(value)
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise NumberInvalid(value)
        return value
    text = _SPACES.sub("", str(value))
    if _PLAIN.fullmatch(text):
        return Decimal(text.replace(",", "."))
    match = _GROUPED.fullmatch(text)
    if match is None:
        raise NumberInvalid(value)
    grouping = match["sep"]
    decimal = "," if grouping == "." else "."
    whole, _sep, fraction = text.rpartition(decimal) if decimal in text else (text, "", "")
    if grouping in fraction:
        raise NumberInvalid(value)
    try:
        return Decimal(whole.replace(grouping, "") + ("." + fraction if fraction else ""))
    except InvalidOperation:
        raise NumberInvalid(value) from None


class DecimalCommaField(forms.DecimalField):
    """A DecimalField that reads "3,20" and "6.750,00" as well as "3.20", in every language."""

    default_error_messages = {"invalid": _("Enter a number, e.g. 3,20 or 6.750,00.")}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, str):
            try:
                value = str(decimal_read(value.strip()))
            except NumberInvalid:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        return super().to_python(value)

    def widget_attrs(self, widget):
        # A number input refuses "3,20" in the browser: a text input with a numeric keyboard takes both.
        attrs = super().widget_attrs(widget)
        for key in ("step", "min", "max"):
            attrs.pop(key, None)
        attrs["inputmode"] = "decimal"
        return attrs

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.TextInput)
        kwargs.setdefault("localize", False)
        super().__init__(*args, **kwargs)

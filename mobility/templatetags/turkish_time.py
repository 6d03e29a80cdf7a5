"""`turkish_time`: an instant as the e-mails state deadlines, "15 March 2025 16:00", in Turkish time.

The same text as `{% timezone "Europe/Istanbul" %}{{ value|date:"j F Y H:i" }}`. A letter deadline
e-mails thousands of students the same few instants; the text depends only on the instant and the
language, so each pair is formatted once (this took a quarter of the deadline's e-mail rendering).
"""
import datetime as dt
import functools
from zoneinfo import ZoneInfo

from django import template
from django.utils import formats, timezone, translation

register = template.Library()

TURKEY = ZoneInfo("Europe/Istanbul")
FORMAT = "j F Y H:i"


@register.filter(expects_localtime=False)
def turkish_time(value) -> str:
    if not isinstance(value, dt.datetime):
        return ""
    return _text(value, translation.get_language())


@functools.lru_cache(maxsize=512)
def _text(value: dt.datetime, language: str) -> str:
    # `language` is the active one (month names come from it); it is part of the key, not used here.
    if timezone.is_aware(value):
        value = value.astimezone(TURKEY)
    return formats.date_format(value, FORMAT)

"""Instants as the contracts write them: ISO 8601 with an offset, e.g. 2023-03-15T16:00:00+03:00."""
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _


class InstantError(ValueError):
    pass


def instant_parse(text: str) -> datetime:
    """An aware datetime from ISO 8601; an instant without an offset is refused, not guessed."""
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except (ValueError, AttributeError):
        raise InstantError(
            _("“%(value)s” is not an instant; write it as 2023-03-15T16:00:00+03:00") % {"value": text}
        ) from None
    if timezone.is_naive(value):
        raise InstantError(
            _("“%(value)s” has no UTC offset; write it as 2023-03-15T16:00:00+03:00") % {"value": text}
        )
    if not 2000 <= value.year <= 2100:
        raise InstantError(_("“%(value)s” is outside the years 2000 to 2100") % {"value": text})
    return value

"""The periodic sweep: handles each passed deadline of each call exactly once.

Later features register a handler for a deadline kind; the sweep calls it inside the same
transaction that records the DeadlineEvent, so a second sweep (or two at once) does nothing.
"""
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.utils import timezone

from mobility.models import Call, DeadlineEvent
from mobility.services.audit import audit_record

# kind -> Call field holding the instant.
DEADLINE_FIELDS = {
    "applications_close": "applications_close",
    "letter_deadline": "letter_deadline",
    "appeal_deadline": "appeal_deadline",
    "reserve_list_end": "reserve_list_end",
}
_handlers: dict[str, list[Callable[[Call], None]]] = {kind: [] for kind in DEADLINE_FIELDS}


def deadline_handler(kind: str):
    def register(func: Callable[[Call], None]):
        _handlers[kind].append(func)
        return func

    return register


def deadlines_sweep(*, now=None) -> list[tuple[str, str]]:
    """Handle every deadline that has passed and was not handled yet; return (call code, kind) pairs."""
    now = now or timezone.now()
    handled = []
    for kind, field in DEADLINE_FIELDS.items():
        due = (
            Call.objects.filter(**{f"{field}__lte": now})
            .exclude(deadline_events__kind=kind)
            .order_by("pk")
        )
        for call in due:
            try:
                with transaction.atomic():
                    DeadlineEvent.objects.create(call=call, kind=kind)
                    for handler in _handlers[kind]:
                        handler(call)
                    audit_record(actor=None, action=f"deadline.{kind}", obj=call, data={"at": now.isoformat()})
            except IntegrityError:
                continue  # another sweep got there first
            handled.append((call.code, kind))
    return handled


# Parts that act at a deadline say what moving it would do now (letters: lost places, ended
# reserves). `provider(call, changes, at)` returns one sentence per consequence; `changes` maps a
# deadline field to its new instant.
_effect_providers: list[Callable] = []


def deadline_effect_provider(func: Callable):
    _effect_providers.append(func)
    return func


def deadline_change_effects(*, call: Call, changes: dict, at) -> list[str]:
    """What saving these deadline changes of `call` at `at` would do, before anything is saved."""
    changes = {name: value for name, value in changes.items() if name in DEADLINE_FIELDS}
    if not changes or call.pk is None:
        return []
    return [line for provider in _effect_providers for line in provider(call, changes, at)]

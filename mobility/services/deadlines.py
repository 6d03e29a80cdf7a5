"""The one periodic sweep: each passed deadline of each call handled exactly once, then the
periodic passes of the apps above (letters: reminders and a promotion catch-up).

A DeadlineEvent (call, kind) is the one once-only record of a deadline's effect, whoever applies
it: this sweep, or a command that runs the effect by hand (`deadline_once`). Apps above register a
handler for a kind; the sweep calls it inside the transaction that records the event, with the
call row locked first (the locking doctrine), so a second sweep (or two at once) does nothing.
"""
from collections.abc import Callable

from celery import shared_task
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
_passes: list[Callable] = []


def deadline_handler(kind: str):
    def register(func: Callable[[Call], None]):
        _handlers[kind].append(func)
        return func

    return register


def sweep_pass(func: Callable):
    """Register `func(at=instant)` to run on every sweep, after the deadlines (each in its own transactions)."""
    _passes.append(func)
    return func


def deadline_once(*, call: Call, kind: str) -> bool:
    """Record that the effect of the call's deadline `kind` is done; True the first time only.

    The caller holds the call row's lock inside its transaction, so the check then insert is safe;
    the unique constraint is the backstop.
    """
    if DeadlineEvent.objects.filter(call=call, kind=kind).exists():
        return False
    DeadlineEvent.objects.create(call=call, kind=kind)
    return True


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
                    call = Call.objects.select_for_update().get(pk=call.pk)
                    if not deadline_once(call=call, kind=kind):
                        continue  # another sweep, or a command, got there first
                    for handler in _handlers[kind]:
                        handler(call)
                    audit_record(actor=None, action=f"deadline.{kind}", obj=call, data={"at": now.isoformat()})
            except IntegrityError:
                continue  # another sweep got there first
            handled.append((call.code, kind))
    for periodic in _passes:
        periodic(at=now)
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


@shared_task(name="mobility.tasks.sweep")
def sweep() -> int:
    return len(deadlines_sweep())

"""Deadline jobs (§10): the letter deadline and the end of the reserve list, once each, and reminders."""
import datetime as dt

from celery import shared_task
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from letters import notifications
from letters.models import PLACEMENT_HOLDING, LetterDecision, Placement, PlacementStatus
from letters.services.core import call_lock, letter_of, placements_transition
from letters.services.promotion import promotion_apply
from mobility.models import Call, CallStatus, DeadlineEvent
from mobility.services.deadlines import deadline_once, deadlines_sweep
from selection.engine.runner import cyclic_gc_paused

LETTER_DEADLINE = "letter_deadline"
RESERVE_LIST_END = "reserve_list_end"
REMINDER_DAYS = (7, 1)


def _has_live_letter(placement: Placement, deadline: dt.datetime) -> bool:
    letter = letter_of(placement)
    return bool(letter and letter.submitted_at < deadline and letter.decision != LetterDecision.REJECTED)


# What a deadline reads of each placement and its letter (the transition, its audit entry, open
# place and e-mail read no more): not whole rows, thousands of them at a deadline. A field left
# out would still be read correctly, one query per row (tests/letters/test_deadline_queries.py).
PLACEMENT_FIELDS = ("call_id", "application_id", "student_number", "department_code", "order", "status", "held_eur")
LETTER_FIELDS = ("letter__submitted_at", "letter__decision", "letter__grant_eur", "letter__top_up_eur")


def _holding(call: Call):
    """The placements holding a place or waiting on the reserve list, in list order, with their letters."""
    return (
        Placement.objects.filter(call=call, status__in=PLACEMENT_HOLDING)
        .select_related("letter").only(*PLACEMENT_FIELDS, *LETTER_FIELDS).order_by("order")
    )


def _waiting(call: Call):
    """The waiting reserves, in list order."""
    return Placement.objects.filter(call=call, status=PlacementStatus.RESERVE).only(*PLACEMENT_FIELDS).order_by("order")


def _letter_deadline_apply(call: Call, at: dt.datetime, actor, done: dict) -> None:
    """Primaries without a live letter lose their place; waiting reserves without one leave the list."""
    changes = []
    for placement in _holding(call):
        if _has_live_letter(placement, call.letter_deadline):
            continue
        to = PlacementStatus.LOST_PLACE if placement.status == PlacementStatus.PRIMARY else PlacementStatus.RESERVE_EXPIRED
        changes.append((placement, to, None))
        done[to].append(placement.student_number)
    placements_transition(changes=changes, call=call, at=at, actor=actor, action="deadline")


def _reserve_list_end_apply(call: Call, at: dt.datetime, actor, done: dict) -> None:
    changes = [
        (placement, PlacementStatus.RESERVE_EXPIRED, None) for placement in _waiting(call)
    ]
    placements_transition(changes=changes, call=call, at=at, actor=actor, action="reserve_list_end")
    done["reserve_expired"].extend(placement.student_number for placement, _to, _data in changes)


# The effect of each deadline kind; its once-only record is the core's DeadlineEvent.
EFFECTS = {LETTER_DEADLINE: _letter_deadline_apply, RESERVE_LIST_END: _reserve_list_end_apply}


def _empty() -> dict[str, list[str]]:
    return {"lost_place": [], "reserve_expired": [], "promoted": []}


def deadlines_run(*, call: Call | int, at: dt.datetime, actor=None) -> dict[str, list[str]]:
    """Whatever is due at `at`, each once; then promotion. Safe to run any number of times (the command)."""
    done = _empty()
    # A deadline makes tens of thousands of short-lived objects (placements, audit entries, e-mails)
    # and no cycles; the collector's passes over them ran inside the call's lock (5,000 placements,
    # heap collected before: 1.08-1.36 s, paused 1.00-1.11 s).
    with cyclic_gc_paused(), transaction.atomic():
        call = call_lock(call)
        if not Placement.objects.filter(call=call).exists():
            return done
        for kind, apply in EFFECTS.items():
            instant = getattr(call, kind)
            if instant is not None and at >= instant and deadline_once(call=call, kind=kind):
                apply(call, at, actor, done)
        done["promoted"] = [p.student_number for p in promotion_apply(call=call, at=at, actor=actor)]
        _reminders(call, at)
    return done


def deadline_effect(*, call: Call, kind: str) -> dict[str, list[str]]:
    """The sweep's handler: it has already recorded the DeadlineEvent; the job runs as of the deadline itself."""
    done = _empty()
    at = getattr(call, kind)
    call = call_lock(call)
    if Placement.objects.filter(call=call).exists():
        with cyclic_gc_paused():  # as in deadlines_run
            EFFECTS[kind](call, at, None, done)
            done["promoted"] = [p.student_number for p in promotion_apply(call=call, at=at)]
    return done


def _reminders(call: Call, at: dt.datetime) -> None:
    """7 days and 1 day before the deadline, to primaries and waiting reserves without a letter; once each."""
    if call.letter_deadline is None or at >= call.letter_deadline:
        return
    for days in REMINDER_DAYS:
        if at < call.letter_deadline - dt.timedelta(days=days):
            continue
        kind = f"reminder_{days}"
        # A reminder due long ago (the sweep was down) is not sent late as the 7-day one when the 1-day one is due.
        if days == 7 and at >= call.letter_deadline - dt.timedelta(days=1):
            continue
        # The sweep runs every minute: the outbox skips, in one query, the students already reminded.
        waiting = Placement.objects.filter(
            call=call, status__in=PLACEMENT_HOLDING, letter__isnull=True,
        ).select_related("call", "letter", "application__call", "application__applicant__user")
        notifications.placements_notify(placements=waiting, kind="reminder", key=kind)


def placements_sweep(*, at: dt.datetime) -> int:
    """The letters' pass of the one periodic sweep: every call with a final list, what is due, a promotion pass, reminders."""
    count = 0
    for call_id in Call.objects.filter(status=CallStatus.FINAL_PUBLISHED, placements__isnull=False).distinct().values_list("pk", flat=True):
        done = deadlines_run(call=call_id, at=at)
        count += sum(len(v) for v in done.values())
    return count


@shared_task(name="letters.tasks.sweep")
def sweep() -> int:
    """The one sweep under this app's old task name: beat schedules only mobility.tasks.sweep, but a
    message already queued under this name still runs it."""
    return len(deadlines_sweep(now=timezone.now()))


def _people(placements) -> str:
    return ", ".join(
        f"{p.student_number} ({p.application.applicant.first_name} {p.application.applicant.last_name})" for p in placements
    )


def deadline_change_effects_read(call: Call, changes: dict, at: dt.datetime) -> list[str]:
    """Who moving the letter deadline or the end of the reserve list to the past would take off the list.

    Reads only; the sweep (or run_deadlines) does it once the change is saved.
    """
    lines: list[str] = []
    live = Placement.objects.filter(
        call=call, status__in=PLACEMENT_HOLDING,
    ).select_related("letter", "application__applicant").order_by("order")
    if not live.exists():
        return lines
    deadline = changes.get(LETTER_DEADLINE, call.letter_deadline)
    letter_done = DeadlineEvent.objects.filter(call=call, kind=LETTER_DEADLINE).exists()
    ending_reserves: list[Placement] = []
    if LETTER_DEADLINE in changes and deadline is not None and deadline <= at and not letter_done:
        without = [p for p in live if not _has_live_letter(p, deadline)]
        lost = [p for p in without if p.status == PlacementStatus.PRIMARY]
        ending_reserves = [p for p in without if p.status == PlacementStatus.RESERVE]
        if lost:
            lines.append(_("At once, these primaries lose their place (no letter before the new deadline): %(people)s.") % {
                "people": _people(lost)})
    end = changes.get(RESERVE_LIST_END)
    if end is not None and end <= at and not DeadlineEvent.objects.filter(call=call, kind=RESERVE_LIST_END).exists():
        ending_reserves += [p for p in live if p.status == PlacementStatus.RESERVE and p not in ending_reserves]
    if ending_reserves:
        lines.append(_("At once, the reserve status of these students ends: %(people)s.") % {"people": _people(ending_reserves)})
    return lines

"""Acceptance letters: upload (page or import), replacement, the office's decision."""
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from letters import notifications
from letters.checks import LetterData, country_rates, grant_preview, letter_problems
from letters.models import PLACEMENT_HOLDING, Letter, LetterDecision, Placement, PlacementStatus
from letters.services import PlacementError
from letters.services.core import call_lock, hold_refresh, letter_of, placement_transition
from letters.services.promotion import promotion_after
from mobility.instants import InstantError, instant_parse
from mobility.models import Call
from mobility.services.audit import audit_record
from mobility.uploads import upload_delete, upload_store

LETTER_COLUMNS = ("student_number", "host_name", "city", "host_type", "country", "start_date", "end_date")
OPTIONAL_COLUMNS = ("submitted_at", "decision", "address", "contact_person")
WAITING_STATUSES = PLACEMENT_HOLDING


class LetterRefused(PlacementError):
    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems
        super().__init__([f"{code}: {message}" for code, message in problems])


def _same_host(letter: Letter, data: LetterData) -> bool:
    return (
        letter.host_name.strip().casefold() == data.host_name.strip().casefold()
        and letter.country.upper() == data.country.upper()
    )


def _placement(call: Call, student_number: str) -> Placement | None:
    return Placement.objects.select_related("letter").filter(call=call, student_number=student_number).first()


# Letter decisions: the one machine, written only by _letter_decision_set.
LETTER_MOVES = {
    LetterDecision.WAITING: {LetterDecision.APPROVED, LetterDecision.REJECTED},
    LetterDecision.APPROVED: {LetterDecision.WAITING},  # replaced (same host kept it approved otherwise) or re-decided
    LetterDecision.REJECTED: {LetterDecision.WAITING},  # replaced or re-decided
}


def _letter_decision_set(letter: Letter, to: LetterDecision, *, at: dt.datetime | None, actor=None, reason: str = "") -> None:
    """The only writer of a letter's decision (the caller saves and audits)."""
    if to not in LETTER_MOVES[LetterDecision(letter.decision)]:
        raise PlacementError(_("This letter cannot go from “%(old)s” to “%(new)s”.") % {
            "old": LetterDecision(letter.decision).label, "new": to.label})
    letter.decision = to
    letter.decided_at = at if to != LetterDecision.WAITING else None
    letter.decided_by = actor if to != LetterDecision.WAITING and getattr(actor, "pk", None) else None
    letter.reason = reason or ""


def student_letter_refusal(*, call: Call, placement: Placement, at: dt.datetime) -> str | None:
    """Why the student may not hand in a letter now, or None. letter_store enforces the same rule."""
    letter = letter_of(placement)
    if letter is not None and letter.decision == LetterDecision.APPROVED:
        return _("Your letter is approved; the office can change its host only for documented force majeure.")
    if not placement.is_holding or (call.letter_deadline is not None and at >= call.letter_deadline):
        return _("Letters can no longer be uploaded for this call.")
    return None


def letter_store(
    *, call: Call, placement: Placement | None, data: LetterData, rates, at: dt.datetime, actor=None,
    pdf=None, force_majeure: bool = False, by_student: bool = False,
) -> tuple[Letter, bool]:
    """Check and store a letter under the call lock; raises LetterRefused. Returns (letter, replaced).

    A student never replaces an approved letter (`by_student`); the office may re-enter it with the
    same host, or change the host for documented force majeure.
    """
    problems = []
    if placement is None or placement.status not in WAITING_STATUSES:
        problems.append(("no_place", _("not a primary or a waiting reserve of this call")))
    problems += letter_problems(call=call, data=data, rates=rates, days_left=placement.erasmus_days_left if placement else None)
    letter = letter_of(placement) if placement else None
    approved = letter is not None and letter.decision == LetterDecision.APPROVED
    if approved and by_student:
        problems.append(("letter_locked", _("Your letter is approved; the office can change its host only for documented force majeure.")))
    elif approved and not _same_host(letter, data) and not force_majeure:
        problems.append(("letter_locked", _("the approved letter's host and country can change only for documented force majeure")))
    if problems:
        raise LetterRefused(problems)
    preview = grant_preview(call=call, data=data, rates=rates, fewer_opportunities=placement.fewer_opportunities)
    keep_approval = letter is not None and letter.decision == LetterDecision.APPROVED and _same_host(letter, data)
    replaced = letter is not None
    if letter is None:
        letter = Letter(placement=placement)
    for name in ("host_name", "host_type", "city", "address", "contact_person", "start_date", "end_date", "submitted_at"):
        setattr(letter, name, getattr(data, name))
    letter.country = data.country.upper()
    letter.days = preview.days
    letter.monthly_rate_eur = preview.monthly_rate
    letter.grant_eur = preview.grant
    letter.top_up_eur = preview.top_up
    if pdf is not None:
        # A stored file's name (letter_submit stores it before taking the lock). The file it
        # replaces is deleted once the replacement is committed: only the current letter is kept.
        old = letter.pdf.name if letter.pdf else None
        letter.pdf = pdf
        if old and old != pdf:
            transaction.on_commit(lambda: upload_delete(old))
    if not keep_approval and replaced and letter.decision != LetterDecision.WAITING:
        _letter_decision_set(letter, LetterDecision.WAITING, at=None)
    letter.save()
    placement.letter = letter
    hold_refresh(placement, call)
    audit_record(
        actor=actor, action="letter.replaced" if replaced else "letter.submitted", obj=letter,
        data={"call": call.code, "student_number": placement.student_number, "host": letter.host_name,
              "country": letter.country, "days": letter.days, "grant_eur": str(letter.grant_eur),
              "submitted_at": letter.submitted_at.isoformat(), "at": at.isoformat(), "force_majeure": force_majeure},
    )
    return letter, replaced


def letter_decision_apply(
    *, call: Call, placement: Placement, decision: str, reason: str = "", at: dt.datetime, actor=None,
    redecide: bool = False,
) -> Letter:
    """The letter state machine's one transition: waiting → approved | rejected (under the call lock).

    `redecide` (an import row naming a decision) first puts a decided letter back to waiting.
    """
    letter = letter_of(placement)
    if placement.status not in WAITING_STATUSES:
        raise PlacementError(_("%(number)s: not a primary or a waiting reserve of this call") % {"number": placement.student_number})
    if redecide and letter is not None and letter.decision != LetterDecision.WAITING:
        _letter_decision_set(letter, LetterDecision.WAITING, at=None)
    if letter is None or letter.decision != LetterDecision.WAITING:
        raise PlacementError(_("%(number)s: there is no letter waiting for a decision") % {"number": placement.student_number})
    decision = LetterDecision(decision)
    if decision == LetterDecision.APPROVED:
        # Rates are the call's at the moment of approval.
        rates = country_rates(call)
        data = LetterData(host_name=letter.host_name, host_type=letter.host_type, country=letter.country, city=letter.city,
                          start_date=letter.start_date, end_date=letter.end_date, submitted_at=letter.submitted_at)
        preview = grant_preview(call=call, data=data, rates=rates, fewer_opportunities=placement.fewer_opportunities)
        if preview is None:
            raise PlacementError(_("%(number)s: the letter's country is no longer in the call's country groups") % {"number": placement.student_number})
        letter.monthly_rate_eur, letter.grant_eur, letter.top_up_eur = preview.monthly_rate, preview.grant, preview.top_up
    _letter_decision_set(letter, decision, at=at, actor=actor, reason=reason)
    letter.save()
    audit_record(
        actor=actor, action=f"letter.{decision}", obj=letter,
        data={"call": call.code, "student_number": placement.student_number, "reason": letter.reason,
              "grant_eur": str(letter.grant_eur), "at": at.isoformat()},
    )
    after_deadline = call.letter_deadline is not None and at >= call.letter_deadline
    notifications.placement_notify(
        placement=placement, kind=f"letter_{decision}", key=f"letter_{decision}:{at.isoformat()}",
        context={"can_replace": decision == LetterDecision.REJECTED and call.letter_deadline is not None and not after_deadline},
    )
    if decision == LetterDecision.REJECTED and after_deadline:
        # §10: after the deadline a rejection cannot be answered with a new letter.
        to = PlacementStatus.LOST_PLACE if placement.status == PlacementStatus.PRIMARY else PlacementStatus.RESERVE_EXPIRED
        placement_transition(placement=placement, call=call, to=to, at=at, actor=actor, action="rejected_after_deadline")
    else:
        hold_refresh(placement, call)
    return letter


def letter_submit(
    *, call: Call, student_number: str, data: LetterData, at: dt.datetime, actor=None, pdf=None,
    force_majeure: bool = False, by_student: bool = False,
) -> Letter:
    """`pdf`: the letter's bytes, already through mobility.uploads.upload_check (or None: on paper)."""
    stored = None
    if pdf is not None:
        # Writing megabytes to storage stays outside the call lock, which every action waits for.
        stored = upload_store(content=pdf if isinstance(pdf, bytes) else pdf.read(), folder="letters")
    try:
        with transaction.atomic():
            call = call_lock(call)
            letter, _replaced = letter_store(
                call=call, placement=_placement(call, student_number), data=data, rates=country_rates(call), at=at,
                actor=actor, pdf=stored, force_majeure=force_majeure, by_student=by_student,
            )
            promotion_after(call=call, at=at, actor=actor)
    except BaseException:
        upload_delete(stored)
        raise
    return letter


def letter_decide(
    *, call: Call, student_number: str, decision: str, reason: str = "", at: dt.datetime, actor=None,
):
    """Returns (letter, promoted placements)."""
    with transaction.atomic():
        call = call_lock(call)
        placement = _placement(call, student_number)
        if placement is None:
            raise PlacementError(_("%(number)s: not in the final list of this call") % {"number": student_number})
        letter = letter_decision_apply(call=call, placement=placement, decision=decision, reason=reason, at=at, actor=actor)
        promoted = promotion_after(call=call, at=at, actor=actor)
    return letter, promoted


# --- the import file -------------------------------------------------------------------------

@dataclass
class LetterImportReport:
    rows: int = 0
    new: int = 0
    replaced: int = 0
    decided: dict[str, int] = field(default_factory=lambda: {"approved": 0, "rejected": 0})
    promoted: list[str] = field(default_factory=list)


class LetterImportError(PlacementError):
    pass


class _RowRefused(Exception):
    """A row with problems found before storing: its savepoint is rolled back."""


# What a one-line text of a letter may not hold: line breaks and other control characters.
LINE_BREAK_RE = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\x85]")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text[:10]) if len(text) >= 10 and text[10:].strip("T0: ") == "" else None
    except ValueError:
        return None


def letters_import(*, call: Call, header: list[str], rows: list[list[Any]], at: dt.datetime, actor=None) -> LetterImportReport:
    """A whole file is one action: every row or none, promotion once after the last row (§7)."""
    columns = [h.strip() for h in header]
    missing = [c for c in LETTER_COLUMNS if c not in columns]
    unknown = [c for c in columns if c and c not in LETTER_COLUMNS + OPTIONAL_COLUMNS]
    if missing or unknown:
        lines = []
        if missing:
            lines.append(_("missing column(s): %(columns)s") % {"columns": ", ".join(missing)})
        if unknown:
            lines.append(_("unknown column(s): %(columns)s") % {"columns": ", ".join(unknown)})
        raise LetterImportError(lines)
    report = LetterImportReport()
    errors: list[str] = []
    with transaction.atomic():
        call = call_lock(call)
        rates = country_rates(call)
        for index, raw in enumerate(rows, start=2):
            values = {column: _cell(value) for column, value in zip(columns, raw) if column}
            if not any(values.values()):
                continue
            report.rows += 1
            number = values.get("student_number", "")
            problems: list[tuple[str, str]] = []
            submitted_text = values.get("submitted_at", "")
            submitted_at = at
            if submitted_text:
                try:
                    submitted_at = instant_parse(submitted_text)
                except InstantError as exc:
                    problems.append(("bad_instant", str(exc)))
            start, end = _date(values.get("start_date", "")), _date(values.get("end_date", ""))
            broken = [c for c in ("host_name", "city", "address", "contact_person") if LINE_BREAK_RE.search(values.get(c, ""))]
            if broken:
                problems.append(("bad_text", _("%(columns)s: a line break or control character; write it on one line") % {
                    "columns": ", ".join(broken)}))
            decision = values.get("decision", "").lower()
            if decision not in ("", LetterDecision.APPROVED, LetterDecision.REJECTED):
                problems.append(("bad_decision", _("“%(value)s” is not a decision; use approved, rejected or leave it empty") % {"value": decision}))
            data = LetterData(
                host_name=values.get("host_name", ""), host_type=values.get("host_type", "").lower(),
                country=values.get("country", "").upper(), city=values.get("city", ""),
                start_date=start, end_date=end, submitted_at=submitted_at,
                address=values.get("address", ""), contact_person=values.get("contact_person", ""),
            )
            try:
                with transaction.atomic():
                    placement = _placement(call, number)
                    letter, replaced = letter_store(call=call, placement=placement, data=data, rates=rates, at=at, actor=actor)
                    if problems:
                        raise _RowRefused
                    if decision and letter.decision != decision:
                        # A row's decision re-decides its own letter.
                        letter_decision_apply(call=call, placement=placement, decision=decision, at=at, actor=actor, redecide=True)
                        report.decided[decision] += 1
            except LetterRefused as exc:
                # Without a readable submitted_at the deadline cannot be judged: that row says bad_instant.
                problems += [p for p in exc.problems if not (p[0] == "after_deadline" and submitted_text and submitted_at is at)]
            except _RowRefused:
                pass
            except PlacementError as exc:
                problems += [("decision", line) for line in exc.lines]
            else:
                report.replaced += replaced
                report.new += not replaced
            if problems:
                parts = "; ".join(f"{code}: {message}" for code, message in problems)
                errors.append(_("row %(row)s (%(number)s): %(problems)s") % {"row": index, "number": number or "—", "problems": parts})
        if errors:
            raise LetterImportError(errors)
        report.promoted = [p.student_number for p in promotion_after(call=call, at=at, actor=actor)]
    return report

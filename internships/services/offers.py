"""Offers, holders, insurance, start and cancellation (contract §5–§6).

Every action locks the programme row first, so two actions of one programme take turns: two host
units offering at once, a student starting twice at the same instant, the expiry job and an answer.
"""
import datetime as dt

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from internships.eligibility import student_ineligibility
from internships.models import InternshipProgramme, InternshipStudent, Offer, OfferKind, OfferStatus, Position, StudentNote
from internships.notifications import notice_owe, notice_send, notices_owe, notices_pending
from internships.rules import offers as rule
from internships.services import InternshipError, problem
from mobility.models import AuditEntry
from mobility.services.audit import audit_record


def _lock(programme) -> InternshipProgramme:
    return InternshipProgramme.objects.select_for_update().get(pk=programme.pk)


def _state(offer: Offer) -> rule.OfferState:
    return rule.OfferState(offer.seq, offer.status, offer.answer_by)


def _has_started(student) -> bool:
    return Offer.objects.filter(student=student, status=OfferStatus.STARTED).exists()


def position_settle(position: Position, *, at: dt.datetime, renew: bool = True) -> Offer | None:
    """Recompute who holds the position; a reserve that comes to hold while open gets a fresh window."""
    return positions_settle([position.pk], programme=position.programme, at=at, renew=renew).get(position.pk)


def positions_settle(position_ids, *, programme, at: dt.datetime, renew: bool = True) -> dict[int, Offer | None]:
    """The same for many positions in a few queries (the expiry job settles thousands at once)."""
    positions = {p.pk: p for p in Position.objects.filter(pk__in=list(position_ids))}
    offers: dict[int, list[Offer]] = {pk: [] for pk in positions}
    for offer in Offer.objects.filter(position_id__in=list(positions)).order_by("position_id", "seq"):
        offers[offer.position_id].append(offer)
    holders, moved, renewed, entries, notices = {}, [], [], [], []
    for pk, position in positions.items():
        group = offers[pk]
        index = rule.holder_index([_state(o) for o in group])
        holder = group[index] if index is not None else None
        holders[pk] = holder
        if (holder.pk if holder else None) == position.holder_id:
            continue
        position.holder = holder
        moved.append(position)
        if holder is None or not renew:
            continue
        deadline = rule.renewed_deadline(_state(holder), became_holder_at=at, answer_days=programme.answer_days)
        if deadline != holder.answer_by:
            holder.answer_by = deadline
            renewed.append(holder)
        entries.append(AuditEntry(action="internships.offer_holds", object_type=Offer._meta.label_lower,
                                  object_id=str(holder.pk),
                                  data={"at": at.isoformat(), "answer_by": holder.answer_by.isoformat()}))
        notices += [(holder, "student", "now_holds"), (holder, "host", "now_holds")]
    Position.objects.bulk_update(moved, ["holder"], batch_size=1000)
    Offer.objects.bulk_update(renewed, ["answer_by"], batch_size=1000)
    AuditEntry.objects.bulk_create(entries, batch_size=1000)
    notices_owe(notices)
    return holders


def _offer(programme, offer_id) -> Offer:
    offer = (Offer.objects.select_related("position__programme", "student__department", "calendar")
             .filter(pk=offer_id, position__programme=programme).first())
    if offer is None:
        raise InternshipError(problem("unknown_offer", str(offer_id)))
    return offer


@transaction.atomic
def offer_make(*, programme, position_code: str, student_number: str, kind: str, calendar_code: str,
               at: dt.datetime, answer_by: dt.datetime | None = None, host_unit=None, actor=None) -> Offer:
    programme = _lock(programme)
    student = (InternshipStudent.objects.select_related("department", "programme")
               .filter(programme=programme, student_number=student_number).first())
    if student is None:
        raise InternshipError(problem("unknown_student", student_number))
    if kind not in OfferKind.values:
        raise InternshipError(problem("bad_kind", kind))
    if _has_started(student):
        raise InternshipError(problem("already_started", student_number))
    application = getattr(student, "application", None)
    if application is None or not application.completed_at:
        raise InternshipError(problem("incomplete", student_number))
    reason = student_ineligibility(student)
    if reason:
        raise InternshipError(problem("not_eligible", f"{student_number}: {reason}"))
    choice = application.calendar_choices.select_related("calendar").filter(calendar__code=calendar_code).first()
    if choice is None:
        raise InternshipError(problem("calendar_not_chosen", f"{student_number}: {calendar_code}"))
    position, _ = Position.objects.get_or_create(programme=programme, code=position_code,
                                                 defaults={"host_unit": host_unit})
    if host_unit is not None and position.host_unit_id not in (None, host_unit.pk):
        raise InternshipError(problem("other_host_unit", position_code))
    offers = list(position.offers.all())
    if kind == OfferKind.PRIMARY and any(o.kind == OfferKind.PRIMARY for o in offers):
        raise InternshipError(problem("primary_exists", position_code))
    if kind == OfferKind.RESERVE and not any(o.kind == OfferKind.PRIMARY for o in offers):
        raise InternshipError(problem("no_primary", position_code))
    if any(o.student_id == student.pk for o in offers):
        raise InternshipError(problem("duplicate", f"{position_code}: {student_number}"))
    deadline = answer_by or at + dt.timedelta(days=programme.answer_days)
    if deadline <= at:
        raise InternshipError(problem("bad_deadline", deadline.isoformat()))
    offer = Offer.objects.create(
        position=position, student=student, calendar=choice.calendar, kind=kind,
        seq=1 if kind == OfferKind.PRIMARY else max(o.seq for o in offers) + 1,
        made_at=at, made_by=actor if getattr(actor, "pk", None) else None, answer_by=deadline,
    )
    # A new offer never renews its own window: it came with one.
    position_settle(position, at=at, renew=False)
    audit_record(actor=actor, action="internships.offer_made", obj=offer,
                 data={"position": position_code, "student": student_number, "kind": kind, "at": at.isoformat()})
    notice_owe(offer=offer, recipient="student", kind="offer_made")
    return offer


@transaction.atomic
def offer_answer(*, programme, offer_id: int, accept: bool, at: dt.datetime, actor=None) -> Offer:
    programme = _lock(programme)
    offer = _offer(programme, offer_id)
    refused = rule.answerable(_state(offer), at)
    if refused:
        raise InternshipError(problem(refused, str(offer.pk)))
    offer.status = OfferStatus.ACCEPTED if accept else OfferStatus.DECLINED
    offer.answered_at = at
    offer.save(update_fields=["status", "answered_at"])
    audit_record(actor=actor, action=f"internships.offer_{offer.status}", obj=offer, data={"at": at.isoformat()})
    notice_owe(offer=offer, recipient="host", kind=f"offer_{offer.status}")
    position_settle(offer.position, at=at)
    return offer


@transaction.atomic
def offers_expire(*, programme, at: dt.datetime) -> list[int]:
    """Every open offer whose deadline is at or before `at` expires, all at once; safe to repeat."""
    programme = _lock(programme)
    due = list(Offer.objects.filter(position__programme=programme, status=OfferStatus.OPEN, answer_by__lte=at)
               .select_related("position").order_by("pk"))
    if not due:
        return []
    Offer.objects.filter(pk__in=[o.pk for o in due]).update(status=OfferStatus.EXPIRED)
    for offer in due:
        offer.status = OfferStatus.EXPIRED
    notices_owe([(o, recipient, "offer_expired") for o in due for recipient in ("student", "host")])
    audit_record(actor=None, action="internships.offers_expired", obj=programme,
                 data={"offers": [o.pk for o in due], "at": at.isoformat()})
    positions_settle({o.position_id for o in due}, programme=programme, at=at)
    return [o.pk for o in due]


def _holds(offer: Offer) -> bool:
    return Position.objects.filter(pk=offer.position_id, holder_id=offer.pk).exists()


@transaction.atomic
def insurance_record(*, programme, offer_id: int, at: dt.datetime, actor=None) -> Offer:
    programme = _lock(programme)
    offer = _offer(programme, offer_id)
    if offer.status != OfferStatus.ACCEPTED or not _holds(offer):
        raise InternshipError(problem("not_holding", str(offer.pk)))
    if offer.insured_at is None:
        offer.insured_at = at
        offer.save(update_fields=["insured_at"])
        audit_record(actor=actor, action="internships.insurance_recorded", obj=offer, data={"at": at.isoformat()})
    return offer


@transaction.atomic
def internship_start(*, programme, offer_id: int, at: dt.datetime, actor=None) -> Offer:
    programme = _lock(programme)
    offer = _offer(programme, offer_id)
    if _has_started(offer.student):
        raise InternshipError(problem("already_started", offer.student.student_number))
    if offer.status != OfferStatus.ACCEPTED or not _holds(offer):
        raise InternshipError(problem("not_holding", str(offer.pk)))
    if offer.insured_at is None:
        raise InternshipError(problem("no_insurance", str(offer.pk)))
    offer.status = OfferStatus.STARTED
    offer.started_at = at
    offer.save(update_fields=["status", "started_at"])
    audit_record(actor=actor, action="internships.internship_started", obj=offer, data={"at": at.isoformat()})
    notice_owe(offer=offer, recipient="student", kind="started")
    others = list(Offer.objects.filter(student=offer.student, status__in=[OfferStatus.OPEN, OfferStatus.ACCEPTED])
                  .exclude(pk=offer.pk).select_related("position__programme").order_by("pk"))
    for other in others:
        other.status = OfferStatus.RELEASED
        other.save(update_fields=["status"])
        audit_record(actor=actor, action="internships.offer_released", obj=other, data={"at": at.isoformat(), "by": offer.pk})
        notice_owe(offer=other, recipient="host", kind="offer_released")
        position_settle(other.position, at=at)
    return offer


@transaction.atomic
def internship_cancel(*, programme, offer_id: int, excused: bool, at: dt.datetime, actor=None) -> Offer:
    programme = _lock(programme)
    offer = _offer(programme, offer_id)
    if offer.status != OfferStatus.STARTED:
        raise InternshipError(problem("not_started", str(offer.pk)))
    offer.status = OfferStatus.CANCELLED
    offer.cancelled_at = at
    offer.cancel_excused = excused
    offer.save(update_fields=["status", "cancelled_at", "cancel_excused"])
    if not excused:
        StudentNote.objects.create(student=offer.student, offer=offer, at=at)
    audit_record(actor=actor, action="internships.internship_cancelled", obj=offer,
                 data={"at": at.isoformat(), "excused": excused})
    notice_owe(offer=offer, recipient="host", kind="cancelled")
    position_settle(offer.position, at=at)
    return offer


@transaction.atomic
def forms_upload(*, offer: Offer, upload, at: dt.datetime, actor=None) -> Offer:
    """The student hands in the signed forms (stamped and signed, document 003) for an accepted offer."""
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    if offer.status != OfferStatus.ACCEPTED:
        raise InternshipError(problem("not_accepted", str(offer.pk)))
    offer.forms_file.save("forms", upload, save=False)
    offer.forms_uploaded_at = at
    offer.forms_checked_at = None
    offer.save(update_fields=["forms_file", "forms_uploaded_at", "forms_checked_at"])
    audit_record(actor=actor, action="internships.forms_uploaded", obj=offer, data={"at": at.isoformat()})
    return offer


@transaction.atomic
def forms_check(*, offer: Offer, at: dt.datetime, actor=None) -> Offer:
    """The department's career advisor checked the signed forms."""
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    if not offer.forms_uploaded_at:
        raise InternshipError(problem("no_forms", str(offer.pk)))
    offer.forms_checked_at = at
    offer.save(update_fields=["forms_checked_at"])
    audit_record(actor=actor, action="internships.forms_checked", obj=offer, data={"at": at.isoformat()})
    return offer


@shared_task(name="internships.tasks.expire_offers")
def expire_offers() -> int:
    """Beat job: offers past their deadline expire and positions pass on; then owed e-mails go out."""
    at = timezone.now()
    count = 0
    for programme in InternshipProgramme.objects.order_by("pk"):
        count += len(offers_expire(programme=programme, at=at))
    for notice_id in notices_pending():  # catches e-mails whose task was lost
        notice_send(notice_id=notice_id)
    return count

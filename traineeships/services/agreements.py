"""The Learning Agreement for Traineeships: versions, approvals (document 000), host confirmation.

One transition function (`agreement_transition`) moves a version between states, saves, audits
and queues the e-mails on commit.
"""
import datetime as dt
from zoneinfo import ZoneInfo

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from letters.models import LetterDecision, Placement, PlacementStatus
from letters.services.core import letter_of
from mobility.models import CallDepartment
from mobility.services.audit import audit_record
from traineeships.links import host_link_create
from traineeships.mail import student_mail, traineeship_mail
from traineeships.models import Approval, DepartmentApprover, LAState, LearningAgreement, Mobility, Party

ISTANBUL = ZoneInfo("Europe/Istanbul")
GRADUATE_LEVELS = ("master", "doctorate")
EDITABLE = (LAState.DRAFT, LAState.REJECTED)
S = LAState
TRANSITIONS = {
    S.DRAFT: {S.SUBMITTED},
    S.REJECTED: {S.SUBMITTED},
    S.SUBMITTED: {S.APPROVED, S.REJECTED},
    S.APPROVED: {S.SUPERSEDED},
    S.SUPERSEDED: set(),
}
TABLE_FIELDS = (
    "host_name", "host_department", "host_address", "host_country", "host_website", "host_below_250", "contact_name",
    "contact_email", "mentor_name", "mentor_position", "mentor_email", "mentor_phone", "start_date", "end_date",
    "title", "hours_per_week", "programme", "skills", "digital_skills", "monitoring_plan", "evaluation_plan",
    "language", "language_level", "table_b", "credits", "grade", "transcript", "diploma_supplement", "europass",
    "host_allowance_eur", "in_kind", "accident_insurance", "liability_insurance",
)


class AgreementError(Exception):
    def __init__(self, message: str, field: str | None = None):
        self.field = field
        super().__init__(message)


def agreement_eligible(placement: Placement) -> bool:
    letter = letter_of(placement)
    return placement.status in (PlacementStatus.PRIMARY, PlacementStatus.COMPLETED) and letter is not None \
        and letter.decision == LetterDecision.APPROVED


def agreements_of(placement: Placement) -> list[LearningAgreement]:
    return list(placement.agreements.prefetch_related("approvals").order_by("-version"))


def current_agreement(placement: Placement) -> LearningAgreement | None:
    return placement.agreements.exclude(state=S.SUPERSEDED).order_by("-version").first()


def agreement_prefill(placement: Placement) -> dict:
    """What the portal knows already: the student, the letter, the call, the grant."""
    letter, application, call = placement.letter, placement.application, placement.call
    isced = CallDepartment.objects.filter(call=call, department=application.department).values_list("isced", flat=True).first()
    return {
        "eqf_level": call.eqf_levels()[application.level], "isced": isced or "",
        "graduate": application.level in GRADUATE_LEVELS,
        "host_name": letter.host_name, "host_address": letter.address, "host_country": letter.country,
        "contact_name": letter.contact_person, "start_date": letter.start_date, "end_date": letter.end_date,
        "grant_eur": letter.grant_eur + letter.top_up_eur,
        "table_b": "recent_graduate" if application.recent_graduate else "embedded",
        "language": "EN", "language_level": "B2",
    }


def _one_month_before(day: dt.date) -> dt.date:
    month, year = (day.month - 1, day.year) if day.month > 1 else (12, day.year - 1)
    for d in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=d)
        except ValueError:
            continue
    raise AssertionError


def agreement_save(*, placement: Placement, data: dict, at: dt.datetime, actor=None, change_reason: str = "") -> LearningAgreement:
    """Save the student's draft. After approval, saving makes a new version (Table A2, "changes
    during the mobility") that needs the same approvals; an extension must be asked at least one
    month before the planned end."""
    with transaction.atomic():
        placement = Placement.objects.select_for_update(of=("self",)).select_related("letter", "call", "application").get(pk=placement.pk)
        if not agreement_eligible(placement):
            raise AgreementError(_("A Learning Agreement can be filled in once your acceptance letter is approved."))
        if data["end_date"] < data["start_date"]:
            raise AgreementError(_("The end is before the start."), "end_date")
        call = placement.call
        if (call.mobility_start and data["start_date"] < call.mobility_start) or (call.mobility_end and data["end_date"] > call.mobility_end):
            raise AgreementError(_("The dates must lie between %(start)s and %(end)s.") % {
                "start": call.mobility_start, "end": call.mobility_end}, "end_date")
        current = current_agreement(placement)
        values = {name: data[name] for name in TABLE_FIELDS if name in data}
        if current is not None and current.state == S.SUBMITTED:
            raise AgreementError(_("This version is waiting for approvals; it can change after a decision."))
        if current is not None and current.state in EDITABLE:
            for name, value in values.items():
                setattr(current, name, value)
            if change_reason:
                current.change_reason = change_reason
            current.save()
            audit_record(actor=actor, action="agreement.saved", obj=current, data={"version": current.version, "at": at.isoformat()})
            return current
        prefill = agreement_prefill(placement)
        version = 1
        extension = False
        if current is not None:  # approved: a change during the mobility is a new version
            if not change_reason:
                raise AgreementError(_("Say what changes and why (Table A2)."), "change_reason")
            extension = values["end_date"] > current.end_date
            if extension and at.astimezone(ISTANBUL).date() > _one_month_before(current.end_date):
                raise AgreementError(_("An extension must be asked for at least one month before the end (%(day)s).") % {
                    "day": _one_month_before(current.end_date).isoformat()}, "end_date")
            version = current.version + 1
        agreement = LearningAgreement.objects.create(
            placement=placement, version=version, created_at=at, change_reason=change_reason, extension=extension,
            graduate=prefill["graduate"], eqf_level=prefill["eqf_level"], isced=prefill["isced"],
            grant_eur=prefill["grant_eur"], **values,
        )
        audit_record(actor=actor, action="agreement.created", obj=agreement, data={"version": version, "at": at.isoformat()})
        return agreement


def agreement_transition(*, agreement: LearningAgreement, to: str, at: dt.datetime, actor=None, reason: str = "") -> LearningAgreement:
    old = agreement.state
    if to not in TRANSITIONS[old]:
        raise AgreementError(_("%(old)s → %(new)s is not possible.") % {"old": LAState(old).label, "new": LAState(to).label})
    agreement.state = to
    if to == S.SUBMITTED:
        agreement.submitted_at, agreement.rejection_reason = at, ""
    elif to == S.APPROVED:
        agreement.approved_at = at
    elif to == S.REJECTED:
        agreement.rejection_reason = reason
    agreement.save()
    audit_record(actor=actor, action=f"agreement.{to}", obj=agreement, data={
        "version": agreement.version, "from": old, "to": to, "at": at.isoformat(), **({"reason": reason} if reason else {}),
    })
    placement = agreement.placement
    path = _student_path(placement)
    if to == S.SUBMITTED:
        link = host_link_create(placement=placement, purpose="agreement", email=agreement.mentor_email, at=at, agreement=agreement)
        traineeship_mail(to=agreement.mentor_email, language="en", template="host_agreement", context={
            "agreement": agreement, "applicant": placement.application.applicant, "path": link})
        _approvers_tell(agreement)
    elif to in (S.APPROVED, S.REJECTED):
        student_mail(placement=placement, template=f"agreement_{to}", context={"agreement": agreement, "path": path, "reason": reason})
    return agreement


def _approvers_tell(agreement: LearningAgreement) -> None:


    approvers = DepartmentApprover.objects.filter(
        department__code=agreement.placement.department_code, role__in=agreement.parties).select_related("user")
    for approver in approvers:
        traineeship_mail(to=approver.user.email, language=approver.user.language or "tr", template="approver_waiting",
                         context={"agreement": agreement, "path": reverse("traineeships:queue")})


def _student_path(placement) -> str:

    return reverse("traineeships:student", args=[placement.call.code])


def agreement_submit(*, agreement: LearningAgreement, at: dt.datetime, actor=None) -> LearningAgreement:
    """To the approvers and the host; earlier decisions on this version no longer count."""
    with transaction.atomic():
        agreement = LearningAgreement.objects.select_for_update(of=("self",)).select_related("placement__call", "placement__application__applicant").get(pk=agreement.pk)
        agreement.approvals.all().delete()
        return agreement_transition(agreement=agreement, to=S.SUBMITTED, at=at, actor=actor)


def agreement_decide(
    *, agreement: LearningAgreement, party: str, approved: bool, at: dt.datetime, signer_name: str, actor=None,
    reason: str = "", paper_received_on: dt.date | None = None,
) -> LearningAgreement:
    """One party's decision: who and when; a rejection sends the version back with the reason."""
    with transaction.atomic():
        agreement = LearningAgreement.objects.select_for_update(of=("self",)).select_related(
            "placement__call", "placement__application__applicant").get(pk=agreement.pk)
        if agreement.state != S.SUBMITTED:
            raise AgreementError(_("This version is not waiting for approvals."))
        if party not in agreement.parties:
            raise AgreementError(_("This party does not sign this Learning Agreement."))
        if agreement.approvals.filter(party=party).exists():
            raise AgreementError(_("This party has decided already."))
        if not approved and not reason.strip():
            raise AgreementError(_("Give the reason, so the student knows what to change."), "reason")
        Approval.objects.create(agreement=agreement, party=party, approved=approved, by=actor, signer_name=signer_name[:200],
                                at=at, reason=reason[:500], paper_received_on=paper_received_on)
        audit_record(actor=actor, action="agreement.decision", obj=agreement, data={
            "party": party, "approved": approved, "signer": signer_name, "at": at.isoformat(),
            **({"paper_received_on": paper_received_on.isoformat()} if paper_received_on else {})})
        if not approved:
            return agreement_transition(agreement=agreement, to=S.REJECTED, at=at, actor=actor, reason=reason)
        if set(agreement.approvals.values_list("party", flat=True)) >= set(agreement.parties):
            earlier = agreement.placement.agreements.filter(state=S.APPROVED, version__lt=agreement.version)
            for old in earlier.select_for_update():
                agreement_transition(agreement=old, to=S.SUPERSEDED, at=at, actor=actor)
            return agreement_transition(agreement=agreement, to=S.APPROVED, at=at, actor=actor)
        return agreement


def approver_parties(*, user, agreement: LearningAgreement) -> list[str]:
    """The parties `user` may sign for on this version (their department roles)."""

    roles = set(DepartmentApprover.objects.filter(
        user=user, department__code=agreement.placement.department_code).values_list("role", flat=True))
    return [party for party in agreement.parties if party in roles and party != Party.HOST]


def certificate_link_send(*, placement: Placement, at: dt.datetime, actor=None) -> str:
    """E-mail the host supervisor a one-time link to fill in the certificate (Table D)."""
    agreement = placement.agreements.filter(state=S.APPROVED).order_by("-version").first() or current_agreement(placement)
    if agreement is None or not agreement.mentor_email:
        raise AgreementError(_("There is no Learning Agreement with the mentor's e-mail yet."))
    with transaction.atomic():
        path = host_link_create(placement=placement, purpose="certificate", email=agreement.mentor_email, at=at, agreement=agreement)
        audit_record(actor=actor, action="traineeship.certificate_link", obj=placement, data={"to": agreement.mentor_email, "at": at.isoformat()})
        traineeship_mail(to=agreement.mentor_email, language="en", template="host_certificate", context={
            "agreement": agreement, "applicant": placement.application.applicant, "path": path})
    return path


RECOGNITION = ("compulsory_internship", "practice_course", "diploma_supplement")


def recognition_record(*, placement: Placement, kind: str, note: str, at: dt.datetime, actor=None):
    """How the department recognises the traineeship (document 002), shown on the student's page."""

    if kind not in RECOGNITION:
        raise AgreementError(_("Choose how the traineeship is recognised."), "recognition")
    with transaction.atomic():
        mobility, _created = Mobility.objects.select_for_update().get_or_create(placement=placement)
        mobility.recognition, mobility.recognition_note = kind, note[:300]
        mobility.recognised_at, mobility.recognised_by = at, actor
        mobility.save()
        audit_record(actor=actor, action="traineeship.recognition", obj=mobility, data={"kind": kind, "at": at.isoformat()})
        student_mail(placement=placement, template="recognised", context={"mobility": mobility, "path": _student_path(placement)})
    return mobility

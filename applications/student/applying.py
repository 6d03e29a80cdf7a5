"""A student's own application: draft, submit, reopen, withdraw; only inside the call's window.

The window is the call's pair of aware instants: open ≤ at < close. Every write checks it with
the `at` the caller passes (the view passes the request's time), inside the transaction that
writes, so a request one second after the close changes nothing.
"""
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from applications.history import history_adjustments
from applications.models import (
    AUDITED_FIELDS,
    BONUS_FIELDS,
    FLAG_FIELDS,
    Applicant,
    Application,
    ApplicationSource,
    ApplicationStatus,
    BonusClaim,
    Document,
    DocumentKind,
    DocumentStatus,
    Level,
)
from applications.student.mails import receipt_owe
from mobility.models import Call, CallStatus
from mobility.services.audit import audit_changes, audit_record, field_values
from mobility.services.calls import FINAL


class ApplicationError(Exception):
    """A refusal the student reads; nothing was saved."""


# The one table of a student's moves; office imports write submitted applications directly.
STUDENT_MOVES: dict[str, set[str]] = {
    ApplicationStatus.DRAFT: {ApplicationStatus.SUBMITTED, ApplicationStatus.WITHDRAWN},
    ApplicationStatus.SUBMITTED: {ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN},
    ApplicationStatus.WITHDRAWN: {ApplicationStatus.DRAFT},
}
# The office (the administration) may also submit or withdraw outside the window, until the final list.
OFFICE_MOVES: dict[str, set[str]] = {
    ApplicationStatus.DRAFT: {ApplicationStatus.SUBMITTED, ApplicationStatus.WITHDRAWN},
    ApplicationStatus.SUBMITTED: {ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN},
    ApplicationStatus.WITHDRAWN: {ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED},
}
GRADUATE = {Level.MASTER, Level.DOCTORATE}


def _when(value) -> str:
    return formats.date_format(timezone.localtime(value), "j F Y, H:i")


def call_window_check(*, call: Call, at) -> None:
    """Raise ApplicationError unless students may change applications of `call` at `at`."""
    if call.status != CallStatus.ANNOUNCED:
        raise ApplicationError(_("This call does not take applications. Nothing was changed."))
    if at < call.applications_open:
        raise ApplicationError(
            _("Applications open on %(open)s (Turkish time). Nothing was changed.") % {"open": _when(call.applications_open)}
        )
    if at >= call.applications_close:
        raise ApplicationError(
            _("Applications closed on %(close)s (Turkish time). Nothing was changed.") % {"close": _when(call.applications_close)}
        )


def _locked(application: Application) -> tuple[Application, Call]:
    application = Application.objects.select_for_update(of=("self",)).select_related("applicant").get(pk=application.pk)
    call = Call.objects.get(pk=application.call_id)
    return application, call


def application_transition(
    *, application: Application, to: ApplicationStatus | str, actor, at, by_office: bool = False,
) -> Application:
    """The one place an application changes status: the student within the window, the office
    (`by_office`, the administration) at any time until the call's final list."""
    to = ApplicationStatus(to)
    with transaction.atomic():
        application, call = _locked(application)
        if not by_office:
            call_window_check(call=call, at=at)
        elif call.status in FINAL:
            raise ApplicationError(_("The final list of this call is published; its applications are locked. Nothing was changed."))
        old = application.status
        if to not in (OFFICE_MOVES if by_office else STUDENT_MOVES).get(old, set()):
            raise ApplicationError(
                _("An application cannot go from “%(old)s” to “%(new)s”. Nothing was changed.")
                % {"old": ApplicationStatus(old).label, "new": to.label}
            )
        if to == ApplicationStatus.SUBMITTED:
            _check_complete(application, call)
            application.submitted_at = at
        application.status = to
        application.save(update_fields=["status", "submitted_at", "updated_at"])
        audit_record(actor=actor, action=f"application.{to}", obj=application, data={"from": old, "at": at.isoformat()})
        if to == ApplicationStatus.SUBMITTED:
            receipt_owe(application=application, key=at.isoformat())
    return application


def _check_complete(application: Application, call: Call) -> None:
    if not call.call_departments.filter(department_id=application.department_id).exists():
        raise ApplicationError(_("Your department is not among the departments of this call. Nothing was changed."))
    if not application.level:
        raise ApplicationError(_("Choose your level of study before submitting. Nothing was changed."))


@dataclass(frozen=True)
class DraftInput:
    """What the student's form gives; office-recorded values are ignored when the office imported them."""

    department_id: int | None
    level: str
    gpa: Decimal | None
    declared_previous_degree_gpa: Decimal | None
    prior_participations: int
    flags: frozenset[str]
    bonus_claims: frozenset[str]


def application_draft_save(*, applicant: Applicant, call: Call, data: DraftInput, actor, at) -> Application:
    """Create the student's draft for `call`, or change it while it is a draft (reopen a submitted one first)."""
    with transaction.atomic():
        call = Call.objects.get(pk=call.pk)
        call_window_check(call=call, at=at)
        application = Application.objects.select_for_update().filter(call=call, applicant=applicant).first()
        created = application is None
        if created:
            application = Application(
                call=call, applicant=applicant, status=ApplicationStatus.DRAFT, source=ApplicationSource.STUDENT,
                submitted_at=at,
            )
        elif application.status != ApplicationStatus.DRAFT:
            raise ApplicationError(_("Reopen your application before changing it. Nothing was changed."))
        before = {} if created else field_values(application, AUDITED_FIELDS)
        if application.source == ApplicationSource.STUDENT or created:
            if data.department_id is None or not call.call_departments.filter(department_id=data.department_id).exists():
                raise ApplicationError(_("Choose one of the call's departments. Nothing was changed."))
            if data.level not in Level.values:
                raise ApplicationError(_("Choose your level of study. Nothing was changed."))
            application.department_id = data.department_id
            application.level = data.level
            application.gpa = data.gpa
        graduate = application.level in GRADUATE
        application.declared_previous_degree_gpa = data.declared_previous_degree_gpa if graduate else None
        # Earlier calls' records are a floor: a student may add to them, not remove them.
        history = history_adjustments(applicant=applicant, before_call=call)
        application.prior_participations = max(data.prior_participations, history["prior_participations"])
        for field in FLAG_FIELDS:
            setattr(application, field, field in data.flags or bool(history.get(field)))
        accepted = set(
            Document.objects.filter(application_id=application.pk, status=DocumentStatus.ACCEPTED).values_list("kind", flat=True)
        ) if application.pk else set()
        for field in BONUS_FIELDS:
            setattr(application, field, bonus_state(claimed=field in data.bonus_claims, accepted=field in accepted))
        application.save()
        if created:
            audit_record(actor=actor, action="application.draft_saved", obj=application, data={"at": at.isoformat()})
        else:
            audit_changes(actor=actor, action="application.draft_saved", obj=application, before=before,
                          extra={"at": at.isoformat()})
    return application


def bonus_state(*, claimed: bool, accepted: bool) -> str:
    if not claimed:
        return BonusClaim.NONE
    return BonusClaim.VERIFIED if accepted else BonusClaim.CLAIMED


def application_prefill(*, applicant: Applicant, call: Call) -> dict:
    """Initial values of a new draft: the office's latest record of the student, then history's deductions."""
    earlier = (
        Application.objects.filter(applicant=applicant).exclude(call=call).order_by("-call__applications_open").first()
    )
    values = {
        "department": None, "level": "", "gpa": None, "declared_previous_degree_gpa": None,
        **history_adjustments(applicant=applicant, before_call=call),
    }
    if earlier is not None and call.call_departments.filter(department_id=earlier.department_id).exists():
        values.update(department=earlier.department_id, level=earlier.level, gpa=earlier.gpa)
    return values


def document_kinds_for(application: Application) -> list[str]:
    kinds = list(BONUS_FIELDS)
    if application.level in GRADUATE:
        kinds.append(DocumentKind.PREVIOUS_TRANSCRIPT)
    return kinds

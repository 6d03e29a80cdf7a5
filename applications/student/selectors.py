"""Reads for the student pages; each page's query count is fixed, whatever the number of calls or documents."""
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from applications.models import Applicant, Application, Document, DocumentStatus, OutcomeKind, OutcomeRecord
from mobility.models import Call, CallStatus
from mobility.models.calls import ADJUSTMENT_LABELS
from mobility.services.calls import appeal_window_open

ERASMUS_MONTHS_PER_CYCLE = 12
PUBLISHED = (CallStatus.PRELIMINARY_PUBLISHED, CallStatus.FINAL_PUBLISHED)


def student_applicant(user) -> Applicant | None:
    if not user.is_authenticated:
        return None
    return Applicant.objects.filter(user=user).first()


def call_for_students(*, code: str) -> Call:
    """Any call but a draft: a published or archived call stays reachable from the student's page."""
    call = Call.objects.exclude(status=CallStatus.DRAFT).filter(code=code).first()
    if call is None:
        raise Http404
    return call


def student_application(*, applicant: Applicant | None, application_id: int) -> Application:
    """The student's own application; someone else's is 404, never 403 (its existence is not revealed)."""
    if applicant is None:
        raise Http404
    application = Application.objects.select_related("call").filter(pk=application_id, applicant=applicant).first()
    if application is None:
        raise Http404
    return application


def student_dashboard(*, user, now=None) -> dict:
    """Open calls, the student's own applications, and published calls (they never disappear). Three queries."""
    now = now or timezone.now()
    applicant = student_applicant(user)
    mine = list(
        Application.objects.filter(applicant=applicant).select_related("call", "department").order_by("-call__applications_open")
    ) if applicant else []
    applied = {a.call_id for a in mine}
    others = Call.objects.exclude(pk__in=applied).filter(
        Q(status=CallStatus.ANNOUNCED, applications_close__gt=now) | Q(status__in=PUBLISHED)
    ).order_by("applications_close", "code")
    open_calls = [c for c in others if c.status == CallStatus.ANNOUNCED]
    published = [c for c in others if c.status in PUBLISHED]
    appeals_open = [a.call.code for a in mine if appeal_window_open(call=a.call, at=now)]
    return {
        "applicant": applicant, "my_applications": mine, "open_calls": open_calls, "published_calls": published,
        "appeals_open": appeals_open,
    }


@dataclass(frozen=True)
class ResultLine:
    label: str
    points: Decimal
    count: int
    applied: bool


def result_lines(result) -> list[ResultLine]:
    return [
        ResultLine(str(ADJUSTMENT_LABELS.get(line["code"], line["code"])), Decimal(line["points"]), line["count"], line["applied"])
        for line in result.adjustments or []
    ]


def erasmus_months_left(*, application: Application) -> tuple[int, int]:
    """(months left, months used) of the 12 per study cycle.

    The portal does not record how long each earlier mobility lasted. It counts, for each earlier
    participation at the same level (one level = one study cycle), the funded months of the call
    it came from when the office recorded it, and the current call's funded months for each
    further participation the application declares without such a record.
    """
    records = list(
        OutcomeRecord.objects.filter(
            application__applicant_id=application.applicant_id, application__level=application.level,
            kind=OutcomeKind.PARTICIPATED,
        ).exclude(application__call_id=application.call_id).values_list("application__call__funded_months", flat=True)
    )
    used = sum(records) + max(0, application.prior_participations - len(records)) * application.call.funded_months
    return max(0, ERASMUS_MONTHS_PER_CYCLE - used), used


def application_documents(*, application: Application | None) -> list[Document]:
    if application is None:
        return []
    return list(Document.objects.filter(application=application).order_by("uploaded_at", "pk"))


def documents_waiting() -> QuerySet[Document]:
    """The office's queue: documents not yet decided, oldest first."""
    return (
        Document.objects.filter(status=DocumentStatus.PENDING)
        .select_related("application__applicant", "application__call", "application__department")
        .order_by("uploaded_at", "pk")
    )

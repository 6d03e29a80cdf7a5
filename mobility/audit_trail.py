"""One application's history, merged from every place that records it (a fixed number of queries).

The audit trail of the services, the administration's own change log (edits of the application,
its applicant and exam results), and the application's line in every published list.
"""
from dataclasses import dataclass
from datetime import datetime

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from applications.models import Applicant, Application, ExamResult
from mobility.models import AuditEntry
from selection.models import Publication, SelectionResult


@dataclass(frozen=True)
class Step:
    at: datetime
    actor: str
    kind: str  # "audit", "admin", "publication"
    action: str
    details: object


def application_trail(*, application: Application) -> list[Step]:
    steps: list[Step] = []
    for entry in AuditEntry.objects.filter(
        object_type="applications.application", object_id=str(application.pk)
    ).select_related("actor"):
        steps.append(Step(entry.at, str(entry.actor or "—"), "audit", entry.action, entry.data))
    types = ContentType.objects.get_for_models(Application, Applicant, ExamResult)
    exam_ids = [str(pk) for pk in ExamResult.objects.filter(applicant_id=application.applicant_id).values_list("pk", flat=True)]
    admin_log = LogEntry.objects.filter(
        Q(content_type=types[Application], object_id=str(application.pk))
        | Q(content_type=types[Applicant], object_id=str(application.applicant_id))
        | Q(content_type=types[ExamResult], object_id__in=exam_ids)
    ).select_related("user", "content_type")
    for entry in admin_log:
        steps.append(Step(entry.action_time, str(entry.user), "admin", entry.content_type.model, entry.get_change_message() or str(entry)))
    publications = list(Publication.objects.filter(call_id=application.call_id).select_related("published_by"))
    results = {
        r.run_id: r for r in SelectionResult.objects.filter(
            application=application, run_id__in=[p.run_id for p in publications]
        ).only("run_id", "outcome", "department_rank", "order", "final_score")
    }
    for p in publications:
        r = results.get(p.run_id)
        details = {"stage": p.get_stage_display(), "run": p.run_id}
        if r is not None:
            details.update(outcome=r.get_outcome_display(), rank=r.department_rank, order=r.order, score=r.final_score)
        steps.append(Step(p.published_at, str(p.published_by or "—"), "publication", f"publication.{p.stage}", details))
    steps.sort(key=lambda s: s.at, reverse=True)
    return steps

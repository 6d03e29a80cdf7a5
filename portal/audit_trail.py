"""One application's history, merged from every place that records it (a fixed number of queries).

The audit trail of the services, the administration's own change log (edits of the application,
its applicant and exam results), and the application's line in every published list.
"""
from dataclasses import dataclass
from datetime import datetime

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from applications.models import Applicant, Application, ExamResult
from mobility.audit_words import entry_words, related_names_remembered
from mobility.models import AuditEntry
from selection.models import Publication, SelectionResult

# Readable names of the audit actions; an action not listed is shown as its code.
ACTION_LABELS = {
    "appeal.filed": _("Appeal filed"),
    "appeal.accepted": _("Appeal accepted"),
    "appeal.rejected": _("Appeal rejected"),
    "applications.imported": _("Applications imported"),
    "exam_results.imported": _("Exam results imported"),
    "application.edited": _("Application edited in the administration"),
    "application.draft_saved": _("Draft saved by the student"),
    "application.document_decided": _("Document decided: bonus or transcript changed"),
    "application.submitted": _("Application submitted"),
    "application.withdrawn": _("Application withdrawn"),
    "application.draft": _("Application reopened"),
    "call.created": _("Call created"),
    "call.updated": _("Call file loaded again"),
    "call.edited": _("Call edited in the administration"),
    "call.status": _("Call status changed"),
    "call.inputs_changed": _("Inputs of the selection changed"),
    "publication.preliminary": _("Preliminary list published"),
    "publication.final": _("Final list published"),
    "selection.queued": _("Selection queued"),
    "selection.running": _("Selection running"),
    "selection.finished": _("Selection finished"),
    "selection.failed": _("Selection failed"),
}


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


@dataclass(frozen=True)
class Step:
    at: datetime
    actor: str
    kind: str  # "audit", "admin", "publication"
    action: str
    details: object


def application_trail(*, application: Application) -> list[Step]:
    steps: list[Step] = []
    entries = AuditEntry.objects.filter(object_type="applications.application", object_id=str(application.pk))
    with related_names_remembered():
        for entry in entries.select_related("actor"):
            # In words, as on the call's trail: no keys, status codes or ISO stamps in the page's language.
            label, lines = entry_words(action=entry.action, data=entry.data, labels=ACTION_LABELS, object_type=entry.object_type)
            steps.append(Step(entry.at, str(entry.actor or "—"), "audit", label, "; ".join(lines)))
    types = ContentType.objects.get_for_models(Application, Applicant, ExamResult)
    exam_ids = [str(pk) for pk in ExamResult.objects.filter(applicant_id=application.applicant_id).values_list("pk", flat=True)]
    admin_log = LogEntry.objects.filter(
        Q(content_type=types[Application], object_id=str(application.pk))
        | Q(content_type=types[Applicant], object_id=str(application.applicant_id))
        | Q(content_type=types[ExamResult], object_id__in=exam_ids)
    ).select_related("user", "content_type")
    for entry in admin_log:
        # The model's name in the reader's language (the content type's `model` is an English code).
        steps.append(Step(entry.action_time, str(entry.user), "admin", entry.content_type.name, entry.get_change_message() or str(entry)))
    publications = list(Publication.objects.filter(call_id=application.call_id).select_related("published_by"))
    results = {
        r.run_id: r for r in SelectionResult.objects.filter(
            application=application, run_id__in=[p.run_id for p in publications]
        ).only("run_id", "outcome", "department_rank", "order", "final_score")
    }
    for p in publications:
        r = results.get(p.run_id)
        if r is None:
            details = _("run #%(run)s: not in this list") % {"run": p.run_id}
        else:
            details = _("run #%(run)s: %(outcome)s, rank %(rank)s, order %(order)s, final score %(score)s") % {
                "run": p.run_id, "outcome": r.get_outcome_display(), "rank": r.department_rank or "—",
                "order": r.order or "—", "score": "—" if r.final_score is None else formats.number_format(r.final_score, 2),
            }
        steps.append(Step(p.published_at, str(p.published_by or "—"), "publication", action_label(f"publication.{p.stage}"), details))
    steps.sort(key=lambda s: s.at, reverse=True)
    return steps

"""Reads for a call's workspace: where the call stands and what needs attention (a fixed number of queries)."""
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef

from appeals.selectors import appeals_open_count
from applications.models import Application, ApplicationStatus, Document, DocumentStatus, ExamResult
from applications.selectors import exam_session_for_call
from letters.models import LetterDecision, Placement
from letters.services.ledger import ledger_read
from mobility.models import Call
from mobility.services.calls import call_transitions_offered
from selection.models import Outcome, Publication, PublicationStage, RunStatus, SelectionResult, SelectionRun
from selection.staleness import run_staleness

SCORE_BUCKETS = [(low, low + 10) for low in range(0, 100, 10)]


@dataclass
class Workspace:
    call: Call
    departments: list[str] | None  # None: every department
    applications: dict[str, int] = field(default_factory=dict)
    documents_waiting: int | None = None
    exams_imported: int = 0
    exams_missing: int = 0
    last_run: SelectionRun | None = None
    current_run: SelectionRun | None = None
    staleness: object = None
    publications: list = field(default_factory=list)
    appeals_open: int = 0
    outcomes_by_department: dict[str, dict[str, int]] = field(default_factory=dict)
    scores_by_department: dict[str, list[int]] = field(default_factory=dict)
    transitions: list[str] = field(default_factory=list)
    placements: dict[str, int] = field(default_factory=dict)  # after the final list: status -> count
    letters_waiting: int = 0
    ledger: object = None  # the office only: budget, held, committed, free

    @property
    def attention(self) -> list[str]:
        """Short codes of what needs doing, for the template to word."""
        todo = []
        if self.exams_missing:
            todo.append("exams_missing")
        if self.documents_waiting:
            todo.append("documents_waiting")
        if self.last_run is None and self.applications.get(ApplicationStatus.SUBMITTED):
            todo.append("no_run")
        if self.staleness is not None and self.staleness.stale:
            todo.append("stale")
        if self.last_run is not None and self.last_run.before_close:
            todo.append("before_close")
        if self.appeals_open:
            todo.append("appeals_open")
        if self.letters_waiting:
            todo.append("letters_waiting")
        if self.ledger is not None and self.ledger.free < 0:
            todo.append("over_budget")
        return todo


def _bucket(score) -> int:
    index = int(score // 10) if score is not None else 0
    return max(0, min(index, len(SCORE_BUCKETS) - 1))


def call_workspace(*, call: Call, departments: list[str] | None, include_sensitive: bool) -> Workspace:
    """`departments`: the coordinator's department codes, or None for the office (everything).

    `include_sensitive`: whether counts that touch special-category data (documents for a disability
    or martyr/veteran bonus) may be shown: the office only.
    """
    ws = Workspace(call=call, departments=departments, transitions=call_transitions_offered(call))
    apps = Application.objects.filter(call=call)
    if departments is not None:
        apps = apps.filter(department__code__in=departments)
    ws.applications = dict(apps.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    if include_sensitive:
        # Documents handed in and not yet decided (a claim without a document waits for the student).
        ws.documents_waiting = Document.objects.filter(application__in=apps, status=DocumentStatus.PENDING).count()
    session = exam_session_for_call(call=call)
    has_exam = Exists(ExamResult.objects.filter(session=session, applicant=OuterRef("applicant_id")))
    exams = (
        apps.filter(status=ApplicationStatus.SUBMITTED).annotate(has_exam=has_exam)
        .values("has_exam").annotate(n=Count("pk")).values_list("has_exam", "n")
    )
    for has, n in exams:
        if has:
            ws.exams_imported = n
        else:
            ws.exams_missing = n
    runs = SelectionRun.objects.filter(call=call).defer("inputs_snapshot").order_by("-created_at", "-id")
    ws.current_run = runs.first()
    ws.last_run = runs.filter(status=RunStatus.FINISHED).first()
    if ws.last_run is not None:
        ws.staleness = run_staleness(call=call, run=ws.last_run)
        results = SelectionResult.objects.filter(run=ws.last_run)
        if departments is not None:
            results = results.filter(department_code__in=departments)
        for code, outcome, n in results.values_list("department_code", "outcome").annotate(n=Count("pk")).values_list(
            "department_code", "outcome", "n"
        ):
            ws.outcomes_by_department.setdefault(code, dict.fromkeys(Outcome.values, 0))[outcome] = n
        buckets: dict[str, Counter] = {}
        for code, score in results.filter(final_score__isnull=False).values_list("department_code", "final_score").iterator():
            buckets.setdefault(code, Counter())[_bucket(score)] += 1
        ws.scores_by_department = {
            code: [counter.get(i, 0) for i in range(len(SCORE_BUCKETS))] for code, counter in sorted(buckets.items())
        }
    ws.publications = list(Publication.objects.filter(call=call).select_related("published_by").order_by("-published_at"))
    ws.appeals_open = _appeals_open(call, departments)
    if any(p.stage == PublicationStage.FINAL for p in ws.publications):
        _after_final(ws, call, departments, include_sensitive)
    return ws


def _after_final(ws: Workspace, call: Call, departments, office: bool) -> None:
    """Placements, letters waiting and, for the office, the budget ledger (three queries)."""
    placements = Placement.objects.filter(call=call)
    if departments is not None:
        placements = placements.filter(department_code__in=departments)
    counts = dict(placements.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    counts["promoted"] = placements.filter(promoted=True).count()
    ws.placements = counts
    ws.letters_waiting = placements.filter(letter__decision=LetterDecision.WAITING).count()
    if office:
        ws.ledger = ledger_read(call=call)


def _appeals_open(call: Call, departments) -> int:
    return appeals_open_count(call=call, departments=departments)

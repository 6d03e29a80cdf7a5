import datetime as dt
import logging
import time

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mobility.models import Call
from mobility.services.audit import audit_record
from mobility.services.calls import FINAL
from selection import adapters, engine
from selection.models import ACTIVE_RUN_STATUSES, RunFailure, RunStatus, SelectionRun

logger = logging.getLogger(__name__)
LOCK_NOT_AVAILABLE = "55P03"  # PostgreSQL's answer to FOR UPDATE NOWAIT on a locked row

RUN_TRANSITIONS: dict[str, set[str]] = {
    RunStatus.QUEUED: {RunStatus.RUNNING, RunStatus.FAILED, RunStatus.CANCELLED},
    RunStatus.RUNNING: {RunStatus.FINISHED, RunStatus.FAILED, RunStatus.CANCELLED},
    RunStatus.FINISHED: set(),
    RunStatus.FAILED: set(),
    RunStatus.CANCELLED: set(),
}


class SelectionBusy(Exception):
    """A run of the same call is queued or running."""


class SelectionNeedsConfirmation(Exception):
    """Applications are still open: a run now may miss later ones, so staff must say they know."""


class SelectionTransitionError(Exception):
    pass


class SelectionEnqueueError(Exception):
    """The task queue refused the run; the run has been marked failed."""


class SelectionCancelError(Exception):
    """The run cannot be cancelled (it has ended, or a worker is computing it right now)."""


def run_transition(*, run: SelectionRun, to: RunStatus, actor=None, **fields) -> SelectionRun:
    """The one place a run changes status; callers hold the transaction.

    The write is conditional on the status the caller read, so a run that the sweep, a cancel or
    a worker ended meanwhile is never overwritten (SQLite has no row locks to prevent that).
    """
    if to not in RUN_TRANSITIONS[run.status]:
        raise SelectionTransitionError(f"run {run.pk}: {run.status} -> {to} is not allowed")
    old = run.status
    if not SelectionRun.objects.filter(pk=run.pk, status=old).update(status=to, **fields):
        raise SelectionTransitionError(f"run {run.pk}: no longer {old}")
    run.status = to
    for name, value in fields.items():
        setattr(run, name, value)
    audit_record(actor=actor, action=f"selection.{to}", obj=run, data={"from": old, "call": run.call_id})
    return run


def _lock_run(run_id: int, **options) -> SelectionRun | None:
    # of=("self",): lock the run row only, never its call (starting a run locks the call).
    return SelectionRun.objects.select_for_update(of=("self",), **options).select_related("call").filter(pk=run_id).first()


def _check_inputs(call: Call, departments, applicants) -> None:
    """Problems an office can cause, said in its language before the engine would refuse them."""
    known = {d.code: d for d in departments}
    used = {a.department_code for a in applicants}
    stray = sorted(used - set(known))
    if stray:
        raise engine.EngineInputError(
            _("Applications in departments that are no longer part of the call: %(codes)s.") % {"codes": ", ".join(stray)}
        )
    if call.academic_formula == engine.AcademicFormula.DEPARTMENT_RELATIVE:
        missing = sorted(code for code in used if known[code].gpa_average is None)
        if missing:
            raise engine.EngineInputError(
                _("The department GPA average is missing for %(codes)s; the academic score needs it.")
                % {"codes": ", ".join(missing)}
            )


def selection_run_start(*, call: Call, actor=None, early_confirmed: bool = True) -> SelectionRun:
    """Queue a run; refused at once when another run of the call is queued or running, and while
    applications are open unless confirmed (the run is then marked before the close). The web door,
    selection_run_enqueue, asks by default; the command line's typing of the command is the confirmation."""
    try:
        with transaction.atomic():
            locked = Call.objects.select_for_update().get(pk=call.pk)
            if locked.status in FINAL:
                raise SelectionBusy(
                    _("The final list of call %(code)s is published; a new selection cannot replace it.")
                    % {"code": call.code}
                )
            run = SelectionRun.objects.create(
                call=call, started_by=actor if getattr(actor, "pk", None) else None,
                before_close=timezone.now() < locked.applications_close,
            )
            if run.before_close and not early_confirmed:
                # After the insert, so that "a run is already running" is said first; this rolls it back.
                raise SelectionNeedsConfirmation(
                    _("Applications to %(code)s are still open; confirm that the selection should run before the close.")
                    % {"code": call.code}
                )
            audit_record(actor=actor, action="selection.queued", obj=run, data={"call": call.pk})
    except IntegrityError:
        raise SelectionBusy(
            _("A selection for call %(code)s is already running. Wait for it to finish, then try again.")
            % {"code": call.code}
        ) from None
    return run


def selection_run_execute(*, run_id: int) -> SelectionRun:
    """Score, rank and allocate. Safe to call twice: a run that is not queued is left as it is.

    The attempt computing a run holds the run's row lock until the results are stored. A run
    found `running` without that lock was therefore started by an attempt that died with its
    database connection (a killed worker, whose task the broker delivers again): it is reported
    failed at once rather than computed again, since whatever killed the worker may do it again.
    """
    with transaction.atomic():
        run = _lock_run(run_id, skip_locked=True)
        if run is None:  # locked: another attempt is computing it right now
            return SelectionRun.objects.get(pk=run_id)
        if run.status == RunStatus.RUNNING:
            return run_transition(run=run, to=RunStatus.FAILED, failure=RunFailure.WORKER_LOST, finished_at=timezone.now())
        if run.status != RunStatus.QUEUED:
            return run
        run_transition(run=run, to=RunStatus.RUNNING, started_at=timezone.now())
    started = time.perf_counter()
    try:
        with transaction.atomic():
            run = _lock_run(run_id)
            if run.status != RunStatus.RUNNING:  # cancelled or expired in between
                return run
            call = run.call
            rules, departments = adapters.call_rules_load(call=call)
            applicants = adapters.applicants_load(call=call)
            _check_inputs(call, departments, applicants)
            outcome = engine.run_selection(rules, departments, applicants)
            adapters.results_store(run=run, outcome=outcome)
            run_transition(
                run=run, to=RunStatus.FINISHED,
                finished_at=timezone.now(),
                duration_ms=int((time.perf_counter() - started) * 1000),
                rules_snapshot=adapters.rules_snapshot_build(call=call, rules=rules, departments=departments),
                inputs_snapshot=adapters.inputs_snapshot_build(applicants=applicants),
                places=outcome.places, primaries=outcome.primaries, reserves=outcome.reserves, excluded=outcome.excluded,
            )
    except Exception as exc:
        logger.exception("selection run %s failed", run_id)
        if isinstance(exc, engine.EngineInputError):
            failure = RunFailure.INPUT
        elif isinstance(exc, SoftTimeLimitExceeded):
            failure = RunFailure.TIMEOUT
        else:
            failure = RunFailure.ERROR
        with transaction.atomic():
            run = _lock_run(run_id)
            if run.status != RunStatus.RUNNING:
                return run  # cancelled or expired meanwhile (possible on SQLite): already reported
            run_transition(
                run=run, to=RunStatus.FAILED, failure=failure, finished_at=timezone.now(),
                duration_ms=int((time.perf_counter() - started) * 1000), error=str(exc)[:2000],
            )
        if isinstance(exc, engine.EngineInputError):
            return run
        raise
    return run


def selection_run(*, call: Call, actor=None) -> SelectionRun:
    """Start and execute in this process (the command line)."""
    run = selection_run_start(call=call, actor=actor)
    return selection_run_execute(run_id=run.pk)


def selection_run_enqueue(*, call: Call, actor=None, early_confirmed: bool = False) -> SelectionRun:
    """Start a run and hand it to the worker once the start is committed (the staff pages).

    When the broker cannot be reached the run is failed at once (it would otherwise stay queued
    and block the call) and SelectionEnqueueError tells the caller.
    """
    run = selection_run_start(call=call, actor=actor, early_confirmed=early_confirmed)

    def send():
        try:
            execute_selection_run.delay(run.pk)
        except Exception as exc:  # noqa: BLE001 — kombu and redis raise many kinds of connection errors
            logger.warning("selection run %s could not be queued: %r", run.pk, exc)
            with transaction.atomic():
                current = _lock_run(run.pk)
                if current.status == RunStatus.QUEUED:
                    run_transition(
                        run=current, to=RunStatus.FAILED, actor=actor, failure=RunFailure.ENQUEUE,
                        finished_at=timezone.now(), error=f"{type(exc).__name__}: {exc}"[:2000],
                    )
            raise SelectionEnqueueError(
                _("The selection could not be handed to the background worker (the task queue is unreachable), "
                  "so it was not started. Try again in a few minutes; if it keeps failing, tell the administrator.")
            ) from exc

    transaction.on_commit(send)
    return run


def selection_run_cancel(*, call: Call, run_id: int, actor=None) -> SelectionRun:
    """End a queued or running run that is stuck. A run a worker is computing right now is not
    touched (it ends by itself, at the latest at the time limit)."""
    try:
        with transaction.atomic():
            run = SelectionRun.objects.select_for_update(of=("self",), nowait=True).filter(pk=run_id, call=call).first()
            if run is None or run.status not in ACTIVE_RUN_STATUSES:
                raise SelectionCancelError(_("This run has already ended."))
            return run_transition(
                run=run, to=RunStatus.CANCELLED, actor=actor, failure=RunFailure.CANCELLED, finished_at=timezone.now(),
            )
    except OperationalError as exc:
        if getattr(exc.__cause__, "pgcode", None) != LOCK_NOT_AVAILABLE:
            raise
        raise SelectionCancelError(
            _("The worker is computing this run right now, so it cannot be cancelled. "
              "It ends by itself, at the latest %(minutes)s minutes after it started.")
            % {"minutes": run_timeout_minutes()}
        ) from None


def run_timeout_minutes() -> int:
    return max(1, round(settings.SELECTION_RUN_TIMEOUT / 60))


def selection_runs_expire(*, at: dt.datetime) -> list[SelectionRun]:
    """The periodic sweep's part: fail runs queued or running for longer than SELECTION_RUN_TIMEOUT,
    so that no call stays blocked. A run whose lock a live worker holds is left for the next sweep
    (the worker's hard time limit ends it)."""
    limit = at - dt.timedelta(seconds=settings.SELECTION_RUN_TIMEOUT)
    stale = Q(status=RunStatus.QUEUED, created_at__lt=limit) | Q(status=RunStatus.RUNNING, started_at__lt=limit)
    expired = []
    for run_id in SelectionRun.objects.filter(stale).order_by("pk").values_list("pk", flat=True):
        with transaction.atomic():
            run = SelectionRun.objects.select_for_update(of=("self",), skip_locked=True).filter(stale, pk=run_id).first()
            if run is None:
                continue
            expired.append(run_transition(run=run, to=RunStatus.FAILED, failure=RunFailure.TIMEOUT, finished_at=at))
    return expired


@shared_task(name="selection.tasks.execute_selection_run")
def execute_selection_run(run_id: int) -> str:
    return selection_run_execute(run_id=run_id).status


@shared_task(name="selection.tasks.expire_stuck_runs")
def expire_stuck_runs() -> int:
    return len(selection_runs_expire(at=timezone.now()))

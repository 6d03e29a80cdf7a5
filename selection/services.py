import logging
import time

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mobility.models import Call
from mobility.services.audit import audit_record
from mobility.services.calls import FINAL
from selection import adapters, engine
from selection.models import RunStatus, SelectionRun

logger = logging.getLogger(__name__)

RUN_TRANSITIONS: dict[str, set[str]] = {
    RunStatus.QUEUED: {RunStatus.RUNNING, RunStatus.FAILED},
    RunStatus.RUNNING: {RunStatus.FINISHED, RunStatus.FAILED},
    RunStatus.FINISHED: set(),
    RunStatus.FAILED: set(),
}


class SelectionBusy(Exception):
    """A run of the same call is queued or running."""


class SelectionTransitionError(Exception):
    pass


def run_transition(*, run: SelectionRun, to: RunStatus, actor=None, **fields) -> SelectionRun:
    """The one place a run changes status; callers hold the transaction."""
    if to not in RUN_TRANSITIONS[run.status]:
        raise SelectionTransitionError(f"run {run.pk}: {run.status} -> {to} is not allowed")
    old = run.status
    run.status = to
    for name, value in fields.items():
        setattr(run, name, value)
    run.save(update_fields=["status", *fields])
    audit_record(actor=actor, action=f"selection.{to}", obj=run, data={"from": old, "call": run.call_id})
    return run


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


def selection_run_start(*, call: Call, actor=None) -> SelectionRun:
    """Queue a run; refused at once when another run of the call is queued or running."""
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
            audit_record(actor=actor, action="selection.queued", obj=run, data={"call": call.pk})
    except IntegrityError:
        raise SelectionBusy(
            _("A selection for call %(code)s is already running. Wait for it to finish, then try again.")
            % {"code": call.code}
        ) from None
    return run


def selection_run_execute(*, run_id: int) -> SelectionRun:
    """Score, rank and allocate. Safe to call twice: a run that is not queued is left as it is."""
    with transaction.atomic():
        run = SelectionRun.objects.select_for_update().select_related("call").get(pk=run_id)
        if run.status != RunStatus.QUEUED:
            return run
        run_transition(run=run, to=RunStatus.RUNNING, started_at=timezone.now())
    started = time.perf_counter()
    try:
        with transaction.atomic():
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
        with transaction.atomic():
            run = SelectionRun.objects.select_for_update().get(pk=run_id)
            run_transition(
                run=run, to=RunStatus.FAILED, finished_at=timezone.now(),
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


def selection_run_enqueue(*, call: Call, actor=None) -> SelectionRun:
    """Start a run and hand it to the worker once the start is committed (the staff pages)."""
    from selection.tasks import execute_selection_run

    run = selection_run_start(call=call, actor=actor)
    transaction.on_commit(lambda: execute_selection_run.delay(run.pk))
    return run

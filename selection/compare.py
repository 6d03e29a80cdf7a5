"""Reading runs against each other: who moved between two runs and why, and what another budget would give."""
import dataclasses
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mobility.numbers import NumberInvalid, decimal_read
from selection import adapters, engine
from selection.models import Outcome, SelectionResult
from selection.staleness import rules_changes

INPUT_LABELS = {
    "department_code": gettext_lazy("department"), "level": gettext_lazy("level"), "gpa": gettext_lazy("GPA"),
    "previous_degree_gpa": gettext_lazy("previous degree GPA"), "written": gettext_lazy("written exam"), "listening": gettext_lazy("listening exam"),
    "absent": gettext_lazy("absence"), "has_exam_result": gettext_lazy("exam result"), "prior_participations": gettext_lazy("earlier participations"),
    "flags": gettext_lazy("deductions"), "bonuses": gettext_lazy("bonus documents"), "student_number": gettext_lazy("student number"),
}


@dataclass(frozen=True)
class Move:
    student_number: str
    name: str
    department: str
    before: tuple  # (outcome, department rank, order, final score) or None
    after: tuple
    why: list[str]


def _inputs_by_key(run) -> dict[str, dict]:
    snapshot = run.inputs_snapshot or {}
    columns = snapshot.get("columns", []) if isinstance(snapshot, dict) else []
    return {str(row[0]): dict(zip(columns, row)) for row in adapters.inputs_snapshot_rows(snapshot)}


def _results(run) -> dict[int, SelectionResult]:
    rows = SelectionResult.objects.filter(run=run).select_related("application__applicant").only(
        "application_id", "student_number", "department_code", "outcome", "department_rank", "order", "final_score",
        "application__applicant__first_name", "application__applicant__last_name",
    )
    return {r.application_id: r for r in rows}


def _key(r) -> tuple | None:
    # The outcome in words (the page's language), never the stored code.
    return None if r is None else (str(r.get_outcome_display()), r.department_rank, r.order, r.final_score)


def runs_compare(*, older, newer) -> dict:
    """Every applicant whose outcome, rank, order or score differs, with the inputs of theirs that changed."""
    before, after = _results(older), _results(newer)
    inputs_before, inputs_after = _inputs_by_key(older), _inputs_by_key(newer)
    rules = rules_changes(before=older.rules_snapshot or {}, after=newer.rules_snapshot or {})
    moves = []
    for pk in sorted(set(before) | set(after)):
        a, b = before.get(pk), after.get(pk)
        if _key(a) == _key(b):
            continue
        why: list[str] = []
        old_in, new_in = inputs_before.get(str(pk)), inputs_after.get(str(pk))
        if old_in is None:
            why.append(_("new in this run"))
        elif new_in is None:
            why.append(_("no longer among the inputs (withdrawn or removed)"))
        else:
            changed = [str(INPUT_LABELS.get(c, c)) for c in new_in if c not in ("key", "sequence") and old_in.get(c) != new_in.get(c)]
            if changed:
                why.append(_("own inputs changed: %(fields)s") % {"fields": ", ".join(changed)})
        if not why:
            why.append(_("others' inputs or the rules changed") if not rules else _("rules changed: %(rules)s") % {"rules": ", ".join(rules)})
        row = b or a
        applicant = row.application.applicant
        moves.append(Move(
            student_number=row.student_number, name=f"{applicant.first_name} {applicant.last_name}",
            department=row.department_code, before=_key(a), after=_key(b), why=why,
        ))
    moves.sort(key=lambda m: (m.department, m.student_number))
    return {"moves": moves, "rules": rules, "older": older, "newer": newer}


class WhatIfError(Exception):
    pass


# What a call's budget field holds (12 digits, 2 of them decimals).
BUDGET_LIMIT = Decimal(10) ** 10


def what_if_budget(*, call, budget: str, last_run=None) -> dict:
    """Run the pure engine on today's inputs with another budget; nothing is stored."""
    try:
        amount = decimal_read(budget)
    except NumberInvalid:
        raise WhatIfError(_("Enter the budget as a number, e.g. 4050 or 4050,00.")) from None
    if amount < 0:
        raise WhatIfError(_("The budget cannot be negative."))
    if amount >= BUDGET_LIMIT:
        raise WhatIfError(_("The budget must be less than %(limit)s euros.") % {"limit": f"{BUDGET_LIMIT:,}".replace(",", ".")})
    rules, departments = adapters.call_rules_load(call=call)
    places = int(amount // call.planning_amount_eur) if call.planning_amount_eur else 0
    rules = dataclasses.replace(rules, places=places)
    applicants = adapters.applicants_load(call=call)
    try:
        outcome = engine.run_selection(rules, departments, applicants)
    except engine.EngineInputError as exc:
        raise WhatIfError(str(exc)) from None
    now = {int(r.key): r for r in outcome.results}
    primaries = sorted(
        (r for r in outcome.results if r.outcome == engine.Outcome.PRIMARY), key=lambda r: (r.order or 0, r.student_number),
    )
    changes = []
    if last_run is not None:
        for pk, old in _results(last_run).items():
            new = now.get(pk)
            if new is not None and str(new.outcome) != old.outcome:
                changes.append((old.student_number, old.department_code, old.get_outcome_display(), Outcome(str(new.outcome)).label))
        changes.sort()
    return {"budget": amount, "places": places, "primaries": primaries, "count": outcome.primaries, "changes": changes}

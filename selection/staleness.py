"""Whether a run still matches the call: derived, never stored, so no code path can forget to mark it.

A run is stale when the rules it used differ from the call's rules now (budget, weights, minimums,
departments: compared with its rules snapshot), or when an input changed after it started:
an import, a document decision or an application edit (found in the audit trail and in the
applications' and exam results' update times). After the final list no run is stale.
"""
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

from applications.models import Application, ExamResult
from applications.selectors import exam_session_name
from mobility.models import AuditEntry, Call
from mobility.services.calls import FINAL
from selection import adapters

# Audit actions on a call that change what a selection reads.
INPUT_ACTIONS = {
    "applications.imported": _("applications imported"),
    "exam_results.imported": _("exam results imported"),
    "call.updated": _("call rules changed"),
    "call.inputs_changed": _("inputs changed"),
    "appeal.accepted": _("appeal accepted"),
}
RULE_LABELS = {
    "budget_eur": _("budget"),
    "planning_amount_eur": _("planning amount"),
    "places": _("primary places"),
    "departments": _("departments"),
}


@dataclass(frozen=True)
class Staleness:
    stale: bool
    reasons: tuple[str, ...]


def current_rules_snapshot(call: Call) -> dict:
    rules, departments = adapters.call_rules_load(call=call)
    return adapters.rules_snapshot_build(call=call, rules=rules, departments=departments)


def _canonical(value):
    """"10", "10.00" and Decimal("10") are the same rule: compare numbers as numbers."""
    if isinstance(value, dict):
        return {k: _canonical(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_canonical(v) for v in value]
    if isinstance(value, str):
        try:
            return Decimal(value)
        except InvalidOperation:
            return value
    return value


def rules_changes(*, before: dict, after: dict) -> list[str]:
    """Names of the rules that differ between two snapshots, in words."""
    keys = sorted(set(before) | set(after))
    labels = [str(RULE_LABELS.get(k, _("rules"))) for k in keys if _canonical(before.get(k)) != _canonical(after.get(k))]
    return list(dict.fromkeys(labels))


def run_staleness(*, call: Call, run) -> Staleness:
    """Four queries at most: departments, audit trail, applications, exam results.

    After the final list no run can replace it, so nothing is stale: advising a run would be advice
    nobody can follow.
    """
    if run is None or call.status in FINAL:
        return Staleness(False, ())
    since = run.started_at or run.created_at
    reasons: list[str] = []
    for label in dict.fromkeys(rules_changes(before=run.rules_snapshot or {}, after=current_rules_snapshot(call))):
        reasons.append(label)
    actions = (
        AuditEntry.objects.filter(object_type="mobility.call", object_id=str(call.pk), action__in=INPUT_ACTIONS, at__gt=since)
        .values_list("action", flat=True).distinct()
    )
    for action in sorted(set(actions)):
        reasons.append(str(INPUT_ACTIONS[action]))
    if Application.objects.filter(call=call, updated_at__gt=since).exists():
        reasons.append(str(_("applications edited")))
    if ExamResult.objects.filter(
        session__name=exam_session_name(call=call), applicant__applications__call=call, updated_at__gt=since,
    ).exists():
        reasons.append(str(_("exam results edited")))
    reasons = list(dict.fromkeys(reasons))
    return Staleness(bool(reasons), tuple(reasons))

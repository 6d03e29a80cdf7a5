from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mobility.models import Call, CallDepartment, CallStatus, CountryGroup, Department
from mobility.services.audit import audit_record
from mobility.services.callfile import CallFileError, call_file_parse

# Results are out once a call reaches these: its rules are then frozen.
PUBLISHED = {CallStatus.PRELIMINARY_PUBLISHED, CallStatus.FINAL_PUBLISHED, CallStatus.ARCHIVED}
# After the final list nothing may replace it: no new run, no rule change.
FINAL = {CallStatus.FINAL_PUBLISHED, CallStatus.ARCHIVED}
# Locked once the final list is published: what the final list was computed from.
LOCKED_AFTER_FINAL = (
    "budget_eur", "planning_amount_eur", "min_gpa_bachelor", "min_gpa_master", "min_gpa_doctorate",
    "academic_formula", "academic_weight", "language_weight", "written_weight", "listening_weight", "allocation",
    "points_prior_participation", "points_same_year_study_primary", "points_late_withdrawal",
    "points_non_prioritised_choice", "points_missed_orientation", "points_missed_exam",
    "points_disability", "points_martyr_veteran_relative", "points_protection_2828",
)

# A call may go straight to its final list (document 001 publishes once); document 002 publishes
# a preliminary list first and takes appeals.
CALL_TRANSITIONS: dict[str, set[str]] = {
    CallStatus.DRAFT: {CallStatus.ANNOUNCED},
    CallStatus.ANNOUNCED: {
        CallStatus.DRAFT, CallStatus.APPLICATIONS_CLOSED, CallStatus.PRELIMINARY_PUBLISHED, CallStatus.FINAL_PUBLISHED,
    },
    CallStatus.APPLICATIONS_CLOSED: {
        CallStatus.ANNOUNCED, CallStatus.PRELIMINARY_PUBLISHED, CallStatus.FINAL_PUBLISHED,
    },
    CallStatus.PRELIMINARY_PUBLISHED: {CallStatus.FINAL_PUBLISHED},
    CallStatus.FINAL_PUBLISHED: {CallStatus.ARCHIVED},
    CallStatus.ARCHIVED: set(),
}


class CallTransitionError(Exception):
    pass


class CallLockedError(Exception):
    """A change of what the final list was computed from, after the final list."""


def call_edit_save(*, call: Call, changed: dict[str, tuple], actor=None, effects: list[str] | None = None) -> Call:
    """Save an edit of the call (the administration); `changed` maps field -> (before, after).

    After the final list, the rules and the budget it was computed from are locked (the budget then
    changes only through letters' budget_set, which promotes); the lock is checked on the locked row.
    """
    with transaction.atomic():
        status = Call.objects.select_for_update().values_list("status", flat=True).get(pk=call.pk)
        locked = sorted(set(changed) & set(LOCKED_AFTER_FINAL))
        if status in FINAL and locked:
            raise CallLockedError(
                _("%(code)s: the final list is published; %(fields)s can no longer change.")
                % {"code": call.code, "fields": ", ".join(locked)}
            )
        call.save()
        if changed:
            audit_record(actor=actor, action="call.edited", obj=call, data={
                "changes": {name: [str(before), str(after)] for name, (before, after) in changed.items()},
                # What a deadline change was shown to do before it was saved (the office confirmed it).
                **({"effects": effects} if effects else {}),
            })
    return call


@transaction.atomic
def call_load(*, data: dict, actor=None) -> tuple[Call, bool]:
    """Create a call from a contract call file, or update it while nothing is published.

    Raises CallFileError with one message per bad field; nothing is saved then.
    """
    spec = call_file_parse(data)
    departments = spec.pop("departments")
    country_groups = spec.pop("country_groups")
    call = Call.objects.select_for_update().filter(code=spec["code"]).first()
    created = call is None
    if call is not None and call.status in PUBLISHED:
        raise CallFileError([_("code: results of call %(code)s are already published; it can no longer be changed") % {"code": call.code}])
    # A new call starts in the file's status; an existing one changes status only through
    # call_transition, which refuses moves the state machine does not allow and audits the change.
    status = spec.pop("status") if call is not None else None
    if call is None:
        call = Call(**spec)
    else:
        for field, value in spec.items():
            setattr(call, field, value)
    call.full_clean(validate_unique=False, validate_constraints=False)
    call.save()
    if not created and "status" in data and status != call.status:
        try:
            call.status = call_transition(call=call, to=status, actor=actor).status
        except CallTransitionError as exc:
            raise CallFileError([f"status: {exc}"]) from None

    wanted = []
    for item in departments:
        department, _created = Department.objects.get_or_create(code=item["code"], defaults={"name": item["name"]})
        if department.name != item["name"]:
            department.name = item["name"]
            department.save(update_fields=["name"])
        CallDepartment.objects.update_or_create(
            call=call, department=department,
            defaults={"written_min": item["written_min"], "gpa_average": item["gpa_average"], "isced": item["isced"]},
        )
        wanted.append(department.pk)
    CallDepartment.objects.filter(call=call).exclude(department_id__in=wanted).delete()

    call.country_groups.all().delete()
    CountryGroup.objects.bulk_create(
        CountryGroup(call=call, group=g["group"], monthly_rate_eur=g["monthly_rate_eur"], countries=" ".join(g["countries"]))
        for g in country_groups
    )
    details = {"code": call.code, "status": call.status} if created else {"code": call.code}
    audit_record(actor=actor, action="call.created" if created else "call.updated", obj=call, data=details)
    return call, created


@transaction.atomic
def call_transition(*, call: Call, to: CallStatus, actor=None) -> Call:
    """The one place a call changes status."""
    call = Call.objects.select_for_update().get(pk=call.pk)
    if to not in CALL_TRANSITIONS[call.status]:
        raise CallTransitionError(
            _("A call cannot go from “%(old)s” to “%(new)s”.")
            % {"old": CallStatus(call.status).label, "new": CallStatus(to).label}
        )
    old = call.status
    call.status = to
    call.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="call.status", obj=call, data={"from": old, "to": to})
    return call


# What each step of the life cycle does and locks, said on the confirmation before it is taken.
TRANSITION_EFFECTS: dict[str, object] = {
    CallStatus.DRAFT: gettext_lazy("Students no longer see the call; nothing is deleted."),
    CallStatus.ANNOUNCED: gettext_lazy("Students see the call and can apply within its dates."),
    CallStatus.APPLICATIONS_CLOSED: gettext_lazy(
        "No more applications are taken; the selection can then be run on the complete list."
    ),
    CallStatus.PRELIMINARY_PUBLISHED: gettext_lazy(
        "The latest run is published to students; the call file can no longer be loaded again. "
        "Appeals may be filed until the appeal deadline."
    ),
    CallStatus.FINAL_PUBLISHED: gettext_lazy(
        "The latest run becomes the final list: the rules, the budget (except through a budget change "
        "of the placements) and the departments are locked, and no new run can replace it."
    ),
    CallStatus.ARCHIVED: gettext_lazy("The call becomes read-only and leaves the lists of current calls."),
}
# Publication states are reached by publishing a run, never by a bare status change.
PUBLICATION_STATES = {CallStatus.PRELIMINARY_PUBLISHED, CallStatus.FINAL_PUBLISHED}


def call_transitions_offered(call: Call) -> list[str]:
    """The status changes the call page offers as buttons (publication has its own buttons)."""
    return [to for to in CallStatus.values if to in CALL_TRANSITIONS[call.status] and to not in PUBLICATION_STATES]


def call_inputs_changed(*, call: Call, what: str, actor=None, data: dict | None = None) -> None:
    """Record that something a selection reads changed (the last run is then shown as stale).

    For changes that are not already recorded on the call by the imports or the admin, e.g. a
    document decision: `what` is a short code such as "document".
    """
    audit_record(actor=actor, action="call.inputs_changed", obj=call, data={"what": what, **(data or {})})


def appeal_window_open(*, call: Call, at) -> bool:
    """Students may appeal while the preliminary list is the latest and its appeal deadline lies ahead."""
    return call.status == CallStatus.PRELIMINARY_PUBLISHED and call.appeal_deadline is not None and at < call.appeal_deadline

"""The call workspace, its life-cycle buttons and the audit trail pages (office staff; coordinators read)."""
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from appeals.selectors import appeals_of_application
from applications.models import Application
from mobility.audit_words import entry_words, money, related_names_remembered
from mobility.models import AuditEntry, CallStatus
from mobility.office_access import is_office_staff, office_call, visible_departments
from mobility.services.calls import TRANSITION_EFFECTS, CallTransitionError, call_transition, call_transitions_offered
from portal.audit_trail import ACTION_LABELS, application_trail
from portal.charts import histogram, stacked_bars
from portal.workspace import SCORE_BUCKETS, call_workspace
from selection.models import Outcome

AUDIT_PAGE = 50


def workspace_context(request, call) -> dict:
    """Extra context for the call's office page: the pipeline, what needs attention and the charts."""
    allowed = visible_departments(request, call)
    ws = call_workspace(call=call, departments=allowed, include_sensitive=is_office_staff(request.user))
    legend = {o: str(Outcome(o).label) for o in Outcome.values}
    charts = {}
    if ws.outcomes_by_department:
        charts["outcomes"] = stacked_bars(
            [(code, [(o, counts.get(o, 0)) for o in Outcome.values]) for code, counts in sorted(ws.outcomes_by_department.items())],
            title=_("Primary, reserve and excluded per department"), legend=legend,
        )
    labels = [f"{low}–{high}" for low, high in SCORE_BUCKETS]
    charts["scores"] = [
        (code, histogram(counts, labels, title=_("Final scores in %(code)s") % {"code": code}))
        for code, counts in ws.scores_by_department.items()
    ]
    if is_office_staff(request.user) and ws.last_run is not None:
        planned = ws.last_run.primaries * call.planning_amount_eur
        charts["budget"] = stacked_bars(
            [(_("Budget"), [("budget", int(call.budget_eur))]), (_("Planned"), [("primary", int(planned))])],
            title=_("Budget and the amount the primaries hold (EUR)"),
            legend={"budget": _("Budget"), "primary": _("Primaries × planning amount")}, say=money,
        )
    return {
        "ws": ws, "charts": charts, "is_staff_office": is_office_staff(request.user),
        "can_run": request.user.has_perm("mobility.run_selection"),
        "transition_effects": {to: TRANSITION_EFFECTS[to] for to in ws.transitions},
    }


@permission_required("mobility.access_office", raise_exception=True)
def call_workspace_page(request, code: str):
    office_call(request, code)
    return redirect("office_call_detail", code=code)


@permission_required("mobility.change_call", raise_exception=True)
def call_transition_page(request, code: str, to: str):
    """A confirmation that says what the step locks; the POST takes the step."""
    call = office_call(request, code)
    if to not in call_transitions_offered(call):
        raise Http404
    target = CallStatus(to)
    if request.method == "POST":
        try:
            call_transition(call=call, to=target, actor=request.user)
        except CallTransitionError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The call is now “%(status)s”.") % {"status": target.label})
        return redirect("office:workspace", code=call.code)
    return render(request, "office/confirm.html", {
        "call": call, "title": _("Change the call to “%(status)s”?") % {"status": target.label},
        "effect": TRANSITION_EFFECTS[target], "button": target.label,
    })


def _audit_page(request, entries):
    page = Paginator(entries.select_related("actor"), AUDIT_PAGE).get_page(request.GET.get("page"))
    with related_names_remembered():
        for entry in page:
            entry.label, entry.details = entry_words(action=entry.action, data=entry.data, labels=ACTION_LABELS,
                                                     object_type=entry.object_type)
    return page


@permission_required("mobility.change_call", raise_exception=True)
def call_audit_page(request, code: str):
    """Everything recorded on the call and on its runs, newest first."""
    call = office_call(request, code)
    run_ids = [str(pk) for pk in call.selection_runs.values_list("pk", flat=True)]
    # After the final list the placements and their letters are recorded on themselves.
    entries = AuditEntry.objects.filter(
        Q(object_type="mobility.call", object_id=str(call.pk))
        | Q(object_type="selection.selectionrun", object_id__in=run_ids)
        | Q(object_type__in=("letters.placement", "letters.letter"), data__call=call.code)
    )
    return render(request, "office/audit.html", {"call": call, "page": _audit_page(request, entries), "subject": call.code})


@permission_required("mobility.change_call", raise_exception=True)
def application_audit_page(request, code: str, pk: int):
    call = office_call(request, code)
    application = get_object_or_404(Application.objects.select_related("applicant", "department"), call=call, pk=pk)
    return render(request, "office/application_trail.html", {
        "call": call, "application": application, "steps": application_trail(application=application),
        "subject": f"{application.applicant.student_number} {application.applicant.first_name} {application.applicant.last_name}",
        "appeals": appeals_of_application(application=application),
    })

"""Pages after the letter: the student's traineeship page and Learning Agreement, the approvers'
queue, the office's list per call (with the EU report), and the host's one-time pages. Thin:
parse, call a service, render."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from letters import selectors as letter_selectors
from letters.services import PlacementError
from mobility.models import Call
from traineeships import bm
from traineeships.forms import (
    AgreementForm,
    BmDataForm,
    CertificateForm,
    DecisionForm,
    HostAgreementForm,
    HostCertificateForm,
    RecognitionForm,
)
from traineeships.links import LinkInvalid, host_link_read
from traineeships.models import LAState, LearningAgreement, Mobility, Party
from traineeships.pdf import agreement_pdf, final_grant_pdf
from traineeships.selectors import bm_facts, mobility_reports
from traineeships.selectors_queue import approver_queue
from traineeships.services.agreements import (
    AgreementError,
    agreement_decide,
    agreement_eligible,
    agreement_prefill,
    agreement_save,
    agreement_submit,
    agreements_of,
    approver_parties,
    certificate_link_send,
    current_agreement,
    recognition_record,
)
from traineeships.services.bm_data import mobility_data_set
from traineeships.services.certificates import certificate_record
from traineeships.services.reporting import ReportError, lacking_line, mobilities_export

STUDENT_BM_FIELDS = ("gender", "birth_date", "nationality", "native_speaker", "distance_band", "transport_means")


def _student(request, code):
    call = get_object_or_404(Call, code=code)
    placement = letter_selectors.placement_for_student(user=request.user, call=call)
    if placement is None or not agreement_eligible(placement):
        raise Http404
    return call, placement


def _grants(placement):
    letter = placement.letter
    certificate = getattr(placement, "certificate", None)
    planned = letter.grant_eur + letter.top_up_eur
    final = placement.held_eur if certificate is not None else None
    return {"planned": planned, "final": final, "difference": None if final is None else final - planned}


@login_required
def student_page(request, code: str):
    call, placement = _student(request, code)
    mobility = Mobility.objects.filter(placement=placement).first()
    form = BmDataForm(request.POST or None, instance=mobility or Mobility(placement=placement))
    for name in list(form.fields):
        if name not in STUDENT_BM_FIELDS:
            del form.fields[name]
    if request.method == "POST" and form.is_valid():
        mobility_data_set(placement=placement, values={n: form.cleaned_data[n] for n in STUDENT_BM_FIELDS}, actor=request.user)
        messages.success(request, _("Saved."))
        return redirect("traineeships:student", code=call.code)
    return render(request, "traineeships/student.html", {
        "call": call, "placement": placement, "agreements": agreements_of(placement), "form": form,
        "certificate": getattr(placement, "certificate", None), "mobility": mobility, "grants": _grants(placement),
    })


@login_required
def agreement_edit(request, code: str):
    call, placement = _student(request, code)
    current = current_agreement(placement)
    changing = current is not None and current.state == LAState.APPROVED
    if current is not None and current.state in (LAState.DRAFT, LAState.REJECTED, LAState.APPROVED):
        initial = {name: getattr(current, name) for name in AgreementForm.Meta.fields}
    else:
        initial = agreement_prefill(placement)
    form = AgreementForm(request.POST or None, initial=initial)
    if request.method == "POST" and current is not None and current.state == LAState.SUBMITTED:
        messages.error(request, _("This version is waiting for approvals; it can change after a decision."))
        return redirect("traineeships:student", code=call.code)
    if request.method == "POST" and form.is_valid():
        now = timezone.now()
        try:
            agreement = agreement_save(placement=placement, data=form.cleaned_data, at=now, actor=request.user,
                                       change_reason=form.cleaned_data["change_reason"])
            if "submit" in request.POST:
                agreement_submit(agreement=agreement, at=now, actor=request.user)
                messages.success(request, _("Sent for approval; your host supervisor gets an e-mail with a link."))
            else:
                messages.success(request, _("Draft saved."))
            return redirect("traineeships:student", code=call.code)
        except AgreementError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
    return render(request, "traineeships/agreement_form.html", {
        "call": call, "placement": placement, "form": form, "current": current, "changing": changing,
        "prefill": agreement_prefill(placement),
    })


def _pdf_response(agreement, language):
    response = HttpResponse(agreement_pdf(agreement=agreement, language=language), content_type="application/pdf")
    name = f"LA-{agreement.placement.call.code}-{agreement.placement.student_number}-v{agreement.version}-{language}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@login_required
def agreement_pdf_student(request, code: str, version: int):
    _call, placement = _student(request, code)
    agreement = get_object_or_404(LearningAgreement, placement=placement, version=version)
    return _pdf_response(agreement, request.GET.get("lang") or request.LANGUAGE_CODE)


@login_required
def final_grant_student(request, code: str):
    _call, placement = _student(request, code)
    if getattr(placement, "certificate", None) is None:
        raise Http404
    language = request.GET.get("lang") or request.LANGUAGE_CODE
    response = HttpResponse(final_grant_pdf(placement=placement, grants=_grants(placement), language=language),
                            content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{placement.call.code}-{placement.student_number}-final-grant-{language}.pdf"'
    return response


# --- approvers ------------------------------------------------------------------------------------

@login_required
def queue(request):
    rows = list(approver_queue(user=request.user)[:200])
    if not rows and not request.user.approver_roles.exists():
        raise PermissionDenied
    return render(request, "traineeships/queue.html", {"rows": rows})


def _office(user) -> bool:
    return user.has_perm("letters.change_placement")


def _agreement_for(request, code, student_number, version):
    call = get_object_or_404(Call, code=code)
    agreement = get_object_or_404(
        LearningAgreement.objects.select_related("placement__letter", "placement__application__applicant", "placement__call"),
        placement__call=call, placement__student_number=student_number, version=version)
    parties = approver_parties(user=request.user, agreement=agreement)
    if not parties and not request.user.has_perm("letters.view_placement"):
        raise PermissionDenied
    return call, agreement, parties


@login_required
def review(request, code: str, student_number: str, version: int):
    call, agreement, parties = _agreement_for(request, code, student_number, version)
    decided = set(agreement.approvals.values_list("party", flat=True))
    office = _office(request.user)
    # The office may record any party's paper signature; an approver signs for their own roles.
    offered = [p for p in (agreement.parties if office else parties) if p not in decided]
    form = DecisionForm(request.POST or None, parties=[(p, Party(p).label) for p in offered])
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        paper = d["paper_received_on"] if office else None
        if d["party"] not in parties and not paper:
            form.add_error("paper_received_on", _("Give the date the paper signature arrived."))
        else:
            try:
                agreement_decide(
                    agreement=agreement, party=d["party"], approved=d["decision"] == "approved", at=timezone.now(),
                    signer_name=d["signer_name"] or request.user.get_full_name() or request.user.email, actor=request.user,
                    reason=d["reason"], paper_received_on=paper,
                )
            except AgreementError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, str(exc))
            else:
                messages.success(request, _("Decision saved."))
                return redirect("traineeships:queue" if parties else "traineeships:office_detail", *(
                    [] if parties else [call.code, student_number]))
    return render(request, "traineeships/review.html", {
        "call": call, "agreement": agreement, "form": form, "offered": offered, "approvals": agreement.approvals.all(),
    })


@login_required
def agreement_pdf_review(request, code: str, student_number: str, version: int):
    _call, agreement, _parties = _agreement_for(request, code, student_number, version)
    return _pdf_response(agreement, request.GET.get("lang") or request.LANGUAGE_CODE)


# --- office ---------------------------------------------------------------------------------------

@permission_required("letters.view_placement", raise_exception=True)
def office_list(request, code: str):
    call = get_object_or_404(Call, code=code)
    reports = mobility_reports(call)
    lacking = [lacking_line(r, items) for r in reports if (items := bm.missing_items(r))]
    return render(request, "traineeships/office_list.html", {"call": call, "reports": reports, "lacking": lacking})


@permission_required("letters.view_placement", raise_exception=True)
def office_export(request, code: str, fmt: str):
    call = get_object_or_404(Call, code=code)
    try:
        data, _left_out = mobilities_export(call=call, fmt=fmt)
    except ReportError as exc:
        for line in exc.lines:
            messages.error(request, line)
        return redirect("traineeships:office_list", code=call.code)
    response = HttpResponse(data, content_type="text/csv; charset=utf-8" if fmt == "csv" else "application/xml")
    response["Content-Disposition"] = f'attachment; filename="{call.code}-mobilities.{fmt}"'
    return response


@permission_required("letters.view_placement", raise_exception=True)
def office_detail(request, code: str, student_number: str):
    call = get_object_or_404(Call, code=code)
    placement = get_object_or_404(letter_selectors.placements_of(call=call), student_number=student_number)
    if not agreement_eligible(placement):
        raise Http404
    mobility = Mobility.objects.filter(placement=placement).first() or Mobility(placement=placement)
    forms_ = {
        "bm": BmDataForm(instance=mobility, prefix="bm"), "certificate": CertificateForm(prefix="cert"),
        "recognition": RecognitionForm(prefix="rec", initial={"recognition": mobility.recognition, "note": mobility.recognition_note}),
    }
    if request.method == "POST":
        if not _office(request.user):
            raise PermissionDenied
        now, action = timezone.now(), request.POST.get("action")
        if action == "bm":
            form = forms_["bm"] = BmDataForm(request.POST, instance=mobility, prefix="bm")
            if form.is_valid():
                mobility_data_set(placement=placement, values={n: form.cleaned_data[n] for n in form.fields}, actor=request.user)
                messages.success(request, _("Saved."))
                return redirect("traineeships:office_detail", code=code, student_number=student_number)
        elif action == "certificate":
            form = forms_["certificate"] = CertificateForm(request.POST, prefix="cert")
            if form.is_valid():
                try:
                    certificate_record(call=call, student_number=student_number, start=form.cleaned_data["start"],
                                       end=form.cleaned_data["end"], at=now, force_majeure=form.cleaned_data["force_majeure"],
                                       actor=request.user)
                except PlacementError as exc:
                    form.add_error(None, " ".join(exc.lines))
                else:
                    messages.success(request, _("Certificate recorded; the final grant is set."))
                    return redirect("traineeships:office_detail", code=code, student_number=student_number)
        elif action == "recognition":
            form = forms_["recognition"] = RecognitionForm(request.POST, prefix="rec")
            if form.is_valid():
                recognition_record(placement=placement, kind=form.cleaned_data["recognition"], note=form.cleaned_data["note"],
                                   at=now, actor=request.user)
                messages.success(request, _("Recognition recorded."))
                return redirect("traineeships:office_detail", code=code, student_number=student_number)
        elif action == "certificate_link":
            try:
                certificate_link_send(placement=placement, at=now, actor=request.user)
            except AgreementError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("The host supervisor has been e-mailed a link to the certificate."))
            return redirect("traineeships:office_detail", code=code, student_number=student_number)
    agreement = current_agreement(placement)
    return render(request, "traineeships/office_detail.html", {
        "call": call, "placement": placement, "agreements": agreements_of(placement), "agreement": agreement,
        "forms": forms_, "certificate": getattr(placement, "certificate", None), "grants": _grants(placement),
        "facts": bm_facts(placement, agreement),
    })


# --- the host, through a one-time link ------------------------------------------------------------

LINK_MESSAGES = {
    "bad": gettext_lazy("This link is not valid. Use the link in the e-mail, or ask the office for a new one."),
    "expired": gettext_lazy("This link has expired. Ask the office for a new one."),
    "used": gettext_lazy("This link has been used already. Thank you."),
}


def host(request, token: str):
    try:
        link = host_link_read(token)
    except LinkInvalid as exc:
        return render(request, "traineeships/host_done.html", {"message": LINK_MESSAGES[exc.reason]}, status=410 if exc.reason != "bad" else 404)
    agreement = link.agreement
    form_class = HostAgreementForm if link.purpose == "agreement" else HostCertificateForm
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        now, d = timezone.now(), form.cleaned_data
        try:
            with transaction.atomic():
                link = host_link_read(token, lock=True)
                if link.purpose == "agreement":
                    agreement_decide(agreement=link.agreement, party=Party.HOST, approved=d["decision"] == "approved", at=now,
                                     signer_name=d["signer_name"], reason=d.get("reason", ""))
                else:
                    certificate_record(call=link.placement.call, student_number=link.placement.student_number, start=d["start"],
                                       end=d["end"], at=now, source="host", host_signer=d["signer_name"])
                link.used_at = now
                link.save(update_fields=["used_at"])
        except LinkInvalid as exc:
            return render(request, "traineeships/host_done.html", {"message": LINK_MESSAGES[exc.reason]}, status=410)
        except AgreementError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        except PlacementError as exc:
            form.add_error(None, " ".join(line.split(": ", 2)[-1] for line in exc.lines))
        else:
            return render(request, "traineeships/host_done.html", {"message": _("Thank you: your answer has been recorded.")})
    return render(request, "traineeships/host.html", {"link": link, "agreement": agreement, "form": form,
                                                      "applicant": link.placement.application.applicant})

"""Pages after the final list: the student's letter page, the office's review queue and budget page."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from letters import selectors
from letters.checks import LetterData, country_rates, grant_preview, letter_problems
from letters.documents import grant_confirmation_pdf, orientation_invitation_pdf
from letters.forms import PROBLEM_FIELDS, BudgetForm, DecisionForm, LetterForm, WithdrawForm
from letters.models import LetterDecision
from letters.pdfcheck import MAX_BYTES
from letters.services import PlacementError
from letters.services.core import letter_of
from letters.services.ledger import budget_set, ledger_read
from letters.services.letters import LetterRefused, letter_decide, letter_submit, student_letter_refusal
from letters.services.withdrawals import placement_withdraw
from mobility.models import Call
from mobility.uploads import UploadRefused, private_file_response, upload_check
from mobility.uploads.checks import PDF_ONLY

PAGE_SIZE = 50


def _student_placement(request, code):
    call = get_object_or_404(Call, code=code)
    placement = selectors.placement_for_student(user=request.user, call=call)
    if placement is None:
        raise Http404
    return call, placement


def _letter_data(form: LetterForm, at) -> LetterData:
    d = form.cleaned_data
    return LetterData(
        host_name=d["host_name"], host_type=d["host_type"], country=d["country"], city=d["city"],
        start_date=d["start_date"], end_date=d["end_date"], submitted_at=at,
        address=d.get("address", ""), contact_person=d.get("contact_person", ""),
    )


def _read_pdf(form, name: str = "pdf", missing: str = "") -> bytes:
    """The uploaded PDF's bytes through the one upload check; UploadRefused with one line otherwise."""
    upload = form.cleaned_data.get(name)
    if not upload:
        raise UploadRefused(missing)
    return upload_check(upload=upload, types=PDF_ONLY, max_bytes=MAX_BYTES).content


def _preview_context(call, placement, form, at):
    """The grant the letter would give and the checks it fails, from what the student typed so far.

    Every input is checked as soon as it is there (a date outside the window too); a grant is shown
    only for a letter the server would accept, so no grant of an earlier input stays on screen.
    """
    rates = country_rates(call)
    data = form.cleaned_data if form.is_bound else {}
    letter = LetterData(
        host_name=data.get("host_name") or "-", host_type=data.get("host_type") or "company",
        country=(data.get("country") or "").upper(), city=data.get("city") or "-",
        start_date=data.get("start_date"), end_date=data.get("end_date"), submitted_at=at,
    )
    problems = []
    if form.is_bound:
        problems = [str(error) for name in ("country", "start_date", "end_date") if form[name].value()
                    for error in form.errors.get(name, [])]
        skip = {"missing_value"}
        if not letter.country:
            skip.add("country_not_eligible")
        if letter.start_date is None or letter.end_date is None:
            skip.add("bad_date")
        problems += [message for code, message in letter_problems(
            call=call, data=letter, rates=rates, days_left=placement.erasmus_days_left) if code not in skip]
    preview = None if problems else grant_preview(call=call, data=letter, rates=rates, fewer_opportunities=placement.fewer_opportunities)
    return {"preview": preview, "problems": problems, "call": call}


@login_required
def letter_page(request, code: str):
    call, placement = _student_placement(request, code)
    letter = letter_of(placement)
    now = timezone.now()
    before_deadline = call.letter_deadline is None or now < call.letter_deadline
    locked = letter is not None and letter.decision == LetterDecision.APPROVED
    # The rule is the service's: a letter can be replaced until it is approved; then only staff change it.
    refusal = student_letter_refusal(call=call, placement=placement, at=now)
    can_upload = refusal is None
    if request.method == "POST":
        if refusal is not None:
            messages.error(request, refusal)
            return redirect("letters:student", code=call.code)
        form = LetterForm(request.POST, request.FILES, call=call)
        if form.is_valid():
            try:
                content = _read_pdf(form, missing=_("Upload the signed and stamped letter as a PDF."))
            except UploadRefused as exc:
                form.add_error("pdf", str(exc))
            else:
                try:
                    letter_submit(
                        call=call, student_number=placement.student_number, data=_letter_data(form, now), at=now,
                        actor=request.user, pdf=content, by_student=True,
                    )
                except LetterRefused as exc:
                    for code_, message in exc.problems:
                        form.add_error(PROBLEM_FIELDS.get(code_), message)
                else:
                    messages.success(request, _("Your letter has been received; the office will review it."))
                    return redirect("letters:student", code=call.code)
    else:
        initial = {}
        if letter is not None:
            initial = {name: getattr(letter, name) for name in (
                "host_name", "host_type", "country", "city", "address", "contact_person", "start_date", "end_date")}
        form = LetterForm(initial=initial, call=call)
    context = {
        "call": call, "placement": placement, "letter": letter, "form": form, "can_upload": can_upload,
        "before_deadline": before_deadline, "now": now, "withdraw_form": WithdrawForm(),
        "locked": locked,
    }
    if form.is_bound:
        context.update(_preview_context(call, placement, form, now))
    elif letter is not None:
        context["preview"] = grant_preview(
            call=call, data=LetterData(host_name=letter.host_name, host_type=letter.host_type, country=letter.country,
                                       city=letter.city, start_date=letter.start_date, end_date=letter.end_date,
                                       submitted_at=letter.submitted_at),
            rates=country_rates(call), fewer_opportunities=placement.fewer_opportunities,
        )
    return render(request, "letters/letter_page.html", context)


@login_required
@require_POST
def letter_preview(request, code: str):
    """The grant box, re-rendered as the student types (htmx); the same checks as on submit."""
    call, placement = _student_placement(request, code)
    form = LetterForm(request.POST, call=call)
    form.is_valid()
    return render(request, "letters/_preview.html", _preview_context(call, placement, form, timezone.now()))


@login_required
def letter_pdf_student(request, code: str):
    _call, placement = _student_placement(request, code)
    return _pdf_response(letter_of(placement))


@login_required
@require_POST
def withdraw(request, code: str):
    call, placement = _student_placement(request, code)
    form = WithdrawForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Tick the confirmation to withdraw."))
        return redirect("letters:student", code=call.code)
    document = None
    if form.cleaned_data["force_majeure"]:
        try:
            document = _read_pdf(form, "document", missing=_("Attach the force majeure document as a PDF."))
        except UploadRefused as exc:
            messages.error(request, str(exc))
            return redirect("letters:student", code=call.code)
    try:
        placement_withdraw(
            call=call, student_number=placement.student_number, at=timezone.now(),
            force_majeure=form.cleaned_data["force_majeure"], document=document, actor=request.user,
        )
    except PlacementError as exc:
        messages.error(request, " ".join(exc.lines))
    else:
        messages.success(request, _("You have withdrawn from this call."))
    return redirect("letters:student", code=call.code)


def _pdf_response(letter):
    if letter is None:
        raise Http404
    return private_file_response(letter.pdf, filename=f"letter-{letter.placement.student_number}", content_type="application/pdf")


# --- office -----------------------------------------------------------------------------------

@permission_required("letters.view_letter", raise_exception=True)
def review_queue(request, code: str):
    call = get_object_or_404(Call, code=code)
    page = Paginator(selectors.letters_waiting(call=call), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "letters/office_queue.html", {"call": call, "page": page})


@permission_required("letters.view_letter", raise_exception=True)
def review_letter(request, code: str, student_number: str):
    call = get_object_or_404(Call, code=code)
    placement = get_object_or_404(selectors.placements_of(call=call), student_number=student_number)
    letter = letter_of(placement)
    if letter is None:
        raise Http404
    form = DecisionForm(request.POST or None)
    if request.method == "POST":
        if not request.user.has_perm("letters.change_letter"):
            raise Http404
        if form.is_valid():
            try:
                letter_decide(
                    call=call, student_number=student_number, decision=form.cleaned_data["decision"],
                    reason=form.cleaned_data["reason"], at=timezone.now(), actor=request.user,
                )
            except PlacementError as exc:
                messages.error(request, " ".join(exc.lines))
            else:
                messages.success(request, _("Decision saved for %(number)s.") % {"number": student_number})
                following = selectors.letters_waiting(call=call).first()
                if following is not None:
                    return redirect("letters:review", code=call.code, student_number=following.placement.student_number)
                return redirect("letters:queue", code=call.code)
    change_form = LetterForm(initial={name: getattr(letter, name) for name in (
        "host_name", "host_type", "country", "city", "address", "contact_person", "start_date", "end_date")}, call=call)
    return render(request, "letters/office_review.html", {
        "call": call, "placement": placement, "letter": letter, "form": form, "change_form": change_form,
    })


@require_POST
@permission_required("letters.change_letter", raise_exception=True)
def force_majeure_change(request, code: str, student_number: str):
    """Staff record a documented force-majeure change of an approved letter's host (it is reviewed again)."""
    call = get_object_or_404(Call, code=code)
    placement = get_object_or_404(selectors.placements_of(call=call), student_number=student_number)
    form = LetterForm(request.POST, request.FILES, call=call)
    now = timezone.now()
    if form.is_valid():
        try:
            content = _read_pdf(form, missing=_("Upload the signed and stamped letter as a PDF."))
            # The office records what reached it before the deadline: keep the letter's own submission time.
            letter = letter_of(placement)
            data = _letter_data(form, letter.submitted_at if letter else now)
            letter_submit(call=call, student_number=student_number, data=data, at=now, actor=request.user,
                          pdf=content, force_majeure=True)
        except UploadRefused as exc:
            messages.error(request, str(exc))
        except LetterRefused as exc:
            messages.error(request, "; ".join(message for _code, message in exc.problems))
        else:
            messages.success(request, _("The force-majeure change is recorded; the new letter waits for review."))
    else:
        messages.error(request, _("Fill in every required field of the new host."))
    return redirect("letters:review", code=call.code, student_number=student_number)


@permission_required("letters.view_letter", raise_exception=True)
def letter_pdf_office(request, code: str, student_number: str):
    call = get_object_or_404(Call, code=code)
    placement = get_object_or_404(selectors.placements_of(call=call), student_number=student_number)
    return _pdf_response(letter_of(placement))


@permission_required("letters.view_placement", raise_exception=True)
def force_majeure_document_office(request, code: str, student_number: str):
    call = get_object_or_404(Call, code=code)
    placement = get_object_or_404(selectors.placements_of(call=call), student_number=student_number)
    return private_file_response(placement.force_majeure_document, filename=f"force-majeure-{student_number}")


@permission_required("letters.view_placement", raise_exception=True)
def budget_page(request, code: str):
    call = get_object_or_404(Call, code=code)
    form = BudgetForm(request.POST or None, initial={"amount": call.budget_eur})
    if request.method == "POST":
        if not request.user.has_perm("mobility.change_call"):
            raise Http404
        if form.is_valid():
            budget_set(call=call, amount=form.cleaned_data["amount"], at=timezone.now(), actor=request.user)
            messages.success(request, _("The budget has been changed; reserves the free budget covers have been promoted."))
            return redirect("letters:budget", code=call.code)
    call.refresh_from_db()
    page = Paginator(selectors.placements_of(call=call), 100).get_page(request.GET.get("page"))
    return render(request, "letters/office_budget.html", {
        "call": call, "ledger": ledger_read(call=call), "form": form, "page": page,
        "changes": selectors.budget_changes(call=call)[:50],
    })


def _document_response(content: bytes, name: str):
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _document(placement, kind: str, language: str):
    if kind not in ("grant", "orientation"):
        raise Http404
    make = grant_confirmation_pdf if kind == "grant" else orientation_invitation_pdf
    try:
        content = make(placement=placement, language=language)
    except PlacementError:
        raise Http404 from None
    return _document_response(content, f"{placement.call.code}-{placement.student_number}-{kind}-{language}.pdf")


@login_required
def student_document(request, code: str, kind: str):
    _call, placement = _student_placement(request, code)
    return _document(placement, kind, request.GET.get("lang") or request.LANGUAGE_CODE)


@permission_required("letters.view_letter", raise_exception=True)
def office_document(request, code: str, student_number: str, kind: str):
    call = get_object_or_404(Call, code=code)
    placement = get_object_or_404(selectors.placements_of(call=call), student_number=student_number)
    return _document(placement, kind, request.GET.get("lang") or request.LANGUAGE_CODE)

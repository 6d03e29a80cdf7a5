"""The Learning Agreement as a PDF (WeasyPrint, Turkish or English), laid out as the EC template:
page one with the parties, Tables A–C, the commitment with the three signatures."""
from django.template.loader import render_to_string
from django.utils import timezone, translation

from mobility.isced import isced_label
from traineeships.models import Party

LANGUAGES = ("tr", "en")


def _render(template: str, context: dict, language: str) -> bytes:
    from weasyprint import HTML  # heavy: loaded only when a PDF is made

    language = language if language in LANGUAGES else "tr"
    with translation.override(language):
        html = render_to_string(template, {**context, "LANGUAGE_CODE": language, "generated": timezone.now()})
    return HTML(string=html).write_pdf()


def final_grant_pdf(*, placement, grants: dict, language: str = "tr") -> bytes:
    """The grant confirmation as final, after the certificate."""
    return _render("traineeships/final_grant_pdf.html", {
        "placement": placement, "call": placement.call, "letter": placement.letter, "certificate": placement.certificate,
        "applicant": placement.application.applicant, "grants": grants,
    }, language)


def agreement_pdf(*, agreement, language: str = "tr") -> bytes:
    from weasyprint import HTML  # heavy: loaded only when a PDF is made

    language = language if language in LANGUAGES else "tr"
    placement = agreement.placement
    approvals = {a.party: a for a in agreement.approvals.all()}
    signatures = [(Party(p).label, approvals.get(p)) for p in agreement.parties]
    with translation.override(language):
        html = render_to_string("traineeships/agreement_pdf.html", {
            "agreement": agreement, "placement": placement, "call": placement.call,
            "applicant": placement.application.applicant, "department": placement.application.department,
            "isced_label": isced_label(agreement.isced, language) if agreement.isced else "",
            "signatures": signatures, "LANGUAGE_CODE": language, "generated": timezone.now(),
        })
    return HTML(string=html).write_pdf()

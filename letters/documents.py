"""Documents for students (WeasyPrint, Turkish or English): grant confirmation and orientation invitation."""
from django.template.loader import render_to_string
from django.utils import timezone, translation

from letters.grants import funded_days
from letters.models import LetterDecision, PlacementStatus
from letters.services import PlacementError
from letters.services.core import letter_of

LANGUAGES = ("tr", "en")


def _pdf(template: str, context: dict, language: str) -> bytes:
    from weasyprint import HTML

    language = language if language in LANGUAGES else "tr"
    with translation.override(language):
        html = render_to_string(template, {**context, "LANGUAGE_CODE": language, "generated": timezone.now()})
    return HTML(string=html).write_pdf()


def grant_confirmation_pdf(*, placement, language: str = "tr") -> bytes:
    """For a primary with an approved letter: host, dates, days, monthly rate, grant."""
    letter = letter_of(placement)
    if placement.status != PlacementStatus.PRIMARY or letter is None or letter.decision != LetterDecision.APPROVED:
        raise PlacementError(placement.student_number)
    return _pdf("letters/grant_confirmation_pdf.html", {
        "placement": placement, "letter": letter, "call": placement.call,
        "applicant": placement.application.applicant,
        "funded_days": funded_days(letter.days, placement.call.funded_months),
    }, language)


def orientation_invitation_pdf(*, placement, language: str = "tr") -> bytes:
    """For a primary or reserve with a letter that is not rejected, once the meeting is set."""
    letter = letter_of(placement)
    meeting = getattr(placement.call, "orientation", None)
    if meeting is None or letter is None or letter.decision == LetterDecision.REJECTED or placement.status not in (
        PlacementStatus.PRIMARY, PlacementStatus.RESERVE,
    ):
        raise PlacementError(placement.student_number)
    return _pdf("letters/orientation_pdf.html", {
        "placement": placement, "letter": letter, "call": placement.call, "meeting": meeting,
        "applicant": placement.application.applicant,
    }, language)

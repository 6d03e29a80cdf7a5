"""Reason codes in words, in the user's language (the codes themselves are the contract's)."""
from django.utils.translation import gettext as _


def _texts() -> dict[str, str]:
    return {
        "department_excluded": _("Your department is not in the programme (medicine, dentistry and teacher education are not)."),
        "year_not_eligible": _("Your level and year of study may not apply (bachelor's years 2–4, associate years 1–2)."),
        "no_gpa": _("The university has no GPA for you; ask your department."),
        "gpa_below_minimum": _("Your GPA is below the minimum of the programme."),
        "applications_closed": _("Applications are not open now."),
        "not_eligible": _("You may not apply to this programme."),
        "wrong_length": _("That calendar is not the length of your department's internship."),
        "too_many_choices": _("You chose more calendars than allowed."),
        "no_choice": _("Choose at least one calendar."),
        "duplicate_calendar": _("Each calendar may be chosen once."),
        "no_city": _("Choose at least one city."),
        "too_many_cities": _("Choose at most five cities."),
        "bad_city": _("Choose a city and its districts from the lists, or all districts."),
        "too_many_districts": _("Choose at most five districts in a city, or all districts."),
        "unknown_calendar": _("That calendar does not exist."),
        "locked": _("A complete application cannot change, except its cities until the close."),
        "already_started": _("The student has already started an internship this year."),
        "incomplete": _("The application is not complete."),
        "calendar_not_chosen": _("The student did not choose that calendar."),
        "primary_exists": _("The position already has a primary offer."),
        "no_primary": _("Make the primary offer of the position first."),
        "duplicate": _("The student already has an offer for that position."),
        "other_host_unit": _("That position belongs to another host unit."),
        "not_open": _("The offer is no longer open."),
        "expired": _("The answer deadline has passed."),
        "not_holding": _("The offer does not hold its position (or is not accepted)."),
        "no_insurance": _("The insurance entry has not been recorded."),
        "not_started": _("The internship has not started."),
        "not_accepted": _("Only an accepted offer takes the signed forms."),
        "no_forms": _("No signed forms were handed in."),
        "reason_required": _("Give a reason for the rejection."),
        "bad_document_kind": _("Choose the kind of the document."),
        "bad_deadline": _("The answer deadline must be in the future."),
        "unknown_student": _("No such student."),
    }


def reason_text(code: str, detail: str = "") -> str:
    if not code:
        return ""
    text = _texts().get(code)
    if text is None:
        return f"{code}: {detail}" if detail else code
    return text

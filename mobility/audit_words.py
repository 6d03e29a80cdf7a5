"""An audit entry in words for the office: no action codes, no UTC ISO stamps, no dictionaries.

The entries are written by every part of the portal with their own keys; this module only knows
how to say them. A key it does not know is shown with its name in words, never dropped.
"""
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from django.apps import apps
from django.utils import formats
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mobility.iso3166 import country_name

ISTANBUL = ZoneInfo("Europe/Istanbul")

# Actions of the placements, letters and budget after the final list (the others are in audit_trail).
ACTION_LABELS = {
    "call.budget": _("Budget changed"),
    "placements.created": _("Placements created from the final list"),
    "placement.deadline": _("Letter deadline passed without a letter"),
    "placement.reserve_list_end": _("End of the reserve list"),
    "placement.promoted": _("Promoted from the reserve list"),
    "placement.promotion": _("Promoted from the reserve list"),
    "placement.withdrawn": _("Withdrew"),
    "placement.withdraw": _("Withdrew"),
    "placement.rejected_after_deadline": _("Letter rejected after the deadline"),
    "placement.top_up": _("Fewer-opportunities top-up changed"),
    "letter.submitted": _("Acceptance letter submitted"),
    "letter.replaced": _("Acceptance letter replaced"),
    "letter.approved": _("Acceptance letter approved"),
    "letter.rejected": _("Acceptance letter rejected"),
    "orientation.attendance": _("Orientation attendance recorded"),
    "deadline.applications_close": _("Applications closed (deadline)"),
    "deadline.letter_deadline": _("Letter deadline reached"),
    "deadline.appeal_deadline": _("Appeal deadline reached"),
    "deadline.reserve_list_end": _("Reserve list ended (deadline)"),
}
KEY_LABELS = {
    "student_number": _("student"), "call": _("call"), "from": _("from"), "to": _("to"), "at": _("at"),
    "held_eur": _("holds"), "grant_eur": _("grant"), "reason": _("reason"), "host": _("host"), "country": _("country"),
    "days": _("days"), "submitted_at": _("submitted at"), "force_majeure": _("force majeure"), "run": _("run"),
    "publication": _("publication"), "changes": _("changes"), "effects": _("effects"), "risks": _("accepted risks"),
    "value": _("value"), "count": _("count"), "promoted": _("promoted"), "placements": _("placements"),
    "was": _("was"), "status": _("status"), "decision": _("decision"), "code": _("code"), "created": _("created"),
    "updated": _("updated"), "unchanged": _("unchanged"), "session": _("exam session"), "promotion_seq": _("promotion no."),
    "closes_place_of": _("takes the place of"), "penalty": _("penalty"), "error": _("error"),
    "digest": _("digest of the list"), "attended": _("attended"), "missed": _("missed"), "appeal": _("appeal"),
    "answer": _("answer"), "what": _("what changed"), "kind": _("kind"), "user": _("account"),
}
# Counts of an import: "created: 8" is how many rows were created, not when (Turkish says it differently).
KEY_LABELS.update({
    "created": pgettext_lazy("rows of an import", "created"), "updated": pgettext_lazy("rows of an import", "updated"),
    "unchanged": pgettext_lazy("rows of an import", "unchanged"),
})
# Models whose field names appear as the keys of recorded changes ({"gpa": ["3.10", "3.40"]}).
CHANGED_MODELS = (("applications", "Application"), ("applications", "Applicant"), ("applications", "ExamResult"), ("mobility", "Call"))
COUNTRY_KEYS = {"country", "host_country"}
MONEY_KEYS = {"held_eur", "grant_eur", "from_eur", "to_eur", "amount"}


def _instant(text: str) -> str | None:
    value = parse_datetime(text) if isinstance(text, str) and "T" in text else None
    if value is None or value.tzinfo is None:
        return None
    return formats.date_format(value.astimezone(ISTANBUL), "d.m.Y H:i")


def money(value) -> str:
    """The one money format of every page, mail and PDF: €1.350,00 in Turkish, €1,350.00 in English."""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    return "€" + formats.number_format(amount, 2, use_l10n=True, force_grouping=True)


# (app label, model, field) of every state machine whose values an audit entry may hold. Looked up
# by name: this core module is read by pages of every app and imports none of them.
STATE_FIELDS = (
    ("mobility", "Call", "status"), ("selection", "SelectionRun", "status"), ("letters", "Placement", "status"),
    ("letters", "Letter", "decision"), ("applications", "Application", "status"),
)
STATE_KEYS = {"from", "to", "was", "status", "decision"}


def _status_words(value: str) -> str:

    for label, model_name, field_name in STATE_FIELDS:
        try:
            field = apps.get_model(label, model_name)._meta.get_field(field_name)
        except LookupError:
            continue
        choices = dict(field.choices or [])
        if value in choices:
            return str(choices[value])
    return value


def _changed_field(name: str):
    """The model field a key of recorded changes names (`department_id` is `department`), or None."""
    for label, model_name in CHANGED_MODELS:
        try:
            fields = apps.get_model(label, model_name)._meta
        except LookupError:
            continue
        for candidate in (name, name.removesuffix("_id")):
            try:
                return fields.get_field(candidate)
            except LookupError:
                continue
    return None


def key_words(name: str) -> str:
    """A recorded key in words: the audit's own label, else the field's verbose name, else the key itself."""
    if name in KEY_LABELS:
        return str(KEY_LABELS[name])
    field = _changed_field(name)
    return str(field.verbose_name) if field is not None else name.replace("_", " ")


def _change_value(name: str, value) -> str:
    field = _changed_field(name) if name not in STATE_KEYS else None
    choices = dict(field.choices or []) if field is not None else {}
    if choices and value in choices:
        return str(choices[value])
    return value_words(name, value)


def value_words(key: str, value) -> str:
    if isinstance(value, bool) or value in ("True", "False"):
        # Changes are recorded as text: a boolean field's "True" is a yes as well.
        return str(_("yes") if value in (True, "True") else _("no"))
    if value is None or value == "":
        return "—"
    if isinstance(value, dict):
        parts = []
        for name, change in value.items():
            if isinstance(change, (list, tuple)) and len(change) == 2:
                parts.append(f"{key_words(name)}: {_change_value(name, change[0])} → {_change_value(name, change[1])}")
            else:
                parts.append(f"{key_words(name)}: {_change_value(name, change)}")
        return "; ".join(parts)
    if isinstance(value, (list, tuple)):
        return "; ".join(value_words(key, item) for item in value)
    text = str(value)
    instant = _instant(text)
    if instant:
        return instant
    if key in MONEY_KEYS or (key in ("from", "to") and _is_amount(text)):
        return money(text)
    if key in STATE_KEYS:
        return _status_words(text)
    if key in COUNTRY_KEYS:
        return country_name(text)
    return text


def _is_amount(text: str) -> bool:
    try:
        Decimal(text)
    except (InvalidOperation, ValueError):
        return False
    return "." in text


def entry_words(*, action: str, data: dict, labels: dict) -> tuple[str, list[str]]:
    """(what happened, its details as "key: value" lines) for an audit entry."""
    label = str(labels.get(action) or ACTION_LABELS.get(action) or action.replace(".", " ").replace("_", " ").capitalize())
    details = []
    for key, value in (data or {}).items():
        name = key_words(key)
        if key == "call":
            continue  # the page is the call's
        details.append(f"{name}: {value_words(key, value)}")
    return label, details

"""An audit entry in words for the office: no action codes, no UTC ISO stamps, no dictionaries.

The entries are written by every part of the portal with their own keys; this module only knows
how to say them. A key it does not know is shown with its name in words, never dropped.
"""
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats
from django.utils.dateparse import parse_date, parse_datetime
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
    "document": _("document"),
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


def _model(object_type: str):
    """The model an entry was recorded on ("applications.application"), or None."""
    try:
        return apps.get_model(object_type) if object_type else None
    except (LookupError, ValueError):
        return None


def _field_of(model, name: str):
    for candidate in (name, name.removesuffix("_id")):
        try:
            field = model._meta.get_field(candidate)
        except FieldDoesNotExist:
            continue
        if field.concrete:  # a reverse relation has no verbose name and records nothing
            return field
    return None


def _changed_field(name: str, model=None):
    """The model field a key of recorded changes names (`department_id` is `department`), or None.

    The entry's own model first: "status" of an application is the application's status."""
    candidates = [model] if model is not None else []
    for label, model_name in CHANGED_MODELS:
        try:
            candidates.append(apps.get_model(label, model_name))
        except LookupError:
            continue
    for candidate in candidates:
        field = _field_of(candidate, name)
        if field is not None:
            return field
    return None


def key_words(name: str, model=None) -> str:
    """A recorded key in words: the audit's own label, else the field's verbose name, else the key itself."""
    if name in KEY_LABELS:
        return str(KEY_LABELS[name])
    field = _changed_field(name, model)
    return str(field.verbose_name) if field is not None else name.replace("_", " ")


def _field_value(field, value) -> str | None:
    """A value recorded as text in the words of its field: a choice's label, the related record,
    a date in the office's form, an amount as money; None when the field has nothing to add."""
    if value is None or value == "":
        return None
    choices = dict(field.flatchoices) if getattr(field, "choices", None) else {}
    if value in choices:
        return str(choices[value])
    if field.is_relation and field.many_to_one:
        return _related_name(field.related_model, value)
    if isinstance(field, models.DateTimeField):
        moment = parse_datetime(str(value))
        if moment is not None:
            moment = moment if moment.tzinfo else moment.replace(tzinfo=ISTANBUL)
            return formats.date_format(moment.astimezone(ISTANBUL), "d.m.Y H:i")
    elif isinstance(field, models.DateField):
        day = parse_date(str(value))
        if day is not None:
            return formats.date_format(day, "d.m.Y")
    if isinstance(field, models.DecimalField) and field.name.endswith("_eur"):
        return money(value)
    return None


# The related records already named on the page being rendered (see related_names_remembered).
_named: ContextVar[dict | None] = ContextVar("audit_related_named", default=None)


@contextmanager
def related_names_remembered() -> Iterator[None]:
    """Within a page of entries each related record is read once: a trail names one department in
    many entries, and reading it per entry made the page's queries grow with its rows."""
    token = _named.set({})
    try:
        yield
    finally:
        _named.reset(token)


def _related_name(model, pk) -> str | None:
    named = _named.get()
    key = (model._meta.label, str(pk))
    if named is not None and key in named:
        return named[key]
    related = model._default_manager.filter(pk=pk).first()
    name = str(related) if related is not None else None
    if named is not None:
        named[key] = name
    return name


def _change_value(name: str, value, model=None) -> str:
    field = _changed_field(name, model)
    words = _field_value(field, value) if field is not None else None
    return words if words is not None else value_words(name, value)


def value_words(key: str, value, model=None) -> str:
    if isinstance(value, bool) or value in ("True", "False"):
        # Changes are recorded as text: a boolean field's "True" is a yes as well.
        return str(_("yes") if value in (True, "True") else _("no"))
    if value is None or value == "":
        return "—"
    if isinstance(value, dict):
        parts = []
        for name, change in value.items():
            if isinstance(change, (list, tuple)) and len(change) == 2:
                parts.append(f"{key_words(name, model)}: {_change_value(name, change[0], model)} → {_change_value(name, change[1], model)}")
            else:
                parts.append(f"{key_words(name, model)}: {_change_value(name, change, model)}")
        return "; ".join(parts)
    if isinstance(value, (list, tuple)):
        if key == "fields" and model is not None:  # names of the fields that changed
            return ", ".join(key_words(str(item), model) for item in value)
        return "; ".join(value_words(key, item, model) for item in value)
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


def entry_words(*, action: str, data: dict, labels: dict, object_type: str = "") -> tuple[str, list[str]]:
    """(what happened, its details as "key: value" lines) for an audit entry.

    `object_type` (the entry's model) says which choices its codes are: a document's "kind" is a kind of document."""
    model = _model(object_type)
    label = str(labels.get(action) or ACTION_LABELS.get(action) or action.replace(".", " ").replace("_", " ").capitalize())
    details = []
    for key, value in (data or {}).items():
        name = key_words(key, model)
        if key == "call":
            continue  # the page is the call's
        details.append(f"{name}: {_entry_value(key, value, model)}")
    return label, details


def _entry_value(key: str, value, model) -> str:
    """A top-level value: a code of the entry's own model (a document's kind) by its label, else as value_words says."""
    field = _field_of(model, key) if model is not None and key not in ("from", "to") and not isinstance(value, (dict, list)) else None
    if field is not None and field.choices:
        words = _field_value(field, value)
        if words is not None:
            return words
    return value_words(key, value, model)

"""Admin forms a non-programmer can fill: help texts on every rule, dates as DD.MM.YYYY, real country codes."""
from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from mobility.iso3166 import unknown_codes
from mobility.models import Call, CountryGroup
from mobility.services.callfile import MAX_PLACES
from mobility.services.deadlines import DEADLINE_FIELDS, deadline_change_effects

CALL_HELP = {
    "code": _("Short unique code used in file names and commands, e.g. UZEM-2026-SMT-1."),
    "programme": _("The programme decides the default grant rates."),
    "applications_open": _("Students can apply from this moment (Turkish time)."),
    "applications_close": _("Applications are refused from this moment; run the selection after it."),
    "letter_deadline": _("Primaries and reserves upload their acceptance letters until this moment."),
    "appeal_deadline": _("Students can appeal against the preliminary list until this moment."),
    "appeal_answer_by": _("The office answers every appeal by this day."),
    "exam_session": _("Only this language-exam session counts for the call."),
    "budget_eur": _("Total grant budget of the call in euros."),
    "planning_amount_eur": _("Amount planned per student; budget ÷ this = primary places."),
    "academic_weight": _("Share of the academic score in the final score (0 to 1)."),
    "language_weight": _("Share of the language score in the final score (0 to 1)."),
    "written_weight": _("Share of the written exam in the language score (0 to 1)."),
    "listening_weight": _("Share of the listening exam in the language score (0 to 1)."),
    "allocation": _("How primary places are shared between departments."),
}


class CallAdminForm(forms.ModelForm):
    accept_deadline_effects = forms.BooleanField(
        label=_("I accept the effects of the deadline change listed above"), required=False,
        help_text=_("Asked only when a changed deadline would take places or reserve status away at once."),
    )

    class Meta:
        model = Call
        fields = "__all__"
        help_texts = CALL_HELP

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, (forms.DateField, forms.SplitDateTimeField, forms.DateTimeField)):
                field.error_messages["invalid"] = _("Enter the date as DD.MM.YYYY, e.g. 01.12.2026.")
                if isinstance(field, forms.SplitDateTimeField):
                    field.fields[0].error_messages["invalid"] = _("Enter the date as DD.MM.YYYY, e.g. 01.12.2026.")
                    field.fields[1].error_messages["invalid"] = _("Enter the time as HH:MM, e.g. 16:00.")

    def clean(self):
        cleaned = super().clean()
        self.deadline_effects = self._deadline_effects(cleaned)
        if self.deadline_effects and not cleaned.get("accept_deadline_effects"):
            field = "letter_deadline" if "letter_deadline" in self.changed_data else "reserve_list_end"
            for line in self.deadline_effects:
                self.add_error(field, line)
            self.add_error("accept_deadline_effects", _(
                "Nothing was saved. Tick this box and save again to change the deadline with these effects."
            ))
        # Said on the field, before the database's own check would name its constraint.
        opens, closes = cleaned.get("applications_open"), cleaned.get("applications_close")
        if opens and closes and closes <= opens:
            self.add_error("applications_close", _("Applications must close after they open (%(opens)s).") % {
                "opens": formats.date_format(timezone.localtime(opens), "d.m.Y H:i")})
        budget, planning = cleaned.get("budget_eur"), cleaned.get("planning_amount_eur")
        if budget and planning and budget // planning > MAX_PLACES:
            self.add_error("planning_amount_eur", _(
                "The budget divided by this amount gives %(places)s primary places; at most %(max)s are possible: check both amounts."
            ) % {"places": budget // planning, "max": MAX_PLACES})
        return cleaned


    def _deadline_effects(self, cleaned) -> list[str]:
        if self.instance.pk is None:
            return []
        changes = {name: cleaned.get(name) for name in DEADLINE_FIELDS if name in self.changed_data}
        return deadline_change_effects(call=self.instance, changes=changes, at=timezone.now())


class CountryGroupForm(forms.ModelForm):
    class Meta:
        model = CountryGroup
        fields = "__all__"

    def clean_countries(self):
        codes = self.cleaned_data["countries"].upper().replace(",", " ").split()
        bad = unknown_codes(codes)
        if bad:
            raise forms.ValidationError(
                _("Not ISO 3166-1 country codes: %(codes)s.") % {"codes": ", ".join(bad)}
            )
        return " ".join(codes)

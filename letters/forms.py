from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from letters.checks import country_rates
from letters.models import REFUSED_HOST_TYPES, HostType
from mobility.numbers import DecimalCommaField

# Refused types are offered too, so a student who picks one is told why instead of guessing.
HOST_TYPE_CHOICES = [("", "—")] + list(HostType.choices) + list(REFUSED_HOST_TYPES.items())


def country_choices(call) -> list[tuple[str, str]]:
    """The call's countries as (code, name in the active language), by name."""

    codes = country_rates(call) if call is not None else {}
    return sorted(((code, str(countries.name(code)) or code) for code in codes), key=lambda item: item[1])


class LetterForm(forms.Form):
    host_name = forms.CharField(label=_("Host organisation"), max_length=300)
    host_type = forms.ChoiceField(label=_("Type of host"), choices=HOST_TYPE_CHOICES)
    # Chosen by name in the user's language; the value stays the ISO code the contract uses. A code
    # outside the call still reaches the server's check, which says why it is refused.
    country = forms.CharField(label=_("Country"), max_length=2, min_length=2, widget=forms.Select)
    city = forms.CharField(label=_("City"), max_length=150)
    address = forms.CharField(label=_("Address"), max_length=500, required=False)
    contact_person = forms.CharField(label=_("Contact person"), max_length=300, required=False)
    # A date input takes only ISO values (2027-06-15); a localised "15.06.2027" would show it empty.
    start_date = forms.DateField(label=_("Start date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    end_date = forms.DateField(label=_("End date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    pdf = forms.FileField(label=_("Signed and stamped letter (PDF, at most 10 MB)"), required=False,
                          widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}))

    def __init__(self, *args, call=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].widget.choices = [("", "—")] + country_choices(call)
        if call is not None and call.mobility_start and call.mobility_end:
            for name in ("start_date", "end_date"):
                self.fields[name].widget.attrs.update(min=call.mobility_start.isoformat(), max=call.mobility_end.isoformat())

    def clean_country(self):
        return self.cleaned_data["country"].strip().upper()


# The contract's reason codes, shown beside the field they concern.
PROBLEM_FIELDS = {
    "missing_value": None, "host_not_eligible": "host_type", "bad_host_type": "host_type",
    "country_not_eligible": "country", "outside_window": "end_date", "too_short": "end_date",
    "bad_date": "start_date", "too_long": "end_date", "after_deadline": None, "no_place": None, "letter_locked": "host_name",
}


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=[("approved", _("Approve")), ("rejected", _("Reject"))])
    reason = forms.CharField(label=_("Reason (shown to the student)"), max_length=500, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        if data.get("decision") == "rejected" and not data.get("reason", "").strip():
            self.add_error("reason", _("Give the student a reason for the rejection."))
        return data


class BudgetForm(forms.Form):
    amount = DecimalCommaField(label=_("Budget (EUR)"), min_value=0, max_digits=12, decimal_places=2)


class WithdrawForm(forms.Form):
    force_majeure = forms.BooleanField(label=_("Documented force majeure (e.g. visa refusal, border closure)"), required=False)
    document = forms.FileField(label=_("Force majeure document (PDF)"), required=False)
    confirm = forms.BooleanField(label=_("I withdraw from this call. This cannot be undone."))

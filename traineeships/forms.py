from django import forms
from django.utils.translation import gettext_lazy as _

from traineeships.models import LearningAgreement, Mobility
from traineeships.services.agreements import RECOGNITION, TABLE_FIELDS

DATE = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class AgreementForm(forms.ModelForm):
    change_reason = forms.CharField(label=_("What changes and why (Table A2)"), max_length=500, required=False,
                                    widget=forms.Textarea(attrs={"rows": 2}))

    class Meta:
        model = LearningAgreement
        fields = TABLE_FIELDS
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            **{name: forms.Textarea(attrs={"rows": 3}) for name in ("programme", "skills", "monitoring_plan", "evaluation_plan")},
            "table_b": forms.RadioSelect, "language": forms.TextInput(attrs={"autocapitalize": "characters", "maxlength": 2}),
            "host_country": forms.TextInput(attrs={"autocapitalize": "characters", "maxlength": 2}),
        }

    def clean_language(self):
        return self.cleaned_data["language"].strip().upper()

    def clean_host_country(self):
        return self.cleaned_data["host_country"].strip().upper()


class BmDataForm(forms.ModelForm):
    """What the EU report needs from the student (the office sees the host's part too)."""

    class Meta:
        model = Mobility
        fields = ("gender", "birth_date", "nationality", "main_language", "native_speaker", "distance_band", "transport_means",
                  "host_oid", "host_legal_address", "host_postal_code", "host_phone", "host_below_250")
        widgets = {"birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def clean_nationality(self):
        return self.cleaned_data["nationality"].strip().upper()

    def clean_main_language(self):
        return self.cleaned_data["main_language"].strip().upper()


class DecisionForm(forms.Form):
    party = forms.ChoiceField(label=_("Signing as"))
    decision = forms.ChoiceField(label=_("Decision"), choices=[("approved", _("Approve")), ("rejected", _("Send back for changes"))],
                                 widget=forms.RadioSelect)
    reason = forms.CharField(label=_("Reason (required when sending back)"), max_length=500, required=False)
    paper_received_on = forms.DateField(label=_("Paper signature received on (office only)"), required=False, **DATE)
    signer_name = forms.CharField(label=_("Name of the signer (for a paper signature)"), max_length=200, required=False)

    def __init__(self, *args, parties=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].choices = list(parties)


class HostAgreementForm(forms.Form):
    signer_name = forms.CharField(label=_("Your name"), max_length=200)
    decision = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect,
                                 choices=[("approved", _("I confirm this Learning Agreement")), ("rejected", _("Changes are needed"))])
    reason = forms.CharField(label=_("What must change"), max_length=500, required=False)


class CertificateForm(forms.Form):
    start = forms.DateField(label=_("First day at the host"), **DATE)
    end = forms.DateField(label=_("Last day at the host"), **DATE)
    force_majeure = forms.BooleanField(label=_("Force majeure (documented)"), required=False)


class HostCertificateForm(forms.Form):
    signer_name = forms.CharField(label=_("Your name"), max_length=200)
    start = forms.DateField(label=_("First day at the host"), **DATE)
    end = forms.DateField(label=_("Last day at the host"), **DATE)


class RecognitionForm(forms.Form):
    recognition = forms.ChoiceField(label=_("Recognised as"), widget=forms.RadioSelect, choices=[
        (kind, label) for kind, label in Mobility._meta.get_field("recognition").choices if kind in RECOGNITION])
    note = forms.CharField(label=_("Note (course code, credits)"), max_length=300, required=False)

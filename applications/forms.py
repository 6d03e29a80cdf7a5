from django import forms
from django.utils.translation import gettext_lazy as _
from import_export.forms import ConfirmImportForm, ImportForm

from mobility.models import Call


class CallImportForm(ImportForm):
    """The admin's import form, with the call the file belongs to."""

    call = forms.ModelChoiceField(queryset=Call.objects.all(), label=_("Call"))
    field_order = ["call", "resource", "import_file", "format"]


class CallConfirmImportForm(ConfirmImportForm):
    call = forms.ModelChoiceField(queryset=Call.objects.all(), widget=forms.HiddenInput())

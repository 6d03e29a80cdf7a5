from django import forms
from django.utils.translation import gettext_lazy as _
from import_export.forms import ImportForm

from applications.imports import import_limit
from mobility.models import Call


class CallImportForm(ImportForm):
    """The admin's import form, with the call the file belongs to."""

    call = forms.ModelChoiceField(queryset=Call.objects.all(), label=_("Call"))
    field_order = ["call", "resource", "import_file", "format"]

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        most = import_limit("IMPORT_MAX_UPLOAD_BYTES")
        if upload is not None and upload.size > most:
            raise forms.ValidationError(
                _("The file is %(size)s MB; at most %(most)s MB can be uploaded. Split it, or import it on the command line.")
                % {"size": round(upload.size / 1024 / 1024, 1), "most": round(most / 1024 / 1024, 1)}
            )
        return upload


class CallConfirmImportForm(forms.Form):
    """Only the token of the checked file travels: its call and stored file stay on the server."""

    token = forms.CharField(widget=forms.HiddenInput(), max_length=64)

from django import forms
from django.utils.translation import gettext_lazy as _

from selection.digests import content_digests, digest_normalise

VERIFY_MAX_BYTES = 20 * 1024 * 1024


class VerifyForm(forms.Form):
    """A digest pasted, or a list downloaded from the portal (its CSV); at least one of the two."""

    digest = forms.CharField(label=_("Digest (SHA-256, 64 characters)"), required=False, max_length=200)
    file = forms.FileField(label=_("Or the list you downloaded (CSV)"), required=False)

    def clean_digest(self):
        text = self.cleaned_data.get("digest", "")
        if text.strip() and digest_normalise(text) is None:
            raise forms.ValidationError(_("A digest is 64 characters from 0-9 and a-f."))
        return digest_normalise(text) if text.strip() else ""

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and upload.size > VERIFY_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB; it is not a list from this portal."))
        return upload

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("digest") and not data.get("file"):
            raise forms.ValidationError(_("Paste a digest or choose the list you downloaded."))
        return data

    def digests(self) -> list[str]:
        if self.cleaned_data.get("file"):
            upload = self.cleaned_data["file"]
            upload.seek(0)
            return content_digests(upload.read())
        return [self.cleaned_data["digest"]]

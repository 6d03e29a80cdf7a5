from django import forms
from django.utils.translation import gettext_lazy as _


class AppealForm(forms.Form):
    text = forms.CharField(label=_("What do you object to, and why?"), widget=forms.Textarea(attrs={"rows": 6}), max_length=5000)
    document = forms.FileField(label=_("Document (optional: PDF, JPEG or PNG, at most 5 MB)"), required=False)


class AnswerForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=[("accepted", _("Accept")), ("rejected", _("Reject"))])
    answer = forms.CharField(label=_("Answer to the student"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)

from decimal import Decimal

from django import forms
from django.core.validators import RegexValidator
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from applications.models import BONUS_FIELDS, FLAG_FIELDS, Application, ApplicationSource, DocumentKind, Level
from applications.student.applying import GRADUATE, DraftInput
from mobility.models import Department
from mobility.models.calls import ADJUSTMENT_LABELS
from mobility.numbers import DecimalCommaField
from mobility.student_numbers import STUDENT_NUMBER_MAX_LENGTH, STUDENT_NUMBER_RE

# A name is one line of text: a line break would break every list it is printed in.
ONE_LINE = RegexValidator(r"[\x00-\x1f\x7f\u2028\u2029\x85]", _("Write it on one line."), inverse_match=True)


class StudentSignupForm(forms.Form):
    """Extra sign-up fields (allauth's ACCOUNT_SIGNUP_FORM_CLASS): what the account is linked by."""

    first_name = forms.CharField(label=_("First name"), max_length=150, validators=[ONE_LINE])
    last_name = forms.CharField(label=_("Last name"), max_length=150, validators=[ONE_LINE])
    student_number = forms.RegexField(
        label=_("Student number"), max_length=STUDENT_NUMBER_MAX_LENGTH, regex=STUDENT_NUMBER_RE,
        error_messages={"invalid": _("Enter your student number as it is on your student card.")},
    )

    def signup(self, request, user) -> None:
        user.first_name = self.cleaned_data["first_name"].strip()
        user.last_name = self.cleaned_data["last_name"].strip()
        user.student_number = self.cleaned_data["student_number"].strip()
        user.language = translation.get_language() or "tr"
        user.save(update_fields=["first_name", "last_name", "student_number", "language"])


_gpa = {"max_digits": 3, "decimal_places": 2, "min_value": Decimal("0"), "max_value": Decimal("4"), "required": False}


class DraftForm(forms.Form):
    """The application as the student fills it in; values the office imported are shown, not asked."""

    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.none(), required=False)
    level = forms.ChoiceField(label=_("Level of study"), choices=[("", "—"), *Level.choices], required=False)
    gpa = DecimalCommaField(label=_("GPA (out of 4.00)"), **_gpa)
    declared_previous_degree_gpa = DecimalCommaField(
        label=_("Previous degree's GPA (graduate students without a GPA yet)"), **_gpa,
        help_text=_("Counts only once the office accepts the transcript you upload."),
    )
    prior_participations = forms.IntegerField(label=_("Earlier Erasmus+ participations"), min_value=0, max_value=20, initial=0)

    def __init__(self, *args, call, application: Application | None, departments, history: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.call = call
        self.history = history
        self.fields["department"].queryset = departments
        office = application is not None and application.source == ApplicationSource.OFFICE
        self.office_values = office
        for name in ("department", "level", "gpa"):
            self.fields[name].disabled = office
        points = call.adjustment_points()
        self.flag_fields = []
        for code in FLAG_FIELDS:
            if points[code]:
                self.fields[code] = forms.BooleanField(label=ADJUSTMENT_LABELS[code], required=False)
                self.flag_fields.append(code)
        self.bonus_fields = []
        for code in BONUS_FIELDS:
            if points[code]:
                self.fields[f"claim_{code}"] = forms.BooleanField(label=ADJUSTMENT_LABELS[code], required=False)
                self.bonus_fields.append(code)
        if not points["prior_participation"]:
            del self.fields["prior_participations"]

    def main_fields(self):
        names = ("department", "level", "gpa", "declared_previous_degree_gpa", "prior_participations")
        return [self[name] for name in names if name in self.fields]

    def flag_boundfields(self):
        return [(self[code], bool(self.history.get(code))) for code in self.flag_fields]

    def bonus_boundfields(self):
        return [self[f"claim_{code}"] for code in self.bonus_fields]

    def draft_input(self) -> DraftInput:
        data = self.cleaned_data
        department = data.get("department")
        return DraftInput(
            department_id=department.pk if department else None,
            level=data.get("level") or "",
            gpa=data.get("gpa"),
            declared_previous_degree_gpa=data.get("declared_previous_degree_gpa"),
            prior_participations=data.get("prior_participations") or 0,
            flags=frozenset(code for code in self.flag_fields if data.get(code)),
            bonus_claims=frozenset(code for code in self.bonus_fields if data.get(f"claim_{code}")),
        )


def draft_initial(application: Application | None, prefill: dict) -> dict:
    if application is None:
        initial = dict(prefill)
        initial.update({code: bool(prefill.get(code)) for code in FLAG_FIELDS})
        return initial
    initial = {
        "department": application.department_id, "level": application.level, "gpa": application.gpa,
        "declared_previous_degree_gpa": application.declared_previous_degree_gpa,
        "prior_participations": application.prior_participations,
    }
    initial.update({code: getattr(application, code) for code in FLAG_FIELDS})
    initial.update({f"claim_{code}": bool(getattr(application, code)) for code in BONUS_FIELDS})
    return initial


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document for"), choices=())
    file = forms.FileField(label=_("File (PDF, JPEG or PNG, at most 10 MB)"))

    def __init__(self, *args, application: Application, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = [*BONUS_FIELDS]
        if application.level in GRADUATE:
            kinds.append(DocumentKind.PREVIOUS_TRANSCRIPT)
        self.fields["kind"].choices = [(k, DocumentKind(k).label) for k in kinds]
        self.fields["file"].widget.attrs["accept"] = "application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accepted", _("Accept")), ("rejected", _("Reject"))])
    reason = forms.CharField(label=_("Reason (the student reads it)"), max_length=500, required=False)

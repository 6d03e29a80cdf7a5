import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mobility.student_numbers import validate_student_number
from mobility.uploads import private_storage

_gpa = {"max_digits": 3, "decimal_places": 2, "null": True, "blank": True,
        "validators": [MinValueValidator(0), MaxValueValidator(4)]}
_exam = {"max_digits": 5, "decimal_places": 2, "null": True, "blank": True,
         "validators": [MinValueValidator(0), MaxValueValidator(100)]}


class Level(models.TextChoices):
    ASSOCIATE = "associate", _("Associate degree")
    BACHELOR = "bachelor", _("Bachelor's")
    MASTER = "master", _("Master's")
    DOCTORATE = "doctorate", _("Doctorate")


class BonusClaim(models.TextChoices):
    NONE = "", _("None")
    CLAIMED = "claimed", _("Claimed, document not accepted")
    VERIFIED = "verified", _("Document accepted")


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# A student goes abroad a handful of times at most; more is a typo that would push scores out of range.
MAX_PRIOR_PARTICIPATIONS = 20

# Boolean deductions of the contract (applicant file columns and Application fields).
FLAG_FIELDS = ("same_year_study_primary", "late_withdrawal", "non_prioritised_choice", "missed_orientation", "missed_exam")
BONUS_FIELDS = ("disability", "martyr_veteran_relative", "protection_2828")
# What the audit trail records before -> after when an application changes: what the selection reads.
AUDITED_FIELDS = (
    "department_id", "level", "gpa", "previous_degree_gpa", "declared_previous_degree_gpa", "prior_participations",
    *FLAG_FIELDS, *BONUS_FIELDS, "status",
)


class Applicant(models.Model):
    """A student as the office knows them; one per student number, across calls and years."""

    student_number = models.CharField(_("student number"), max_length=32, unique=True, validators=[validate_student_number])
    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150)
    email = models.EmailField(_("email"))
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="applicant", verbose_name=_("portal account"),
    )

    class Meta:
        verbose_name = _("applicant")
        verbose_name_plural = _("applicants")
        ordering = ["student_number"]

    def __str__(self) -> str:
        return f"{self.student_number} {self.first_name} {self.last_name}"


class ApplicationSource(models.TextChoices):
    OFFICE = "office", _("Imported by the office")
    STUDENT = "student", _("Filled in by the student")


class Application(models.Model):
    """One applicant's application to one call, with what the selection needs."""

    call = models.ForeignKey("mobility.Call", on_delete=models.CASCADE, related_name="applications", verbose_name=_("call"))
    applicant = models.ForeignKey(Applicant, on_delete=models.PROTECT, related_name="applications", verbose_name=_("applicant"))
    department = models.ForeignKey("mobility.Department", on_delete=models.PROTECT, related_name="applications", verbose_name=_("department"))
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    gpa = models.DecimalField(_("GPA"), **_gpa)
    previous_degree_gpa = models.DecimalField(_("previous degree GPA (transcript handed in)"), **_gpa)
    prior_participations = models.PositiveSmallIntegerField(
        _("earlier Erasmus+ participations"), default=0, validators=[MaxValueValidator(MAX_PRIOR_PARTICIPATIONS)],
    )
    same_year_study_primary = models.BooleanField(_("primary for study mobility in the same year"), default=False)
    late_withdrawal = models.BooleanField(_("earlier withdrawal outside the allowed period"), default=False)
    non_prioritised_choice = models.BooleanField(_("choice not prioritised"), default=False)
    missed_orientation = models.BooleanField(_("missed an orientation meeting"), default=False)
    missed_exam = models.BooleanField(_("registered for an earlier exam and did not sit it"), default=False)
    disability = models.CharField(_("disability"), max_length=16, choices=BonusClaim.choices, blank=True, default="")
    martyr_veteran_relative = models.CharField(_("martyr or veteran relative"), max_length=16, choices=BonusClaim.choices, blank=True, default="")
    protection_2828 = models.CharField(_("protection under Law 2828"), max_length=16, choices=BonusClaim.choices, blank=True, default="")
    recent_graduate = models.BooleanField(
        _("recent graduate"), default=False,
        help_text=_("Graduates before the traineeship starts; reported to the EU, no effect on the selection."),
    )
    status = models.CharField(_("status"), max_length=16, choices=ApplicationStatus.choices, default=ApplicationStatus.SUBMITTED)
    # Office imports are the default path; a student's own draft says so, and then department,
    # level and GPA are the student's declaration rather than the office's record.
    source = models.CharField(_("source"), max_length=16, choices=ApplicationSource.choices, default=ApplicationSource.OFFICE)
    declared_previous_degree_gpa = models.DecimalField(_("previous degree GPA declared by the student"), **_gpa)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["call", "department__code", "applicant__student_number"]
        constraints = [models.UniqueConstraint(fields=["call", "applicant"], name="application_once_per_call")]
        indexes = [models.Index(fields=["call", "department"])]

    def __str__(self) -> str:
        return f"{self.call.code} / {self.applicant.student_number}"


class ExamSession(models.Model):
    """A language-exam session; a call counts exactly one."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    date = models.DateField(_("date"), null=True, blank=True)

    class Meta:
        verbose_name = _("exam session")
        verbose_name_plural = _("exam sessions")
        ordering = ["-date", "name"]

    def __str__(self) -> str:
        return self.name


class ExamResult(models.Model):
    session = models.ForeignKey(ExamSession, on_delete=models.CASCADE, related_name="results", verbose_name=_("session"))
    applicant = models.ForeignKey(Applicant, on_delete=models.CASCADE, related_name="exam_results", verbose_name=_("applicant"))
    written = models.DecimalField(_("written"), **_exam)
    listening = models.DecimalField(_("listening"), **_exam)
    absent = models.BooleanField(_("absent from the written exam"), default=False)
    # When the result last changed (the admin too): a selection run older than this is out of date.
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("exam result")
        verbose_name_plural = _("exam results")
        constraints = [models.UniqueConstraint(fields=["session", "applicant"], name="exam_result_once_per_session")]

    def __str__(self) -> str:
        return f"{self.session} / {self.applicant.student_number}"


class OutcomeKind(models.TextChoices):
    """Facts recorded after selection that later calls turn into deductions."""

    PARTICIPATED = "participated", _("Went abroad, or was primary and neither went nor withdrew in writing")
    WITHDREW_LATE = "withdrew_late", _("Withdrew outside the allowed period")
    MISSED_ORIENTATION = "missed_orientation", _("Missed the orientation meeting")
    MISSED_EXAM = "missed_exam", _("Registered for the exam and did not sit it")


class OutcomeRecord(models.Model):
    """What happened after a call, kept so the next call's adjustments can be pre-filled."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="outcomes", verbose_name=_("application"))
    kind = models.CharField(_("kind"), max_length=32, choices=OutcomeKind.choices)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("outcome record")
        verbose_name_plural = _("outcome records")
        constraints = [models.UniqueConstraint(fields=["application", "kind"], name="outcome_once_per_kind")]

    def __str__(self) -> str:
        return f"{self.application} {self.kind}"


class DocumentKind(models.TextChoices):
    DISABILITY = "disability", _("Disability report")
    MARTYR_VETERAN_RELATIVE = "martyr_veteran_relative", _("Martyr or veteran relative certificate")
    PROTECTION_2828 = "protection_2828", _("Protection under Law 2828 certificate")
    PREVIOUS_TRANSCRIPT = "previous_transcript", _("Previous degree's transcript")


class DocumentStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the office")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


def _document_name(instance, filename: str) -> str:
    # Random name, no trace of the student's file name: the original is kept in the row only.
    from mobility.uploads.storage import random_name

    return random_name("documents")


def _private_storage():

    return private_storage()


class Document(models.Model):
    """A document a student hands in for a bonus or a transcript; the office accepts or rejects it."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents", verbose_name=_("application"))
    kind = models.CharField(_("kind"), max_length=32, choices=DocumentKind.choices)
    file = models.FileField(_("file"), upload_to=_document_name, storage=_private_storage, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=64)
    size = models.PositiveIntegerField(_("size (bytes)"))
    status = models.CharField(_("status"), max_length=16, choices=DocumentStatus.choices, default=DocumentStatus.PENDING)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded at"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("decided by"),
    )

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["uploaded_at", "pk"]
        permissions = [("review_document", _("Can accept or reject students' documents"))]
        indexes = [models.Index(fields=["status", "uploaded_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class ImportKind(models.TextChoices):
    APPLICATIONS = "applications", _("Applicant file")
    EXAM_RESULTS = "exam_results", _("Exam-result file")


class ImportJobStatus(models.TextChoices):
    CHECKING = "checking", _("Checking the file")
    CHECKED = "checked", _("Checked: waiting for confirmation")
    INVALID = "invalid", _("The file has problems: nothing was imported")
    IMPORTING = "importing", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed: nothing was imported")


def _import_token() -> str:
    return secrets.token_urlsafe(24)


class ImportJob(models.Model):
    """An uploaded file on its way from preview to import, kept on the server.

    The confirm step names only the token: the call, the kind and the stored file come from
    this row, never from the browser. Large files are checked and imported in the worker.
    """

    token = models.CharField(max_length=64, unique=True, default=_import_token, editable=False)
    call = models.ForeignKey("mobility.Call", on_delete=models.CASCADE, related_name="import_jobs", verbose_name=_("call"))
    kind = models.CharField(_("file"), max_length=16, choices=ImportKind.choices)
    file = models.CharField(_("stored file"), max_length=200, editable=False)
    original_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(max_length=64, editable=False)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    status = models.CharField(_("status"), max_length=16, choices=ImportJobStatus.choices)
    stage = models.CharField(_("progress"), max_length=200, blank=True)
    rows_total = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    rows_done = models.PositiveIntegerField(_("rows checked"), default=0)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    errors = models.JSONField(_("problems"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.call_id} {self.kind} {self.original_name}"

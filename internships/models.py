"""The national internship programme (document 003): the university's side.

A programme year has calendars and departments; students are imported or sign up; an application
is completed in two stages; host units offer positions (a primary and reserves); career staff
record the insurance before an internship starts.
"""
import secrets
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from internships.uploads import private_storage


class HalfDay(models.TextChoices):
    WORKING = "working", _("Half-day holidays are working days")
    HOLIDAY = "holiday", _("Half-day holidays are holidays")


class Level(models.TextChoices):
    ASSOCIATE = "associate", _("Associate degree")
    BACHELOR = "bachelor", _("Bachelor's degree")


class Heading(models.TextChoices):
    PROFESSIONAL = "professional", _("Professional / academic")
    SOCIAL = "social", _("Social / artistic")
    SPORTS = "sports", _("Sports")


class DocumentStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting for a check")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class OfferKind(models.TextChoices):
    PRIMARY = "primary", _("Primary")
    RESERVE = "reserve", _("Reserve")


class OfferStatus(models.TextChoices):
    OPEN = "open", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Expired")
    RELEASED = "released", _("Released")
    STARTED = "started", _("Started")
    CANCELLED = "cancelled", _("Cancelled")


class InternshipProgramme(models.Model):
    code = models.CharField(_("code"), max_length=32, unique=True)
    title = models.CharField(_("title"), max_length=200)
    applications_open = models.DateTimeField(_("applications open"))
    applications_close = models.DateTimeField(_("applications close"))
    min_gpa = models.DecimalField(_("minimum GPA"), max_digits=3, decimal_places=2, default=Decimal("2.00"))
    years = models.JSONField(_("eligible years"), default=dict)
    gpa_exempt = models.JSONField(_("exempt from the GPA rule"), default=list)
    half_day = models.CharField(_("half-day holidays"), max_length=8, choices=HalfDay.choices, default=HalfDay.WORKING)
    closed_days = models.JSONField(_("days the university is closed"), default=list)
    max_choices = models.JSONField(_("most calendars a student may choose"), default=dict)
    answer_days = models.PositiveSmallIntegerField(_("days to answer an offer"), default=3)
    competence_points = models.JSONField(_("competence points per kind of document"), default=dict, blank=True)
    # Beyond document 003: how many days before the start the signed forms and the insurance are due.
    forms_due_days = models.PositiveSmallIntegerField(_("signed forms due (days before the start)"), default=10)
    insurance_due_days = models.PositiveSmallIntegerField(_("insurance due (days before the start)"), default=3)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("internship programme")
        verbose_name_plural = _("internship programmes")
        ordering = ["-applications_open"]

    def __str__(self) -> str:
        return self.code


class ProgrammeDepartment(models.Model):
    programme = models.ForeignKey(InternshipProgramme, on_delete=models.CASCADE, related_name="departments")
    department = models.ForeignKey("mobility.Department", on_delete=models.PROTECT, related_name="+")
    internship_days = models.PositiveSmallIntegerField(_("internship length (working days)"), default=20)
    excluded = models.BooleanField(_("not in the programme"), default=False)

    class Meta:
        verbose_name = _("programme department")
        verbose_name_plural = _("programme departments")
        constraints = [models.UniqueConstraint(fields=["programme", "department"], name="internship_department_once")]

    def __str__(self) -> str:
        return self.department.code


class InternshipCalendar(models.Model):
    programme = models.ForeignKey(InternshipProgramme, on_delete=models.CASCADE, related_name="calendars")
    code = models.CharField(_("code"), max_length=32)
    position = models.PositiveSmallIntegerField(default=0)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    working_days = models.PositiveSmallIntegerField(_("working days"))
    week = models.PositiveSmallIntegerField(_("working days a week"))

    class Meta:
        verbose_name = _("internship calendar")
        verbose_name_plural = _("internship calendars")
        ordering = ["programme", "position"]
        constraints = [models.UniqueConstraint(fields=["programme", "code"], name="internship_calendar_code_once")]

    def __str__(self) -> str:
        return self.code


class InternshipStudent(models.Model):
    """A student's row for one programme year, from the office's list or a sign-up."""

    programme = models.ForeignKey(InternshipProgramme, on_delete=models.CASCADE, related_name="students")
    student_number = models.CharField(_("student number"), max_length=32)
    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150)
    email = models.EmailField(_("email address"))
    department = models.ForeignKey(ProgrammeDepartment, on_delete=models.PROTECT, related_name="students")
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(1), MaxValueValidator(6)])
    gpa = models.DecimalField(_("GPA"), max_digits=3, decimal_places=2, null=True, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="internship_students")

    class Meta:
        verbose_name = _("student")
        verbose_name_plural = _("students")
        constraints = [models.UniqueConstraint(fields=["programme", "student_number"], name="internship_student_once")]

    def __str__(self) -> str:
        return self.student_number

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


def _new_handle() -> str:
    return secrets.token_hex(5).upper()


class InternshipApplication(models.Model):
    """Stage 1: details confirmed; stage 2: the form. Complete once both are done."""

    student = models.OneToOneField(InternshipStudent, on_delete=models.CASCADE, related_name="application")
    details_confirmed_at = models.DateTimeField(_("details confirmed"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True, db_index=True)
    cities = models.JSONField(_("cities"), default=list, blank=True)  # [{"plate": "06", "districts": [...]}]
    # The chosen plate codes as ",06,34,": hosts filter the pool by city with one indexed-free LIKE on any database.
    plates = models.CharField(max_length=32, blank=True, default="")
    points_professional = models.DecimalField(max_digits=7, decimal_places=2, default=Decimal("0"))
    points_social = models.DecimalField(max_digits=7, decimal_places=2, default=Decimal("0"))
    points_sports = models.DecimalField(max_digits=7, decimal_places=2, default=Decimal("0"))
    points_total = models.DecimalField(max_digits=8, decimal_places=2, default=Decimal("0"), db_index=True)
    # A random handle hosts see instead of the student's identity (the candidate pool is anonymous).
    handle = models.CharField(max_length=16, unique=True, default=_new_handle)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")

    def __str__(self) -> str:
        return f"{self.student_id}: {self.handle}"

    @property
    def state(self) -> str:
        return "complete" if self.completed_at else "incomplete"


class CalendarChoice(models.Model):
    application = models.ForeignKey(InternshipApplication, on_delete=models.CASCADE, related_name="calendar_choices")
    calendar = models.ForeignKey(InternshipCalendar, on_delete=models.PROTECT, related_name="choices")
    rank = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["application", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["application", "calendar"], name="internship_calendar_chosen_once"),
            models.UniqueConstraint(fields=["application", "rank"], name="internship_calendar_rank_once"),
        ]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.calendar_id}"


def _document_name(instance, filename: str) -> str:
    return f"internships/{secrets.token_hex(16)}"


class CompetenceDocument(models.Model):
    application = models.ForeignKey(InternshipApplication, on_delete=models.CASCADE, related_name="documents")
    heading = models.CharField(_("heading"), max_length=16, choices=Heading.choices)
    kind = models.CharField(_("kind"), max_length=32)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=_document_name, storage=private_storage, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=64)
    status = models.CharField(_("status"), max_length=16, choices=DocumentStatus.choices, default=DocumentStatus.WAITING, db_index=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("competence document")
        verbose_name_plural = _("competence documents")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.title


class HostUnit(models.Model):
    """A faculty, department or administrative unit of the university that takes interns."""

    programme = models.ForeignKey(InternshipProgramme, on_delete=models.CASCADE, related_name="host_units")
    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("contact e-mail"), blank=True)
    language = models.CharField(_("language"), max_length=8, default="tr", choices=[("tr", "Türkçe"), ("en", "English")])
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="internship_host_units")

    class Meta:
        verbose_name = _("host unit")
        verbose_name_plural = _("host units")
        constraints = [models.UniqueConstraint(fields=["programme", "code"], name="internship_host_unit_once")]

    def __str__(self) -> str:
        return self.name


class Position(models.Model):
    programme = models.ForeignKey(InternshipProgramme, on_delete=models.CASCADE, related_name="positions")
    code = models.CharField(_("position"), max_length=64)
    host_unit = models.ForeignKey(HostUnit, null=True, blank=True, on_delete=models.SET_NULL, related_name="positions")
    title = models.CharField(_("title"), max_length=200, blank=True)
    holder = models.ForeignKey("Offer", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["programme", "code"]
        constraints = [models.UniqueConstraint(fields=["programme", "code"], name="internship_position_once")]

    def __str__(self) -> str:
        return self.code


class Offer(models.Model):
    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="offers")
    student = models.ForeignKey(InternshipStudent, on_delete=models.PROTECT, related_name="offers")
    calendar = models.ForeignKey(InternshipCalendar, on_delete=models.PROTECT, related_name="offers")
    kind = models.CharField(_("kind"), max_length=8, choices=OfferKind.choices)
    seq = models.PositiveSmallIntegerField(_("order"))
    status = models.CharField(_("status"), max_length=16, choices=OfferStatus.choices, default=OfferStatus.OPEN, db_index=True)
    made_at = models.DateTimeField(_("made"))
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    answer_by = models.DateTimeField(_("answer by"), db_index=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    forms_file = models.FileField(upload_to=_document_name, storage=private_storage, max_length=200, blank=True)
    forms_uploaded_at = models.DateTimeField(null=True, blank=True)
    forms_checked_at = models.DateTimeField(null=True, blank=True)
    insured_at = models.DateTimeField(_("insurance recorded"), null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_excused = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["position", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["position", "seq"], name="internship_offer_seq_once"),
            models.UniqueConstraint(fields=["position", "student"], name="internship_offer_student_once"),
            models.UniqueConstraint(fields=["position"], condition=models.Q(kind="primary"), name="internship_one_primary"),
            # One started internship a student a year, whatever the application code does.
            models.UniqueConstraint(fields=["student"], condition=models.Q(status="started"), name="internship_one_started"),
        ]

    def __str__(self) -> str:
        return f"{self.position_id}: {self.student_id} ({self.kind})"


class StudentNote(models.Model):
    """Document 003: a cancellation without an excuse (or a no-show) leaves a note hosts see."""

    student = models.ForeignKey(InternshipStudent, on_delete=models.CASCADE, related_name="notes")
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("note on a student's profile")
        verbose_name_plural = _("notes on students' profiles")

    def __str__(self) -> str:
        return f"{self.student_id}: {self.offer_id}"


class Notice(models.Model):
    """An e-mail owed to a student or a host unit; written with the change, sent once after commit."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="notices")
    recipient = models.CharField(max_length=8)  # "student" or "host"
    kind = models.CharField(max_length=32)
    key = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["offer", "recipient", "key"], name="internship_notice_once")]

    def __str__(self) -> str:
        return f"{self.offer_id}:{self.key}"

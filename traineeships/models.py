"""The traineeship after an approved letter: Learning Agreement versions and their approvals,
the certificate with the final grant, the recognition, and the data the EU Beneficiary Module
needs that the call files do not carry (placement-files §12–§14)."""
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApproverRole(models.TextChoices):
    """Who approves a Learning Agreement (document 000), assigned per department by admins."""

    INTERNSHIP_COMMISSION = "internship_commission", _("Department internship commission")
    ERASMUS_COORDINATOR = "erasmus_coordinator", _("Department Erasmus coordinator")
    PROGRAMME_COORDINATOR = "programme_coordinator", _("Erasmus programme coordinator (graduate students)")


class DepartmentApprover(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="approver_roles", verbose_name=_("user"))
    department = models.ForeignKey("mobility.Department", on_delete=models.CASCADE, related_name="+", verbose_name=_("department"))
    role = models.CharField(_("role"), max_length=32, choices=ApproverRole.choices)

    class Meta:
        verbose_name = _("Learning Agreement approver")
        verbose_name_plural = _("Learning Agreement approvers")
        constraints = [models.UniqueConstraint(fields=["user", "department", "role"], name="approver_once")]

    def __str__(self) -> str:
        return f"{self.user} — {self.department.code}: {self.get_role_display()}"


class Party(models.TextChoices):
    """A signature on the Learning Agreement: the approvers of the sending side and the host."""

    INTERNSHIP_COMMISSION = "internship_commission", _("Department internship commission")
    ERASMUS_COORDINATOR = "erasmus_coordinator", _("Department Erasmus coordinator")
    PROGRAMME_COORDINATOR = "programme_coordinator", _("Erasmus programme coordinator")
    HOST = "host", _("Host supervisor (mentor)")


class LAState(models.TextChoices):
    DRAFT = "draft", _("Being filled in by the student")
    SUBMITTED = "submitted", _("Waiting for approvals")
    APPROVED = "approved", _("Approved by all parties")
    REJECTED = "rejected", _("Sent back for changes")
    SUPERSEDED = "superseded", _("Replaced by a later version")


class TableB(models.TextChoices):
    EMBEDDED = "embedded", _("Embedded in the curriculum")
    VOLUNTARY = "voluntary", _("Voluntary traineeship")
    RECENT_GRADUATE = "recent_graduate", _("Traineeship of a recent graduate")


class Insurance(models.TextChoices):
    SENDING = "sending", _("Sending institution")
    RECEIVING = "receiving", _("Receiving organisation")
    STUDENT = "student", _("The trainee")
    NONE = "none", _("None")


CEFR = [(level, level) for level in ("A1", "A2", "B1", "B2", "C1", "C2", "NS")]
GENDER = [("1", _("Male")), ("2", _("Female")), ("0", _("Not known")), ("9", _("Not applicable"))]


class DistanceBand(models.TextChoices):
    """Erasmus+ travel distance bands (km, one way)."""

    B10_99 = "BAND_10_99", _("10–99 km")
    B100_499 = "BAND_100_499", _("100–499 km")
    B500_1999 = "BAND_500_1999", _("500–1,999 km")
    B2000_2999 = "BAND_2000_2999", _("2,000–2,999 km")
    B3000_3999 = "BAND_3000_3999", _("3,000–3,999 km")
    B4000_7999 = "BAND_4000_7999", _("4,000–7,999 km")
    B8000 = "BAND_8000_PLUS", _("8,000 km or more")


class TransportMeans(models.TextChoices):
    PLANE = "PLANE", _("Plane")
    TRAIN = "TRAIN", _("Train")
    BUS = "BUS", _("Bus or coach")
    CAR = "CAR", _("Car")
    CAR_SHARING = "CAR_SHARING", _("Car sharing")
    BOAT = "BOAT", _("Boat")
    OTHER = "OTHER", _("Other")


# Means of transport that count as green travel (Programme Guide: train, bus, car-sharing, boat).
GREEN_MEANS = {TransportMeans.TRAIN, TransportMeans.BUS, TransportMeans.CAR_SHARING, TransportMeans.BOAT}


class Mobility(models.Model):
    """One traineeship (a primary's approved letter): the BM data the portal asks for, and recognition.

    Special-category data never lives here and never leaves in an export.
    """

    placement = models.OneToOneField("letters.Placement", on_delete=models.CASCADE, related_name="mobility", verbose_name=_("placement"))
    gender = models.CharField(_("gender"), max_length=1, choices=GENDER, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    nationality = models.CharField(_("nationality"), max_length=2, blank=True, help_text=_("two-letter country code, e.g. TR"))
    main_language = models.CharField(_("main language of the traineeship"), max_length=2, blank=True, help_text=_("two-letter code, e.g. EN"))
    native_speaker = models.BooleanField(_("native speaker of that language"), default=False)
    distance_band = models.CharField(_("travel distance band"), max_length=20, choices=DistanceBand.choices, blank=True)
    transport_means = models.CharField(_("means of travel"), max_length=16, choices=TransportMeans.choices, blank=True)
    green_travel = models.BooleanField(_("green travel"), null=True, blank=True)
    host_oid = models.CharField(_("host's OID"), max_length=20, blank=True, help_text=_("the host's Erasmus+ organisation ID (E1…), if it has one"))
    host_legal_address = models.CharField(_("host's address"), max_length=300, blank=True)
    host_postal_code = models.CharField(_("host's postal code"), max_length=20, blank=True)
    host_phone = models.CharField(_("host's phone"), max_length=32, blank=True, help_text=_("with country code, e.g. +49301234567"))
    host_below_250 = models.BooleanField(_("host has fewer than 250 employees"), null=True, blank=True)

    recognition = models.CharField(_("recognition"), max_length=32, blank=True, choices=[
        ("compulsory_internship", _("Counted as the compulsory internship")),
        ("practice_course", _("Counted as a practice course (e.g. International Student Practice)")),
        ("diploma_supplement", _("Recorded in the Diploma Supplement")),
    ])
    recognition_note = models.CharField(_("recognition note"), max_length=300, blank=True)
    recognised_at = models.DateTimeField(_("recognised at"), null=True, blank=True)
    recognised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("traineeship")
        verbose_name_plural = _("traineeships")

    def __str__(self) -> str:
        return str(self.placement)


class Certificate(models.Model):
    """Table D: the first and last day actually spent at the host, and the final grant (§13)."""

    placement = models.OneToOneField("letters.Placement", on_delete=models.CASCADE, related_name="certificate", verbose_name=_("placement"))
    start_date = models.DateField(_("first day at the host"))
    end_date = models.DateField(_("last day at the host"))
    actual_days = models.PositiveIntegerField(_("actual days (30-day months)"))
    funded_days = models.PositiveIntegerField(_("funded days"))
    monthly_rate_eur = models.DecimalField(_("monthly rate (EUR)"), max_digits=8, decimal_places=2)
    final_grant_eur = models.DecimalField(_("final grant (EUR)"), max_digits=10, decimal_places=2)
    planned_grant_eur = models.DecimalField(_("planned grant (EUR)"), max_digits=10, decimal_places=2)
    force_majeure = models.BooleanField(_("force majeure"), default=False)
    issued_at = models.DateTimeField(_("recorded at"))
    source = models.CharField(_("recorded by"), max_length=8, choices=[("office", _("the office")), ("host", _("the host"))], default="office")
    host_signer = models.CharField(_("signed by (host)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("traineeship certificate")
        verbose_name_plural = _("traineeship certificates")

    def __str__(self) -> str:
        return f"certificate of {self.placement_id}"

    @property
    def difference_eur(self) -> Decimal:
        return self.final_grant_eur - self.planned_grant_eur


class LearningAgreement(models.Model):
    """One version of the Learning Agreement for Traineeships; a change (Table A2) is a new version."""

    placement = models.ForeignKey("letters.Placement", on_delete=models.CASCADE, related_name="agreements", verbose_name=_("placement"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    state = models.CharField(_("state"), max_length=16, choices=LAState.choices, default=LAState.DRAFT)
    graduate = models.BooleanField(_("graduate student"), default=False, help_text=_("graduate: the programme coordinator approves; else the commission and the department coordinator"))
    change_reason = models.CharField(_("reason for the change"), max_length=500, blank=True)
    extension = models.BooleanField(_("extension of the period"), default=False)
    created_at = models.DateTimeField(_("created"))
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    rejection_reason = models.CharField(_("reason sent back"), max_length=500, blank=True)

    # The trainee
    eqf_level = models.PositiveSmallIntegerField(_("EQF level"), validators=[MinValueValidator(1), MaxValueValidator(8)])
    isced = models.CharField(_("ISCED-F field"), max_length=4, blank=True)
    # The receiving organisation
    host_name = models.CharField(_("receiving organisation"), max_length=300)
    host_department = models.CharField(_("department"), max_length=200, blank=True)
    host_address = models.CharField(_("address"), max_length=500, blank=True)
    host_country = models.CharField(_("country"), max_length=2)
    host_website = models.CharField(_("website"), max_length=200, blank=True)
    host_below_250 = models.BooleanField(_("fewer than 250 employees"), default=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact person's e-mail"), blank=True)
    mentor_name = models.CharField(_("mentor"), max_length=200)
    mentor_position = models.CharField(_("mentor's position"), max_length=200, blank=True)
    mentor_email = models.EmailField(_("mentor's e-mail"))
    mentor_phone = models.CharField(_("mentor's phone"), max_length=32, blank=True)
    # Table A
    start_date = models.DateField(_("planned start"))
    end_date = models.DateField(_("planned end"))
    title = models.CharField(_("traineeship title"), max_length=300)
    hours_per_week = models.DecimalField(_("hours per week"), max_digits=4, decimal_places=1, validators=[MinValueValidator(1), MaxValueValidator(60)])
    programme = models.TextField(_("detailed programme of the traineeship"))
    skills = models.TextField(_("knowledge, skills and competences to be acquired"))
    digital_skills = models.BooleanField(_("the traineeship develops digital skills"), default=False)
    monitoring_plan = models.TextField(_("monitoring plan"))
    evaluation_plan = models.TextField(_("evaluation plan"))
    language = models.CharField(_("main language of the traineeship"), max_length=2)
    language_level = models.CharField(_("the trainee's level in it (CEFR)"), max_length=2, choices=CEFR)
    # Table B
    table_b = models.CharField(_("kind of traineeship"), max_length=16, choices=TableB.choices)
    credits = models.DecimalField(_("ECTS credits"), max_digits=5, decimal_places=1, null=True, blank=True)
    grade = models.BooleanField(_("a grade is given"), default=False)
    transcript = models.BooleanField(_("recorded in the transcript of records"), default=False)
    diploma_supplement = models.BooleanField(_("recorded in the Diploma Supplement"), default=True)
    europass = models.BooleanField(_("recorded in the Europass Mobility document"), default=False)
    # Table C
    grant_eur = models.DecimalField(_("Erasmus+ grant (EUR)"), max_digits=10, decimal_places=2)
    host_allowance_eur = models.DecimalField(_("financial support from the host per month (EUR)"), max_digits=8, decimal_places=2, default=Decimal(0))
    in_kind = models.CharField(_("contribution in kind from the host"), max_length=300, blank=True)
    accident_insurance = models.CharField(_("accident insurance by"), max_length=16, choices=Insurance.choices, default=Insurance.SENDING)
    liability_insurance = models.CharField(_("liability insurance by"), max_length=16, choices=Insurance.choices, default=Insurance.RECEIVING)

    class Meta:
        verbose_name = _("Learning Agreement for Traineeships")
        verbose_name_plural = _("Learning Agreements for Traineeships")
        ordering = ["placement", "-version"]
        constraints = [models.UniqueConstraint(fields=["placement", "version"], name="la_version_once")]
        indexes = [models.Index(fields=["state", "submitted_at"])]

    def __str__(self) -> str:
        return f"{self.placement} v{self.version}"

    @property
    def parties(self) -> list[str]:
        """The signatures this version needs (document 000), the host's last."""
        sending = [Party.PROGRAMME_COORDINATOR] if self.graduate else [Party.INTERNSHIP_COMMISSION, Party.ERASMUS_COORDINATOR]
        return [*sending, Party.HOST]


class Approval(models.Model):
    """One party's decision on one version: who, when, and how (in the portal, by link, on paper)."""

    agreement = models.ForeignKey(LearningAgreement, on_delete=models.CASCADE, related_name="approvals")
    party = models.CharField(_("party"), max_length=32, choices=Party.choices)
    approved = models.BooleanField(_("approved"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    signer_name = models.CharField(_("signed by"), max_length=200)
    at = models.DateTimeField(_("at"))
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    paper_received_on = models.DateField(_("paper signature received on"), null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agreement", "party"], name="approval_once_per_party")]

    def __str__(self) -> str:
        return f"{self.agreement_id}: {self.party}"


class HostLink(models.Model):
    """A one-time link e-mailed to the host supervisor; the signed token names this row."""

    PURPOSES = [("agreement", _("confirm the Learning Agreement")), ("certificate", _("fill in the certificate"))]

    placement = models.ForeignKey("letters.Placement", on_delete=models.CASCADE, related_name="host_links")
    agreement = models.ForeignKey(LearningAgreement, null=True, blank=True, on_delete=models.CASCADE, related_name="host_links")
    purpose = models.CharField(max_length=16, choices=PURPOSES)
    email = models.EmailField()
    created_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.placement_id}: {self.purpose}"

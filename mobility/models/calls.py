from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mobility import grants
from mobility.isced import DETAILED
from selection.engine import defaults


class Programme(models.TextChoices):
    KA131_SMT = "KA131-SMT", _("Erasmus+ KA131 student traineeship")
    KA131_SMS = "KA131-SMS", _("Erasmus+ KA131 student study")
    KA171_SMT = "KA171-SMT", _("Erasmus+ KA171 student traineeship")
    KA171_SMS = "KA171-SMS", _("Erasmus+ KA171 student study")
    NATIONAL_INTERNSHIP = "NATIONAL-INTERNSHIP", _("National internship programme")


class AcademicFormula(models.TextChoices):
    GPA_X25 = "gpa_x25", _("GPA × 25")
    DEPARTMENT_RELATIVE = "department_relative", _("GPA × (25 + GPA / department average)")


class AllocationStrategy(models.TextChoices):
    DEPARTMENT_ROUND_ROBIN = "department_round_robin", _("Rounds over departments")
    GLOBAL = "global", _("One ranking over all departments")


class PromotionOrder(models.TextChoices):
    DEPARTMENT_FIRST = "department_first", _("Department of the open place first")
    ALLOCATION_ORDER = "allocation_order", _("Allocation order over the call")


class CallStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ANNOUNCED = "announced", _("Announced")
    APPLICATIONS_CLOSED = "applications_closed", _("Applications closed")
    PRELIMINARY_PUBLISHED = "preliminary_published", _("Preliminary results published")
    FINAL_PUBLISHED = "final_published", _("Final results published")
    ARCHIVED = "archived", _("Archived")


# Contract keys of `adjustments` in the call file, with their default points.
ADJUSTMENT_CODES = defaults.ADJUSTMENT_POINTS
ADJUSTMENT_LABELS = {
    "prior_participation": _("Earlier Erasmus+ participation (each)"),
    "same_year_study_primary": _("Primary for study mobility in the same year"),
    "late_withdrawal": _("Earlier withdrawal outside the allowed period"),
    "non_prioritised_choice": _("Choice not prioritised"),
    "missed_orientation": _("Missed an orientation meeting"),
    "missed_exam": _("Registered for an earlier exam and did not sit it"),
    "disability": _("Documented disability"),
    "martyr_veteran_relative": _("Relative of a martyr or veteran"),
    "protection_2828": _("Under protection (Law 2828)"),
}

def validate_sane_year(value) -> None:
    """Dates of a call lie between 2000 and 2100: beyond, they are typos and overflow near year 9999."""
    if not 2000 <= value.year <= 2100:
        raise ValidationError(_("Enter a date between the years 2000 and 2100."))


def validate_pic(value: str) -> None:
    """A Participant Identification Code is nine digits."""
    if value and not (len(value) == 9 and value.isascii() and value.isdigit()):
        raise ValidationError(_("A PIC is nine digits."))


def validate_isced(value: str) -> None:
    if value and value not in DETAILED:
        raise ValidationError(_("“%(value)s” is not a four-digit ISCED-F 2013 field code.") % {"value": value})


_score = {"max_digits": 6, "decimal_places": 2}
_weight = {"max_digits": 4, "decimal_places": 2, "validators": [MinValueValidator(0), MaxValueValidator(1)]}
_gpa = {"max_digits": 3, "decimal_places": 2, "validators": [MinValueValidator(0), MaxValueValidator(4)]}


class Department(models.Model):
    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Call(models.Model):
    """A call for applications: windows, deadlines, budget and the selection rules (per call)."""

    code = models.CharField(_("code"), max_length=64, unique=True)
    title = models.CharField(_("title"), max_length=300)
    programme = models.CharField(_("programme"), max_length=32, choices=Programme.choices)
    project_number = models.CharField(_("EU project number"), max_length=64, blank=True)
    consortium = models.CharField(_("consortium"), max_length=200, blank=True)
    # A call made in the administration starts as a draft, invisible to students until announced.
    status = models.CharField(_("status"), max_length=32, choices=CallStatus.choices, default=CallStatus.DRAFT)

    applications_open = models.DateTimeField(_("applications open"), validators=[validate_sane_year])
    applications_close = models.DateTimeField(_("applications close"), validators=[validate_sane_year])
    letter_deadline = models.DateTimeField(_("acceptance letter deadline"), null=True, blank=True, validators=[validate_sane_year])
    appeal_deadline = models.DateTimeField(_("appeal deadline"), null=True, blank=True, validators=[validate_sane_year])
    appeal_answer_by = models.DateField(_("office answers appeals by"), null=True, blank=True, validators=[validate_sane_year])
    exam_session = models.DateField(_("language exam session that counts"), null=True, blank=True, validators=[validate_sane_year])
    mobility_start = models.DateField(_("mobility window start"), null=True, blank=True, validators=[validate_sane_year])
    mobility_end = models.DateField(_("mobility window end"), null=True, blank=True, validators=[validate_sane_year])
    funded_months = models.PositiveSmallIntegerField(_("funded months"), default=grants.FUNDED_MONTHS)
    min_days = models.PositiveSmallIntegerField(_("minimum days"), default=grants.MIN_DAYS)

    budget_eur = models.DecimalField(_("budget (EUR)"), max_digits=12, decimal_places=2, default=grants.BUDGET_EUR)
    planning_amount_eur = models.DecimalField(
        _("planning amount per student (EUR)"), max_digits=10, decimal_places=2, default=grants.PLANNING_AMOUNT_EUR,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    fewer_opportunities_top_up_eur = models.DecimalField(
        _("fewer-opportunities top-up per month (EUR)"), max_digits=8, decimal_places=2, default=grants.FEWER_OPPORTUNITIES_TOP_UP_EUR,
    )

    min_gpa_associate = models.DecimalField(
        _("minimum GPA, associate degree"), null=True, blank=True,
        help_text=_("Empty: the bachelor's minimum applies."), **_gpa,
    )
    min_gpa_bachelor = models.DecimalField(_("minimum GPA, bachelor's"), default=defaults.MIN_GPA["bachelor"], **_gpa)
    min_gpa_master = models.DecimalField(_("minimum GPA, master's"), default=defaults.MIN_GPA["master"], **_gpa)
    min_gpa_doctorate = models.DecimalField(_("minimum GPA, doctorate"), default=defaults.MIN_GPA["doctorate"], **_gpa)

    academic_formula = models.CharField(
        _("academic score"), max_length=32, choices=AcademicFormula.choices, default=AcademicFormula(defaults.ACADEMIC_FORMULA)
    )
    academic_weight = models.DecimalField(_("academic weight"), default=defaults.ACADEMIC_WEIGHT, **_weight)
    language_weight = models.DecimalField(_("language weight"), default=defaults.LANGUAGE_WEIGHT, **_weight)
    written_weight = models.DecimalField(_("written exam weight"), default=defaults.WRITTEN_WEIGHT, **_weight)
    listening_weight = models.DecimalField(_("listening exam weight"), default=defaults.LISTENING_WEIGHT, **_weight)
    allocation = models.CharField(
        _("allocation of primary places"), max_length=32, choices=AllocationStrategy.choices,
        default=AllocationStrategy(defaults.ALLOCATION),
    )

    promotion_order = models.CharField(
        _("reserve promotion order"), max_length=32, choices=PromotionOrder.choices, blank=True,
        help_text=_("Empty: department first with rounds over departments, allocation order with one global ranking."),
    )
    reserve_list_end = models.DateTimeField(_("end of the reserve list"), null=True, blank=True)

    points_prior_participation = models.DecimalField(_("earlier participation (each)"), default=defaults.ADJUSTMENT_POINTS["prior_participation"], **_score)
    points_same_year_study_primary = models.DecimalField(_("primary for study in the same year"), default=defaults.ADJUSTMENT_POINTS["same_year_study_primary"], **_score)
    points_late_withdrawal = models.DecimalField(_("late withdrawal"), default=defaults.ADJUSTMENT_POINTS["late_withdrawal"], **_score)
    points_non_prioritised_choice = models.DecimalField(_("choice not prioritised"), default=defaults.ADJUSTMENT_POINTS["non_prioritised_choice"], **_score)
    points_missed_orientation = models.DecimalField(_("missed orientation"), default=defaults.ADJUSTMENT_POINTS["missed_orientation"], **_score)
    points_missed_exam = models.DecimalField(_("missed exam"), default=defaults.ADJUSTMENT_POINTS["missed_exam"], **_score)
    points_disability = models.DecimalField(_("disability"), default=defaults.ADJUSTMENT_POINTS["disability"], **_score)
    points_martyr_veteran_relative = models.DecimalField(_("martyr or veteran relative"), default=defaults.ADJUSTMENT_POINTS["martyr_veteran_relative"], **_score)
    points_protection_2828 = models.DecimalField(_("protection under Law 2828"), default=defaults.ADJUSTMENT_POINTS["protection_2828"], **_score)

    # Reporting to the EU Beneficiary Module (placement-files §12): optional until an export is asked for.
    institution_name = models.CharField(_("institution name"), max_length=300, blank=True)
    institution_erasmus_code = models.CharField(_("institution Erasmus code"), max_length=20, blank=True, help_text=_("e.g. TR TRABZON01"))
    institution_schac = models.CharField(_("institution SCHAC domain"), max_length=100, blank=True, help_text=_("e.g. ktu.edu.tr"))
    institution_pic = models.CharField(_("institution PIC"), max_length=9, blank=True, validators=[validate_pic])
    eqf_associate = models.PositiveSmallIntegerField(_("EQF level, associate degree"), default=5, validators=[MinValueValidator(1), MaxValueValidator(8)])
    eqf_bachelor = models.PositiveSmallIntegerField(_("EQF level, bachelor's"), default=6, validators=[MinValueValidator(1), MaxValueValidator(8)])
    eqf_master = models.PositiveSmallIntegerField(_("EQF level, master's"), default=7, validators=[MinValueValidator(1), MaxValueValidator(8)])
    eqf_doctorate = models.PositiveSmallIntegerField(_("EQF level, doctorate"), default=8, validators=[MinValueValidator(1), MaxValueValidator(8)])

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        ordering = ["-applications_open", "code"]
        permissions = [
            ("access_office", _("Can open the office pages")),
            ("run_selection", _("Can run the selection")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(applications_close__gt=models.F("applications_open")),
                name="call_window_is_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"

    @property
    def places(self) -> int:
        """Primary places the budget covers: floor(budget / planning amount)."""
        return defaults.call_places(budget_eur=self.budget_eur, planning_amount_eur=self.planning_amount_eur)

    @property
    def promotion_order_effective(self) -> str:
        if self.promotion_order:
            return self.promotion_order
        if self.allocation == AllocationStrategy.GLOBAL:
            return PromotionOrder.ALLOCATION_ORDER
        return PromotionOrder.DEPARTMENT_FIRST

    def eqf_levels(self) -> dict[str, int]:
        return {level: getattr(self, f"eqf_{level}") for level in ("associate", "bachelor", "master", "doctorate")}

    def adjustment_points(self) -> dict[str, Decimal]:
        return {code: getattr(self, f"points_{code}") for code in ADJUSTMENT_CODES}

    def min_gpa(self) -> dict[str, Decimal]:
        """The minimum GPA per level; associate only when the call sets its own (else the bachelor's applies)."""
        associate = {} if self.min_gpa_associate is None else {"associate": self.min_gpa_associate}
        return {
            **associate,
            "bachelor": self.min_gpa_bachelor,
            "master": self.min_gpa_master,
            "doctorate": self.min_gpa_doctorate,
        }

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.applications_open <= now < self.applications_close

    @property
    def phase(self) -> str:
        """Where the call is in its year, from its dates (for display)."""
        now = timezone.now()
        if now < self.applications_open:
            return "upcoming"
        if now < self.applications_close:
            return "open"
        if self.letter_deadline and now < self.letter_deadline:
            return "letters"
        return "closed"


class CallDepartment(models.Model):
    """A department eligible for a call, with its written-exam minimum and GPA average for that call."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="call_departments", verbose_name=_("call"))
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+", verbose_name=_("department"))
    written_min = models.DecimalField(
        _("written exam minimum"), max_digits=5, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    gpa_average = models.DecimalField(_("department GPA average"), null=True, blank=True, **_gpa)
    isced = models.CharField(
        _("ISCED-F field"), max_length=4, blank=True, validators=[validate_isced],
        help_text=_("The four-digit ISCED-F 2013 field of education reported to the EU Beneficiary Module."),
    )

    class Meta:
        verbose_name = _("call department")
        verbose_name_plural = _("call departments")
        ordering = ["department__code"]
        constraints = [
            models.UniqueConstraint(fields=["call", "department"], name="call_department_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.call.code} / {self.department.code}"


class CountryGroup(models.Model):
    """Grant rates of one country group for one call (rates and groups change by contract year)."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="country_groups", verbose_name=_("call"))
    group = models.PositiveSmallIntegerField(_("group"))
    monthly_rate_eur = models.DecimalField(_("monthly rate (EUR)"), max_digits=8, decimal_places=2)
    countries = models.CharField(
        _("countries"), max_length=300, help_text=_("ISO 3166 two-letter codes, separated by spaces."),
    )

    class Meta:
        verbose_name = _("country group")
        verbose_name_plural = _("country groups")
        ordering = ["call", "group"]
        constraints = [models.UniqueConstraint(fields=["call", "group"], name="country_group_unique")]

    def __str__(self) -> str:
        return f"{self.call.code} group {self.group}"

    @property
    def country_codes(self) -> list[str]:
        return self.countries.split()


class DeadlineEvent(models.Model):
    """Marks that the sweep has handled a call's deadline once, so a second sweep does nothing."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="deadline_events")
    kind = models.CharField(max_length=64)
    handled_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["call", "kind"], name="deadline_event_once")]

    def __str__(self) -> str:
        return f"{self.call_id}:{self.kind}"

"""What happens after the final list: placements, acceptance letters, open places.

A placement is one student's standing in the final list. What it holds of the budget is kept on
the row (`held_eur`, exact Decimal) and changed only by the services, so the free budget of a
call is one SUM under the call's lock.
"""
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mobility.uploads.storage import private_storage, random_name


class PlacementStatus(models.TextChoices):
    PRIMARY = "primary", _("Primary")
    RESERVE = "reserve", _("Reserve, waiting")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    LOST_PLACE = "lost_place", _("Lost the place")
    RESERVE_EXPIRED = "reserve_expired", _("Reserve status ended")
    COMPLETED = "completed", _("Traineeship completed (certificate received)")


# State groups, named once (as pretalx's SubmissionStates.accepted_states): a primary, or a reserve
# still waiting, holds or may get a place; the others have left the list.
PLACEMENT_HOLDING = (PlacementStatus.PRIMARY, PlacementStatus.RESERVE)


class LetterDecision(models.TextChoices):
    WAITING = "waiting", _("Waiting for review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class HostType(models.TextChoices):
    COMPANY = "company", _("Company")
    UNIVERSITY = "university", _("University")
    RESEARCH = "research", _("Research institute")
    PUBLIC_BODY = "public_body", _("Public body")
    NGO = "ngo", _("Non-governmental organisation")
    SCHOOL = "school", _("School")


# Host types the programme refuses (domain-rules §7.4); named so the student is told why.
REFUSED_HOST_TYPES = {
    "eu_institution": _("EU institution"),
    "eu_agency": _("EU agency"),
    "national_agency": _("National Agency managing EU programmes"),
}


class Placement(models.Model):
    call = models.ForeignKey("mobility.Call", on_delete=models.CASCADE, related_name="placements", verbose_name=_("call"))
    application = models.OneToOneField(
        "applications.Application", on_delete=models.PROTECT, related_name="placement", verbose_name=_("application"),
    )
    student_number = models.CharField(_("student number"), max_length=32)
    department_code = models.CharField(_("department"), max_length=32)
    order = models.PositiveIntegerField(_("allocation order"))
    status = models.CharField(_("status"), max_length=16, choices=PlacementStatus.choices)
    promoted = models.BooleanField(_("promoted from the reserve list"), default=False)
    promotion_seq = models.PositiveIntegerField(_("promotion number"), null=True, blank=True)
    promoted_at = models.DateTimeField(_("promoted at"), null=True, blank=True)
    held_eur = models.DecimalField(_("holds (EUR)"), max_digits=12, decimal_places=2, default=Decimal("0"))
    fewer_opportunities = models.BooleanField(_("fewer-opportunities top-up"), default=False)
    penalty = models.BooleanField(_("withdrawal with penalty"), default=False)
    force_majeure = models.BooleanField(_("force majeure"), default=False)
    force_majeure_document = models.FileField(
        _("force majeure document"), upload_to="force-majeure/", storage=private_storage, blank=True, max_length=200,
    )
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    orientation_attended = models.BooleanField(_("attended the orientation meeting"), null=True, blank=True)
    erasmus_days_left = models.PositiveIntegerField(
        _("Erasmus+ days left in the study cycle"), default=360,
        help_text=_("12 months of 30 days per study cycle, less earlier Erasmus+ mobility; a letter may not be longer."),
    )

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["call", "order"]
        constraints = [
            models.UniqueConstraint(fields=["call", "student_number"], name="placement_once_per_call"),
            models.UniqueConstraint(fields=["call", "promotion_seq"], name="promotion_seq_unique"),
        ]
        indexes = [models.Index(fields=["call", "status", "order"])]

    def __str__(self) -> str:
        return f"{self.call_id}/{self.student_number}: {self.status}"

    @property
    def is_holding(self) -> bool:
        """Primary or waiting reserve (PLACEMENT_HOLDING): may hand in a letter, withdraw, be invited."""
        return self.status in PLACEMENT_HOLDING

    @property
    def is_primary(self) -> bool:
        return self.status == PlacementStatus.PRIMARY

    @property
    def is_reserve(self) -> bool:
        return self.status == PlacementStatus.RESERVE


def letter_upload_to(letter, filename: str) -> str:
    # A random name: neither the student number nor the call can be read from the disk.
    return random_name("letters")


class Letter(models.Model):
    """The student's current acceptance letter (a replacement overwrites it; the audit keeps history)."""

    placement = models.OneToOneField(Placement, on_delete=models.CASCADE, related_name="letter", verbose_name=_("placement"))
    host_name = models.CharField(_("host organisation"), max_length=300)
    host_type = models.CharField(_("type of host"), max_length=32, choices=HostType.choices)
    country = models.CharField(_("country"), max_length=2)
    city = models.CharField(_("city"), max_length=150)
    address = models.CharField(_("address"), max_length=500, blank=True)
    contact_person = models.CharField(_("contact person"), max_length=300, blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    days = models.PositiveIntegerField(_("days (30-day months)"))
    monthly_rate_eur = models.DecimalField(_("monthly rate (EUR)"), max_digits=8, decimal_places=2)
    grant_eur = models.DecimalField(_("grant (EUR)"), max_digits=10, decimal_places=2)
    top_up_eur = models.DecimalField(_("fewer-opportunities top-up (EUR)"), max_digits=10, decimal_places=2, default=Decimal("0"))
    pdf = models.FileField(_("letter (PDF)"), upload_to=letter_upload_to, storage=private_storage, blank=True, max_length=200)
    submitted_at = models.DateTimeField(_("submitted at"))
    decision = models.CharField(_("decision"), max_length=16, choices=LetterDecision.choices, default=LetterDecision.WAITING)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("decided by"),
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("acceptance letter")
        verbose_name_plural = _("acceptance letters")
        indexes = [models.Index(fields=["decision", "submitted_at"])]

    def __str__(self) -> str:
        return f"{self.placement}: {self.host_name} ({self.decision})"


class OpenPlace(models.Model):
    """A place left open by a primary who withdrew or lost it; a promotion closes the oldest."""

    call = models.ForeignKey("mobility.Call", on_delete=models.CASCADE, related_name="open_places")
    department_code = models.CharField(_("department"), max_length=32)
    left_by = models.OneToOneField(Placement, on_delete=models.CASCADE, related_name="left_place")
    seq = models.PositiveIntegerField()
    closed_by = models.OneToOneField(Placement, null=True, blank=True, on_delete=models.SET_NULL, related_name="closed_place")

    class Meta:
        ordering = ["call", "seq"]
        constraints = [models.UniqueConstraint(fields=["call", "seq"], name="open_place_seq_unique")]

    def __str__(self) -> str:
        return f"{self.call_id}/{self.department_code} #{self.seq}"


class CallMilestone(models.Model):
    """No longer written: the core's DeadlineEvent is the one once-only record of a deadline's effect
    (mobility.services.deadlines.deadline_once). Kept so no table changes; a later migration drops it."""

    call = models.ForeignKey("mobility.Call", on_delete=models.CASCADE, related_name="letter_milestones")
    kind = models.CharField(max_length=32)
    done_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["call", "kind"], name="call_milestone_once")]

    def __str__(self) -> str:
        return f"{self.call_id}:{self.kind}"


class OrientationMeeting(models.Model):
    """The orientation meeting after the deadline for students with letters (domain-rules §6.7)."""

    call = models.OneToOneField("mobility.Call", on_delete=models.CASCADE, related_name="orientation", verbose_name=_("call"))
    starts_at = models.DateTimeField(_("starts at"))
    location = models.CharField(_("place"), max_length=300)
    notes = models.TextField(_("notes for students"), blank=True)

    class Meta:
        verbose_name = _("orientation meeting")
        verbose_name_plural = _("orientation meetings")

    def __str__(self) -> str:
        return f"{self.call_id}: {self.starts_at:%Y-%m-%d %H:%M}"

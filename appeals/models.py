from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mobility.uploads.storage import private_storage


class AppealStatus(models.TextChoices):
    FILED = "filed", _("Filed, waiting for the office")
    ACCEPTED = "accepted", _("Accepted: the office corrects the list")
    REJECTED = "rejected", _("Rejected")


class Appeal(models.Model):
    """A student's objection to a preliminary list, and the office's answer."""

    call = models.ForeignKey("mobility.Call", on_delete=models.CASCADE, related_name="appeals", verbose_name=_("call"))
    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="appeals", verbose_name=_("application"),
    )
    publication = models.ForeignKey(
        "selection.Publication", on_delete=models.PROTECT, related_name="appeals", verbose_name=_("list appealed against"),
    )
    text = models.TextField(_("appeal"))
    # Stored by the appeal service under a random name (mobility.uploads), never under the student's own.
    document = models.FileField(_("document"), upload_to="appeals/", storage=private_storage, blank=True, max_length=200)
    status = models.CharField(_("status"), max_length=16, choices=AppealStatus.choices, default=AppealStatus.FILED)
    filed_at = models.DateTimeField(_("filed at"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("filed by"),
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("answered by"),
    )

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["-filed_at", "-id"]
        constraints = [
            # One open appeal per application at a time; after an answer the student may appeal a newer list.
            models.UniqueConstraint(fields=["application"], condition=models.Q(status="filed"), name="one_open_appeal_per_application"),
        ]

    def __str__(self) -> str:
        return f"{self.call.code} appeal #{self.pk}"

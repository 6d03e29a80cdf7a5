from django.db import models
from django.utils.translation import gettext_lazy as _


class PortalSettings(models.Model):
    """Settings an admin changes from the admin site; one row (pk=1)."""

    student_signup_open = models.BooleanField(_("students may sign up"), default=True)
    signup_email_domains = models.TextField(
        _("allowed email domains for sign-up"),
        blank=True,
        help_text=_("One domain per line (e.g. ogr.ktu.edu.tr). Empty: any domain."),
    )

    class Meta:
        verbose_name = _("portal settings")
        verbose_name_plural = _("portal settings")

    def __str__(self) -> str:
        return str(_("Portal settings"))

    @classmethod
    def load(cls) -> "PortalSettings":
        obj, _created = cls.objects.get_or_create(pk=1)
        return obj

    @property
    def domains(self) -> list[str]:
        return [d.strip().lower().lstrip("@") for d in self.signup_email_domains.split() if d.strip()]

from email.utils import formataddr
from types import SimpleNamespace
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.conf import settings
from django.contrib import messages
from django.urls import reverse
from django.utils.translation import gettext as _

from applications.student.accounts import LinkOutcome, applicant_link_account
from mobility.models import PortalSettings, Role
from mobility.services.roles import user_set_role


class PortalAccountAdapter(DefaultAccountAdapter):
    """Self sign-up is for students only, and an admin may limit it to the university's domains."""

    def is_open_for_signup(self, request) -> bool:
        return PortalSettings.load().student_signup_open

    def clean_email(self, email: str) -> str:
        email = super().clean_email(email)
        domains = PortalSettings.load().domains
        if domains and email.rsplit("@", 1)[-1].lower() not in domains:
            raise forms.ValidationError(
                _("Please sign up with your university email address (%(domains)s).")
                % {"domains": ", ".join("@" + d for d in domains)}
            )
        return email

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            user_set_role(user=user, role=Role.STUDENT)
        return user

    def confirm_email(self, request, email_address) -> bool:
        """After verification, a student's account is linked to (or creates) their applicant record."""
        confirmed = super().confirm_email(request, email_address)
        user = email_address.user
        if confirmed and email_address.primary and not user.has_perm("mobility.access_office"):
            _applicant, outcome = applicant_link_account(user=user)
            if request is not None and outcome == LinkOutcome.CONFLICT:
                messages.warning(request, _(
                    "Your student number is on the office's records with another e-mail address, so your account "
                    "was not linked to it. Please write to the international office to have it linked."
                ))
        return confirmed

    # Mails carry the portal's configured name and address, never the request's Host header.
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        site = SimpleNamespace(name=settings.PORTAL_NAME, domain=urlsplit(settings.SITE_URL).netloc)
        super().send_mail(template_prefix, email, {**context, "current_site": site})

    def get_from_email(self) -> str:
        return formataddr((settings.PORTAL_NAME, settings.DEFAULT_FROM_EMAIL))

    def get_email_confirmation_url(self, request, emailconfirmation) -> str:
        return settings.SITE_URL + reverse("account_confirm_email", args=[emailconfirmation.key])

    def get_reset_password_from_key_url(self, key: str) -> str:
        url = super().get_reset_password_from_key_url(key)
        parts = urlsplit(url)
        return settings.SITE_URL + parts.path + (f"?{parts.query}" if parts.query else "")

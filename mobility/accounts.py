from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.utils.translation import gettext as _

from mobility.models import PortalSettings, Role


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
            from mobility.services.roles import user_set_role

            user_set_role(user=user, role=Role.STUDENT)
        return user

"""E-mails to students, in their own language, each sent once however often a task runs.

Links and the sender's name come from SITE_URL and PORTAL_NAME: a mail is often sent by a
worker, where there is no request, and a request's Host header is not to be trusted anyway.
"""
from email.utils import formataddr

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from applications.models import Application, StudentNotice


def site_link(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def sender() -> str:
    return formataddr((settings.PORTAL_NAME, settings.DEFAULT_FROM_EMAIL))


def student_language(application: Application) -> str:
    user = application.applicant.user
    return user.language if user is not None and user.language else settings.LANGUAGE_CODE


def student_address(application: Application) -> str:
    user = application.applicant.user
    return user.email if user is not None else application.applicant.email


def notice_send(*, application: Application, key: str, template: str, context: dict) -> bool:
    """Send `template` (…_subject.txt / …_body.txt) once per (application, key); False if already sent."""
    address = student_address(application)
    if not address:
        return False
    try:
        with transaction.atomic():
            StudentNotice.objects.create(application=application, key=key[:100])
            with translation.override(student_language(application)):
                full = {
                    "application": application, "call": application.call, "applicant": application.applicant,
                    "portal_name": settings.PORTAL_NAME,
                    "call_link": site_link(reverse("applications:call", args=[application.call.code])),
                    **context,
                }
                subject = " ".join(render_to_string(f"applications/email/{template}_subject.txt", full).split())
                body = render_to_string(f"applications/email/{template}_body.txt", full)
            # A failing mail server rolls the record back, so a retry sends the mail.
            send_mail(subject, body, sender(), [address])
    except IntegrityError:
        return False
    return True

"""E-mails to students: to their account's address and in their account's language when they have
an account, else to the address the office imported, in Turkish. Every mail links to the page
where the student acts. Rows go into the outbox (mobility.outbox) inside the action's transaction.
"""
from django.conf import settings
from django.urls import reverse

from applications.models import Application
from mobility.outbox import Mail, outbox_write, site_link


def student_language(application: Application) -> str:
    user = application.applicant.user
    return user.language if user is not None and user.language else settings.LANGUAGE_CODE


def student_address(application: Application) -> str:
    user = application.applicant.user
    return user.email if user is not None and user.email else application.applicant.email


def student_mail(*, application: Application, key: str, template: str, context: dict | None = None,
                 link: str | None = None) -> Mail:
    """One e-mail to the student of `application`; `link` is the path of the page where they act."""
    call = application.call
    return Mail(
        key=f"student:{application.pk}:{key}", recipient=student_address(application), language=student_language(application),
        template=template,
        context={
            "application": application, "call": call, "applicant": application.applicant,
            "call_link": site_link(link or reverse("applications:call", args=[call.code])),
            **(context or {}),
        },
    )


def student_mail_owe(*, application: Application, key: str, template: str, context: dict | None = None,
                     link: str | None = None) -> bool:
    """Owe the student this e-mail once per key, in the caller's transaction; True when newly owed."""
    return outbox_write(student_mail(application=application, key=key, template=template, context=context, link=link)) == 1

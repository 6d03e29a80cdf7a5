"""Every e-mail of this app goes through `traineeship_mail`: one place to switch to the core's
outbox. It uses the portal's mail helpers (sender, links from SITE_URL, the student's language)
and sends after the transaction commits, never inside a lock."""
import logging

from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from applications.student.notices import (
    sender,
    site_link,
    student_address,
    student_language,
)

log = logging.getLogger(__name__)


def traineeship_mail(*, to: str, language: str, template: str, context: dict) -> None:
    """Render `traineeships/mail/<template>_subject.txt` and `_body.txt` in `language`; send on commit."""
    if not to:
        return
    with translation.override(language):
        full = {**context, "link": site_link(context["path"]) if "path" in context else ""}
        subject = " ".join(render_to_string(f"traineeships/mail/{template}_subject.txt", full).split())
        body = render_to_string(f"traineeships/mail/{template}_body.txt", full)

    def send():
        try:
            send_mail(subject, body, sender(), [to])
        except Exception:
            log.exception("traineeship mail %s to %s failed", template, to)

    transaction.on_commit(send)


def student_mail(*, placement, template: str, context: dict) -> None:
    application = placement.application
    traineeship_mail(
        to=student_address(application), language=student_language(application), template=template,
        context={"placement": placement, "call": placement.call, "applicant": application.applicant, **context},
    )

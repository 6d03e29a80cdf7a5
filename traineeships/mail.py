"""Every e-mail of this app goes through `traineeship_mail`, which owes it in the core's outbox
(mobility.outbox): written in the action's transaction, in the recipient's language, with links
from SITE_URL, and sent by the outbox's job, never inside a lock."""
import uuid

from applications.student.notices import student_address, student_language
from mobility.outbox import Mail, outbox_write, site_link


def traineeship_mail(*, to: str, language: str, template: str, context: dict, key: str | None = None) -> None:
    """Owe `traineeships/mail/<template>_subject.txt` and `_body.txt` in `language` to `to`.

    `key` makes a repeated call owe the mail once; without one, each call owes its own mail.
    """
    if not to:
        return
    full = {**context, "link": site_link(context["path"]) if "path" in context else ""}
    outbox_write(Mail(
        key=key or f"traineeship:{template}:{uuid.uuid4().hex}", recipient=to, language=language,
        template=f"traineeships/mail/{template}", context=full,
    ))


def student_mail(*, placement, template: str, context: dict) -> None:
    application = placement.application
    traineeship_mail(
        to=student_address(application), language=student_language(application), template=template,
        context={"placement": placement, "call": placement.call, "applicant": application.applicant, **context},
    )

"""The one function through which this app owes e-mail: the core's outbox (mobility.outbox) renders
it in the recipient's language and sends it from its job, retrying while the mail server is down."""
from mobility.outbox import Mail, outbox_write, site_link


def internship_mail(*, to: str, language: str, template: str, context: dict, path: str, key: str) -> None:
    """Owe `internships/mail/<template>_subject.txt` and `_body.txt` in `language` to `to`, once per `key`."""
    if not to:
        return
    outbox_write(Mail(
        key=f"internship:{key}", recipient=to, language=language, template=f"internships/mail/{template}",
        context={**context, "link": site_link(path)},
    ))

"""The one function through which this app sends e-mail (the core's mail may become an outbox)."""
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation


def internship_mail(*, to: str, language: str, template: str, context: dict, path: str) -> None:
    """Render `internships/mail/<template>_subject.txt` and `_body.txt` in `language` and send them."""
    if not to:
        return
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    with translation.override(language if language in ("tr", "en") else "tr"):
        full = {**context, "link": f"{base}{path}"}
        subject = render_to_string(f"internships/mail/{template}_subject.txt", full).strip()
        body = render_to_string(f"internships/mail/{template}_body.txt", full)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])

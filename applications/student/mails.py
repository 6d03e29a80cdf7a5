"""The applications' student e-mails: receipt of a submission, a document decision, results published."""
from dataclasses import replace

from applications.models import Application, ApplicationStatus, Document
from applications.student.notices import student_mail, student_mail_owe
from mobility.models import OutboxMessage
from mobility.outbox import mail_language, mail_render, outbox_keys_known, outbox_store

TEMPLATES = "applications/email/"


def receipt_owe(*, application: Application, key: str) -> bool:
    return student_mail_owe(application=application, key=f"receipt:{key}", template=f"{TEMPLATES}receipt")


def document_decision_owe(*, document: Document) -> bool:
    return student_mail_owe(
        application=document.application, key=f"document:{document.pk}:{document.status}",
        template=f"{TEMPLATES}document_decision", context={"document": document},
    )


# Stands for the student's first name while one mail per language is rendered for a whole list.
FIRST_NAME = "\x00first_name\x00"


def results_published_owe(*, publication, appeal_link: str = "") -> int:
    """Every applicant of the call (submitted applications) is told that a list is out; returns mails owed.

    Runs in the publishing transaction, under the call lock, for up to tens of thousands of
    applicants: the mail is rendered once per language and only the first name is filled in per
    student (the template differs by nothing else), instead of rendering a template per student.
    `appeal_link`: the appeal page's address while the appeal window is open (the receiver knows).
    """
    applications = (
        Application.objects.filter(call=publication.call, status=ApplicationStatus.SUBMITTED)
        .select_related("call", "applicant__user").order_by("pk")
    )
    template, key = f"{TEMPLATES}results_published", f"result:{publication.pk}"
    known = outbox_keys_known([
        f"student:{pk}:{key}" for pk in applications.values_list("pk", flat=True)
    ])
    shapes: dict[str, OutboxMessage] = {}
    rows = []
    for application in applications.iterator(chunk_size=2000):
        mail = student_mail(application=application, key=key, template=template, context={"publication": publication, "appeal_link": appeal_link})
        if mail.key in known or not mail.recipient:
            continue
        language = mail_language(mail.language)
        if language not in shapes:
            shapes[language] = mail_render(replace(mail, context={**mail.context, "applicant": {"first_name": FIRST_NAME}}))
        shape, name = shapes[language], application.applicant.first_name
        rows.append(OutboxMessage(
            key=mail.key, recipient=mail.recipient, language=language,
            subject=shape.subject.replace(FIRST_NAME, name), body=shape.body.replace(FIRST_NAME, name),
        ))
    return outbox_store(rows)

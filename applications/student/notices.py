"""E-mails to students: to their account's address and in their account's language when they have
an account, else to the address the office imported, in Turkish. Every mail links to the page
where the student acts. Rows go into the outbox (mobility.outbox) inside the action's transaction.
"""
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse

from applications.models import Application
from mobility.models import Call
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
    return _student_mail(
        application_id=application.pk, call=application.call, applicant=application.applicant, application=application,
        recipient=student_address(application), language=student_language(application),
        key=key, template=template, context=context, link=link,
    )


def _student_mail(*, application_id: int, call, applicant, application, recipient: str, language: str, key: str,
                  template: str, context: dict | None, link: str | None) -> Mail:
    return Mail(
        key=f"student:{application_id}:{key}", recipient=recipient, language=language, template=template,
        context={
            "application": application, "call": call, "applicant": applicant,
            "call_link": site_link(link or reverse("applications:call", args=[call.code])),
            **(context or {}),
        },
    )


@dataclass(frozen=True)
class Student:
    """What `student_mail` reads of an application, its student and their account, as plain values:
    thousands of e-mails at once (a deadline) without an Application, Applicant and User each."""

    application: dict
    call: Call
    applicant: dict
    recipient: str
    language: str


# The student's row as a mail template reads it (`applicant.first_name`, …); the account only decides
# the address and the language.
APPLICANT_FIELDS = ("id", "student_number", "first_name", "last_name", "email", "user_id")


def students_read(application_ids) -> dict[int, Student]:
    """`Student` of each application, by its key: one query, and one for the calls (as a prefetch reads them)."""
    names = ("id", "call_id", *(f"applicant__{name}" for name in APPLICANT_FIELDS),
             "applicant__user__email", "applicant__user__language")
    rows = list(Application.objects.filter(pk__in=list(application_ids)).values_list(*names))
    calls = Call.objects.in_bulk({row[1] for row in rows})
    students = {}
    for pk, call_id, *values in rows:
        applicant = dict(zip(APPLICANT_FIELDS, values, strict=False))
        applicant["pk"] = applicant["id"]
        user_id, user_email, user_language = applicant["user_id"], values[-2], values[-1]
        has_user = user_id is not None
        students[pk] = Student(
            application={"id": pk, "pk": pk, "call_id": call_id, "applicant_id": applicant["id"]},
            call=calls[call_id], applicant=applicant,
            recipient=user_email if has_user and user_email else applicant["email"],
            language=user_language if has_user and user_language else settings.LANGUAGE_CODE,
        )
    return students


def students_mail(*, student: Student, key: str, template: str, context: dict | None = None, link: str | None = None) -> Mail:
    """`student_mail` from a `Student` (see `students_read`): the same e-mail, subject, body,
    address and language (tests/letters/test_mail_values.py compares them)."""
    return _student_mail(
        application_id=student.application["pk"], call=student.call, applicant=student.applicant,
        application=student.application, recipient=student.recipient, language=student.language,
        key=key, template=template, context=context, link=link,
    )


def student_mail_owe(*, application: Application, key: str, template: str, context: dict | None = None,
                     link: str | None = None) -> bool:
    """Owe the student this e-mail once per key, in the caller's transaction; True when newly owed."""
    return outbox_write(student_mail(application=application, key=key, template=template, context=context, link=link)) == 1

"""E-mails to students after the final list, owed in the action's transaction (mobility.outbox).

They go to the student's account address in the account's language (else the imported address,
in Turkish), name what happened and what to do by when, and link to the student's letter page.
"""
from django.urls import reverse

from applications.student.notices import student_mail, student_mail_owe, students_mail, students_read
from mobility.outbox import outbox_write

TEMPLATE = "letters/mail/placement"

# Why a place was lost or a reserve status ended, by the transition's action (the mail says it).
REASONS = {
    "deadline": "no_letter",
    "rejected_after_deadline": "rejected_after_deadline",
    "reserve_list_end": "reserve_list_end",
}


def _mail(*, placement, kind: str, key: str | None, context: dict | None, links: dict[str, str] | None = None):
    """`links`: the letter page's path by call code, shared by the mails of one batch (one `reverse`
    per call, not per student: a deadline mails thousands)."""
    links = {} if links is None else links
    code = placement.call.code
    if code not in links:
        links[code] = reverse("letters:student", args=[code])
    return {
        "key": f"placement:{placement.pk}:{key or kind}", "template": TEMPLATE,
        "link": links[code],
        "context": {"placement": placement, "kind": kind, "letter": _letter(placement), **(context or {})},
    }


def _letter(placement):
    try:
        return placement.letter
    except placement.__class__.letter.RelatedObjectDoesNotExist:
        return None


def placement_notify(*, placement, kind: str, key: str | None = None, context: dict | None = None) -> bool:
    """Owe the student an e-mail (`promoted`, `letter_approved`, `letter_rejected`, `reminder`, `lost_place`,
    `reserve_expired`), once per `key` (default: the kind). Call inside the action's transaction."""
    return student_mail_owe(application=placement.application, **_mail(placement=placement, kind=kind, key=key, context=context))


def placements_notify(*, placements, kind: str, key: str) -> int:
    """The same e-mail to several students at once (reminders); those already owed it are skipped."""
    links: dict[str, str] = {}
    return outbox_write(*(
        student_mail(application=p.application, **_mail(placement=p, kind=kind, key=key, context=None, links=links)) for p in placements
    ))


def placements_notify_each(items) -> int:
    """`placement_notify` for many students at once: (placement, kind, context) each, keyed by the kind;
    one query for the keys already owed and one insert per thousand new e-mails. The students are
    read as plain values (`students_read`), not as an Application, Applicant and User each."""
    items = list(items)
    links: dict[str, str] = {}
    students = students_read(p.application_id for p, _kind, _context in items)
    return outbox_write(*(
        students_mail(student=students[p.application_id], **_mail(placement=p, kind=kind, key=None, context=context, links=links))
        for p, kind, context in items
    ))

"""`mails_render` (thousands of e-mails at once: a deadline, a promotion) gives exactly the rows
`mail_render` gives one by one: same language, subject and body, in the same order."""
import datetime as dt
from decimal import Decimal

import pytest

from mobility.outbox import Mail, mail_render, mails_render

DEADLINE = dt.datetime(2025, 3, 15, 13, 0, tzinfo=dt.UTC)
CALL = {"code": "KA-25", "title": "Erasmus+ Staj 2025", "letter_deadline": DEADLINE,
        "reserve_list_end": DEADLINE + dt.timedelta(days=30), "appeal_deadline": DEADLINE - dt.timedelta(days=40),
        "applications_close": DEADLINE - dt.timedelta(days=90)}
NAMES = ("Ayşe", "O'Brien & Co", "Çağrı", "Jean-Luc")
# Unknown and empty languages fall back to the site's language.
LANGUAGES = ("tr", "en", "en", "tr", "de", "")


def placement_contexts():
    letter = {"host_name": "Müller & Söhne GmbH", "grant_eur": Decimal("1350.00"), "reason": "Tarih eksik"}
    for kind, reason in (("promoted", ""), ("lost_place", "no_letter"), ("lost_place", "rejected_after_deadline"),
                         ("reserve_expired", "no_letter"), ("reserve_expired", "reserve_list_end"),
                         ("letter_approved", ""), ("letter_rejected", ""), ("reminder", "")):
        yield "letters/mail/placement", {"kind": kind, "reason": reason, "letter": letter, "can_replace": kind == "letter_rejected"}


def other_contexts():
    for status in ("filed", "accepted", "rejected"):
        yield "appeals/email/appeal", {"appeal": {"status": status, "filed_at": DEADLINE, "answer": "Puanınız düzeltildi."}}
    yield "applications/email/receipt", {"application": {"submitted_at": DEADLINE, "department": {"name": "Bilgisayar"}}}
    for kind in ("offer_made", "now_holds", "offer_expired", "started"):
        offer = {"position": {"code": "P-7"}, "calendar": {"code": "YAZ"}, "kind": "reserve", "status": "open", "answer_by": DEADLINE}
        yield "internships/mail/student", {"kind": kind, "offer": offer, "programme": {"title": "Staj"}, "link": "https://x/i/"}


def batch() -> list[Mail]:
    mails = []
    for i, (template, context) in enumerate([*placement_contexts(), *other_contexts()] * 2):
        mails.append(Mail(
            key=f"student:{i}:k", recipient=f"s{i}@example.edu.tr", language=LANGUAGES[i % len(LANGUAGES)], template=template,
            context={"call": CALL, "applicant": {"first_name": NAMES[i % len(NAMES)]}, "call_link": f"https://x/c/{i}/", **context},
        ))
    return mails


def rows(messages):
    return [(m.key, m.recipient, m.language, m.subject, m.body) for m in messages]


@pytest.mark.parametrize("portal_name", ["", "Ege Üniversitesi Dış İlişkiler"])
def test_the_batch_gives_the_rows_of_one_by_one_for_every_template_and_language(settings, portal_name):
    if portal_name:
        settings.PORTAL_NAME = portal_name
    mails = batch()
    one_by_one = rows(mail_render(mail) for mail in mails)
    assert rows(mails_render(mails)) == one_by_one
    # The comparison means something: both languages, several templates, translated text.
    assert {row[2] for row in one_by_one} == {"tr", "en"}
    assert {mail.template for mail in mails} >= {"letters/mail/placement", "appeals/email/appeal",
                                                 "applications/email/receipt", "internships/mail/student"}
    greetings = {(row[2], row[4].split()[0]) for row in one_by_one}
    assert {("tr", "Sayın"), ("en", "Dear")} <= greetings


def test_an_empty_batch_renders_nothing():
    assert mails_render([]) == []

"""No English on a Turkish page and no Turkish on an English one: the office's review, what-if,
comparison and audit pages, and the student's e-mails (greeting and signature in the account's language).

The data of the call (names, departments, hosts, the call's title) is taken out first: only the
portal's own words are checked.
"""
import json
import re
from decimal import Decimal
from email.header import decode_header, make_header
from email.utils import parseaddr
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from appeals.models import Appeal, AppealStatus
from applications.models import AUDITED_FIELDS, Applicant, Application, Document, DocumentKind, DocumentStatus, ExamSession
from applications.student.notices import student_mail
from letters.models import Placement
from mobility.models import Call, Department, OutboxMessage
from mobility.outbox import Mail, mail_render, outbox_send
from mobility.services.audit import audit_changes, audit_record, field_values
from tests.factories import UserFactory
from tests.letters.timeline import CODE, Timeline

pytestmark = pytest.mark.django_db

# Words the English catalogue uses everywhere and Turkish never does (checked as whole words);
# "portal" and "no." (numara) are Turkish too.
ENGLISH = re.compile(
    r"\b(the|and|of|your|you|is|are|was|with|for|from|this|not|yes|by|on|at|all|none|yet|"
    r"primary|reserve|excluded|withdrawn|waiting|approved|rejected|submitted|draft|created|updated|changed|"
    r"run|runs|budget|letter|letters|list|status|review|grant|month|days|places|dear|hello|regards|"
    r"office|call|student|department|score|rank|outcome|reason|before|after|who|what|time|details|"
    r"gpa|level|withdrawal|application|changes|edited|true|false|master|bachelor|decision|approve|reject)\b",
    re.IGNORECASE,
)
TURKISH = re.compile(r"[çğıöşüÇĞİÖŞÜ]|\b([Vv]e|[Bb]ir|[Aa]sil|[Yy]edek|[Ss]ayın|[Mm]erhaba|[Oo]fis)\b")
# The language switcher names each language in itself; euro, codes and numbers are no language.
LANGUAGE_NAMES = ("Türkçe", "English")


class _Text(HTMLParser):
    """The text a reader sees, and what a screen reader reads out (titles, labels, placeholders)."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if name in ("title", "aria-label", "placeholder", "alt") and value:
                self.parts.append(value)
            if tag == "input" and name == "value" and dict(attrs).get("type") in ("submit", "button") and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def data_words() -> list[str]:
    """Everything the office or the students typed: it stays as typed in either language."""
    words = [CODE, *Call.objects.values_list("title", flat=True), *Department.objects.values_list("name", flat=True)]
    for first, last, email in Applicant.objects.values_list("first_name", "last_name", "email"):
        words += [first, last, email]
    words += [f"Host of {number} GmbH" for number in Placement.objects.values_list("student_number", flat=True)]
    words += ExamSession.objects.values_list("name", flat=True)
    words += ["Berlin", "UZEM", "Erasmus+", *LANGUAGE_NAMES]
    return sorted({w for w in words if w}, key=len, reverse=True)


def foreign_words(text: str, language: str) -> list[str]:
    for word in data_words():
        text = text.replace(word, " ")
    pattern = ENGLISH if language == "tr" else TURKISH
    # Each word with its surroundings, so that a failure says where it is.
    return sorted({" ".join(text[max(0, m.start() - 40):m.end() + 25].split()) for m in pattern.finditer(text)})


@pytest.fixture
def world(tmp_path):
    """A call after two runs, its final list, a letter waiting for review and a withdrawal."""
    t = Timeline(tmp_path)
    Call.objects.filter(code=CODE).update(budget_eur="4050.00")
    t.run("run_selection", CODE)
    t.publish()
    t.letters([{"student_number": "1001"}], at="2023-02-01T10:00:00+03:00")
    t.run("withdraw", CODE, "2001", at="2023-02-02T10:00:00+03:00")
    # The application's own trail: a submission, an edit of recorded values, a change in the administration.
    application = Application.objects.get(applicant__student_number="1001")
    audit_record(actor=None, action="application.submitted", obj=application,
                 data={"from": "draft", "at": "2022-12-10T10:00:00+03:00"})
    before = field_values(application, AUDITED_FIELDS)
    application.gpa, application.late_withdrawal, application.level = Decimal("3.70"), True, "master"
    application.save()
    audit_changes(actor=None, action="application.edited", obj=application, before=before)
    admin = UserFactory(role="admin", is_superuser=True, is_staff=True)
    LogEntry.objects.create(
        user=admin, content_type=ContentType.objects.get_for_model(Application), object_id=str(application.pk),
        object_repr=str(application), action_flag=CHANGE, change_message=json.dumps([{"changed": {"fields": ["GPA"]}}]),
    )
    return t


def office_pages() -> dict[str, str]:
    call = Call.objects.get(code=CODE)
    application = Application.objects.get(call=call, applicant__student_number="1001")
    return {
        "letter review": reverse("letters:review", args=[CODE, "1001"]),
        "letter queue": reverse("letters:queue", args=[CODE]),
        "what-if": reverse("office:what_if", args=[CODE]) + "?budget=2700",
        "run comparison": reverse("office:compare", args=[CODE]),
        "audit trail": reverse("office:audit", args=[CODE]),
        "application audit trail": reverse("office:application_audit", args=[CODE, application.pk]),
    }


@pytest.mark.parametrize("language", ["tr", "en"])
def test_office_pages_speak_one_language(client, world, language):
    staff = UserFactory(role="office_staff", language=language, first_name="Zeynep", last_name="Kaya")
    client.force_login(staff)
    found = {}
    for name, url in office_pages().items():
        response = client.get(url)
        assert response.status_code == 200, name
        words = foreign_words(visible_text(response.content.decode()).replace("Zeynep Kaya", " "), language)
        if words:
            found[name] = words
    assert not found, "\n".join(f"{name}: {snippet}" for name, snippets in found.items() for snippet in snippets)


def student_mails(application) -> dict[str, Mail]:
    """Every e-mail to a student that has a greeting and the portal's signature, as the services owe them."""
    placement = Placement.objects.get(student_number="1001")
    letter = placement.letter
    letter.reason = "—"
    document = Document(application=application, kind=DocumentKind.DISABILITY, status=DocumentStatus.REJECTED,
                        reason="—", original_name="rapor.pdf")
    appeal = Appeal(call=application.call, application=application, status=AppealStatus.REJECTED,
                    filed_at=timezone.now(), answer="—")
    contexts = {
        "receipt": ("applications/email/receipt", {}),
        "document decision": ("applications/email/document_decision", {"document": document}),
        "results published": ("applications/email/results_published", {"appeal_link": "https://portal.example/appeal/"}),
        "appeal answered": ("appeals/email/appeal", {"appeal": appeal}),
        "promoted": ("letters/mail/placement", {"kind": "promoted", "placement": placement}),
        "letter rejected": ("letters/mail/placement", {"kind": "letter_rejected", "letter": letter, "can_replace": True}),
        "lost place": ("letters/mail/placement", {"kind": "lost_place", "reason": "no_letter"}),
    }
    return {name: student_mail(application=application, key=name, template=template, context=context)
            for name, (template, context) in contexts.items()}


@pytest.mark.parametrize("account, site, greeting, signature", [
    ("en", "tr", "Dear Ayşe,", "Mobility portal"),
    ("tr", "en", "Sayın Ayşe,", "Hareketlilik portalı"),
])
def test_student_mails_greet_and_sign_in_the_accounts_language(world, settings, account, site, greeting, signature):
    settings.LANGUAGE_CODE = site
    application = Application.objects.select_related("applicant", "call").get(applicant__student_number="1001")
    user = UserFactory(role="student", language=account)
    Applicant.objects.filter(pk=application.applicant_id).update(user=user)
    application.applicant.refresh_from_db()
    found = {}
    for name, mail in student_mails(application).items():
        message = mail_render(mail)
        lines = [line.strip() for line in message.body.splitlines() if line.strip()]
        assert message.language == account, name
        assert (lines[0], lines[-1]) == (greeting, signature), name
        words = foreign_words(re.sub(r"https?://\S+", " ", f"{message.subject}\n{message.body}"), account)
        if words:
            found[name] = words
    assert not found, "\n".join(f"{name}: {snippet}" for name, snippets in found.items() for snippet in snippets)



@pytest.mark.parametrize("language, name", [("tr", "Hareketlilik portalı"), ("en", "Mobility portal")])
def test_the_sender_is_named_in_the_mails_language(db, mailoutbox, language, name):
    OutboxMessage.objects.create(key=f"sender-{language}", recipient="ayse@ogr.example.edu.tr", language=language,
                                 subject="s", body="b")
    assert outbox_send() == 1
    sender_name = str(make_header(decode_header(parseaddr(mailoutbox[-1].from_email)[0])))
    assert sender_name == name


def test_no_template_labels_a_breadcrumb_in_english():
    """Pico styles `aria-label="breadcrumb"`, an English word a Turkish screen reader would read out:
    breadcrumbs carry the class `breadcrumb` (styled in portal.css) and a translated label."""
    root = Path(django_settings.BASE_DIR) / "templates"
    literal = re.compile(r"""aria-label=["']?breadcrumb\b""", re.IGNORECASE)
    found = [str(path.relative_to(root)) for path in sorted(root.rglob("*.html")) if literal.search(path.read_text("utf-8"))]
    assert not found, found
    css = (Path(django_settings.BASE_DIR) / "static" / "css" / "portal.css").read_text("utf-8")
    assert "nav.breadcrumb ul li:not(:last-child)::after" in css


@pytest.mark.parametrize("language, label", [("tr", "Sayfa yolu"), ("en", "Breadcrumb")])
def test_breadcrumbs_are_labelled_in_the_pages_language(client, world, language, label):
    client.force_login(UserFactory(role="office_staff", language=language))
    html = client.get(reverse("office:audit", args=[CODE])).content.decode()
    assert f'<nav class="breadcrumb" aria-label="{label}">' in html


# The letter of 1001 (tests/letters/timeline.py): Germany, 60 days at €750 a month, €1,500; the budget is €4,050.
MONEY = {"tr": ("€1.500,00", "€750,00", "€4.050,00"), "en": ("€1,500.00", "€750.00", "€4,050.00")}
GERMANY = {"tr": "Almanya", "en": "Germany"}


def _student_of_1001(language):
    user = UserFactory(role="student", language=language)
    Applicant.objects.filter(student_number="1001").update(user=user)
    return user


@pytest.mark.parametrize("language", ["tr", "en"])
def test_letter_pages_name_the_country_in_the_pages_language(client, world, language):
    """The host country by its name, never the ISO code a person would have to look up."""
    pages = {}
    client.force_login(UserFactory(role="office_staff", language=language))
    pages["letter review"] = client.get(reverse("letters:review", args=[CODE, "1001"]))
    pages["letter queue"] = client.get(reverse("letters:queue", args=[CODE]))
    client.force_login(_student_of_1001(language))
    pages["student's letter page"] = client.get(reverse("letters:student", args=[CODE]))
    for name, response in pages.items():
        assert response.status_code == 200, name
        text = visible_text(response.content.decode())
        assert GERMANY[language] in text, name
        assert not re.search(r"\bDE\b", text), (name, text[text.find("GmbH"):][:120])


@pytest.mark.parametrize("language", ["tr", "en"])
def test_money_is_written_one_way_in_the_pages_language(client, world, language):
    grant, rate, budget = MONEY[language]
    client.force_login(UserFactory(role="office_staff", language=language))
    review = visible_text(client.get(reverse("letters:review", args=[CODE, "1001"])).content.decode())
    assert grant in review and rate in review, review
    ledger = visible_text(client.get(reverse("letters:budget", args=[CODE])).content.decode())
    assert budget in ledger, ledger
    # Every amount on both pages in that format: a euro sign, groups of three, two decimals.
    group, decimal = (".", ",") if language == "tr" else (",", ".")
    shape = re.compile(rf"€-?\d{{1,3}}(?:{re.escape(group)}\d{{3}})*{re.escape(decimal)}\d\d")
    amounts = re.findall(r"€[-\d.,]*\d", review + " " + ledger)
    assert amounts and all(shape.fullmatch(a) for a in amounts), amounts


@pytest.mark.parametrize("language", ["tr", "en"])
def test_the_audit_trails_say_what_changed_in_words_not_codes(client, world, language):
    """A choice by its label, a department by its name, money as money: the office reads no codes."""
    from django.utils import translation

    from applications.models import ApplicationStatus, BonusClaim
    from mobility.models import Programme

    call = Call.objects.get(code=CODE)
    application = Application.objects.select_related("department").get(applicant__student_number="1001")
    other = Department.objects.exclude(pk=application.department_id).first()
    audit_record(actor=None, action="application.edited", obj=application, data={"changes": {
        "department_id": [str(application.department_id), str(other.pk)],
        "status": [ApplicationStatus.SUBMITTED, ApplicationStatus.DRAFT],
        "disability": ["", BonusClaim.values[-1]],
    }})
    audit_record(actor=None, action="call.edited", obj=call, data={"changes": {
        "budget_eur": ["4050.00", "5400.00"], "programme": [Programme.KA131_SMT, Programme.KA171_SMT]}})
    client.force_login(UserFactory(role="office_staff", language=language))
    with translation.override(language):
        expected = [str(other), str(ApplicationStatus.DRAFT.label), str(BonusClaim(BonusClaim.values[-1]).label),
                    str(Programme.KA171_SMT.label), MONEY[language][2]]
    trail = visible_text(client.get(reverse("office:application_audit", args=[CODE, application.pk])).content.decode())
    audit = visible_text(client.get(reverse("office:audit", args=[CODE])).content.decode())
    text = trail + " " + audit
    assert all(words in text for words in expected), [w for w in expected if w not in text]
    codes = [ApplicationStatus.DRAFT.value, BonusClaim.values[-1], Programme.KA171_SMT.value, "4050.00", f"{other.pk} →"]
    found = [code for code in codes if re.search(rf"(?<![\w-]){re.escape(code)}(?![\w-])", text)]
    assert not found, found


@pytest.mark.parametrize("language", ["tr", "en"])
def test_the_admins_letter_list_names_the_country_and_writes_money_one_way(client, world, language):
    client.force_login(UserFactory(role="admin", is_superuser=True, is_staff=True, language=language))
    text = visible_text(client.get(reverse("admin:letters_letter_changelist")).content.decode())
    assert GERMANY[language] in text and MONEY[language][0] in text
    assert not re.search(r"\bDE\b", text)


def test_no_template_writes_an_amount_without_the_money_filter():
    """"€{{ grant }}" gives €1500.00 in both languages; `|euro` groups and separates as the page's language does."""
    root = Path(django_settings.BASE_DIR) / "templates"
    bare = re.compile(r"€\s*\{\{|\|intcomma")
    found = [str(path.relative_to(root)) for path in sorted(root.rglob("*")) if path.suffix in (".html", ".txt")
             and bare.search(path.read_text("utf-8"))]
    assert not found, found

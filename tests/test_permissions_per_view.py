"""Permissions per view, not per role: every URL pattern of the project, with every role.

`ACCESS` says, for every URL name, who may open it. A URL that is not in the table fails the test
until someone decides who may see it. For each URL the roles that must be refused are tried first:
a refusal is 403, 404 or a redirect to a sign-in page, anything else fails. Then the roles that may
see it are tried and must NOT be refused, which proves that the fixture fills the URL's parameters
with something real (so a refusal of the others comes from the permission check, not from a
missing object). Removing the check of any one view makes the test of that URL fail.

The fixture is one call with everything a URL can point at: departments, applications, an accepted
document, runs, a preliminary and a final publication, an appeal with its attachment, placements
with an approved letter and a force majeure document, a PDF job of the public list, the owner's
submitted Learning Agreement with its approvers and a host link (and, for the URLs about the end of
a traineeship, a certificate), and a national
internship programme with both students in it, the owner's document and offer (with forms).

The coordinator is also the Erasmus coordinator approving the department's Learning Agreements; the
coordinator elsewhere approves for their own department. No role here is a member of an internship
host unit: those pages are tried with everyone above (only staff may pass), and a member of one
unit is tried on its own below.
"""
import datetime as dt
import re

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from appeals.models import Appeal
from applications.models import Applicant, Application, Document, DocumentKind, DocumentStatus
from internships.models import HostUnit, InternshipApplication, InternshipStudent
from internships.services.applications import application_confirm_details, application_set_choices, document_add
from internships.services.offers import offer_make
from letters.models import Letter, OrientationMeeting, Placement
from mobility.models import Call, Department
from selection.models import SelectionRun
from tests.factories import DepartmentFactory, UserFactory
from tests.internships.helpers import programme_file, run, students_file
from tests.letters.pdfs import plain_pdf
from tests.letters.timeline import CODE, Timeline
from tests.traineeships.flow import AGREEMENT
from traineeships.forms import AgreementForm
from traineeships.links import host_link_create
from traineeships.models import ApproverRole, DepartmentApprover
from traineeships.services.agreements import agreement_save, agreement_submit
from traineeships.services.certificates import certificate_record

pytestmark = pytest.mark.django_db

ANON, OWNER, OTHER, COORD_OTHER, COORD, STAFF = "anonymous", "student", "another student", "coordinator elsewhere", "coordinator", "staff"
ROLES = (ANON, OWNER, OTHER, COORD_OTHER, COORD, STAFF)
STUDENTS = {OWNER, OTHER}
SIGNED_IN = {OWNER, OTHER, COORD_OTHER, COORD, STAFF}
OFFICE = {COORD, STAFF}  # a coordinator of one of the call's departments, and the office
EVERYONE = set(ROLES)
# Pages with nothing private on them (sign-in, sign-up, language): anyone may open them; only
# "no server error" is checked, since what they show depends on a token or a sign-in step.
OPEN = "open"

PROGRAMME = "USP-2024"  # the national internship programme of the fixture

# URL name -> (who may see it, [keyword arguments to try][, data of the POST]). "{...}" values come
# from the fixture. The POST data is for a view that takes only POST and names its object in the
# body: with an empty body it would answer 404 to everyone, so the refusal would prove nothing.
ACCESS: dict[str, tuple] = {
    "home": (EVERYONE, [{}]),
    "healthz": (OPEN, [{}]),
    "dashboard": (SIGNED_IN, [{}]),
    "office_call_list": ({COORD_OTHER, COORD, STAFF}, [{}]),  # a coordinator elsewhere sees an empty list
    "office_call_detail": (OFFICE, [{"code": "{code}"}]),
    # allauth and the language switch
    "account_login": (OPEN, [{}]),
    "account_logout": (OPEN, [{}]),
    "account_inactive": (OPEN, [{}]),
    "account_signup": (OPEN, [{}]),
    "account_reauthenticate": (SIGNED_IN, [{}]),
    "account_email": (SIGNED_IN, [{}]),
    "account_email_verification_sent": (OPEN, [{}]),
    "account_change_password": (SIGNED_IN, [{}]),
    "account_set_password": (OPEN, [{}]),  # redirects to "change password" when the account has one
    "account_reset_password": (OPEN, [{}]),
    "account_confirm_login_code": (OPEN, [{}]),
    "account_confirm_email": (OPEN, [{"key": "not-a-key"}]),
    "account_reset_password_from_key_done": (OPEN, [{}]),
    "account_reset_password_from_key": (OPEN, [{"uidb36": "1", "key": "not-a-key"}]),
    "account_reset_password_done": (OPEN, [{}]),
    "set_language": (OPEN, [{}]),
    # the student's pages
    "applications:call": (EVERYONE, [{"code": "{code}"}]),
    "applications:apply": (STUDENTS, [{"code": "{code}"}]),
    "applications:submit": ({OWNER}, [{"application_id": "{application}"}]),
    "applications:reopen": ({OWNER}, [{"application_id": "{application}"}]),
    "applications:withdraw": ({OWNER}, [{"application_id": "{application}"}]),
    "applications:document_upload": ({OWNER}, [{"application_id": "{application}"}]),
    "applications:document_download": ({OWNER, STAFF}, [{"document_id": "{document}"}]),
    "applications:profile": (SIGNED_IN, [{}]),
    "appeals:student": (STUDENTS, [{"code": "{code}"}]),
    "letters:student": (STUDENTS, [{"code": "{code}"}]),
    "letters:preview": (STUDENTS, [{"code": "{code}"}]),
    "letters:student_pdf": ({OWNER}, [{"code": "{code}"}]),  # the other student has no letter
    "letters:withdraw": (STUDENTS, [{"code": "{code}"}]),
    "letters:student_document": ({OWNER}, [{"code": "{code}", "kind": "grant"}, {"code": "{code}", "kind": "orientation"}]),
    # the public list
    "public:list": (EVERYONE, [{"code": "{code}"}]),
    "public:department": (EVERYONE, [{"code": "{code}", "department": "CENG"}]),
    "public:pdf": (EVERYONE, [{"code": "{code}", "department": "CENG"}]),
    "public:pdf_job": (EVERYONE, [{"code": "{code}", "key": "{pdf_key}"}]),
    # the office
    "applications:document_queue": ({STAFF}, [{}]),
    "applications:document_decide": ({STAFF}, [{"document_id": "{document}"}]),
    "selection:page": (OFFICE, [{"code": "{code}"}]),
    "selection:status": (OFFICE, [{"code": "{code}"}]),
    "selection:start": ({STAFF}, [{"code": "{code}"}]),
    "selection:cancel": ({STAFF}, [{"code": "{code}", "run_id": "{run}"}]),
    # The whole call's ranking; a coordinator downloads their departments' lists (office:list_download).
    "selection:download": ({STAFF}, [{"code": "{code}", "fmt": fmt} for fmt in ("csv", "xlsx", "pdf")]),
    "office:workspace": (OFFICE, [{"code": "{code}"}]),
    "office:transition": ({STAFF}, [{"code": "{code}", "to": "archived"}]),
    "office:audit": ({STAFF}, [{"code": "{code}"}]),
    "office:application_audit": ({STAFF}, [{"code": "{code}", "pk": "{application}"}]),
    "office:runs": (OFFICE, [{"code": "{code}"}]),
    "office:run_start": ({STAFF}, [{"code": "{code}"}]),
    "office:compare": ({STAFF}, [{"code": "{code}"}]),
    "office:what_if": ({STAFF}, [{"code": "{code}"}]),
    "office:run": (OFFICE, [{"code": "{code}", "pk": "{run}"}]),
    "office:publish": ({STAFF}, [{"code": "{code}", "stage": "preliminary"}]),
    "office:list_download": (OFFICE, [
        {"code": "{code}", "kind": kind, "fmt": fmt} for kind in ("public", "office") for fmt in ("csv", "xlsx")
    ] + [{"code": "{code}", "kind": "public", "fmt": "pdf"}]),
    "office:pdf_job": (OFFICE, [{"code": "{code}", "key": "{pdf_key}"}]),
    "office:appeals": ({STAFF}, [{"code": "{code}"}]),
    "office:appeal_answer": ({STAFF}, [{"code": "{code}", "pk": "{appeal}"}]),
    "letters:queue": ({STAFF}, [{"code": "{code}"}]),
    "letters:review": ({STAFF}, [{"code": "{code}", "student_number": "{number}"}]),
    "letters:force_majeure": ({STAFF}, [{"code": "{code}", "student_number": "{number}"}]),
    "letters:office_pdf": ({STAFF}, [{"code": "{code}", "student_number": "{number}"}]),
    "letters:office_document": ({STAFF}, [
        {"code": "{code}", "student_number": "{number}", "kind": kind} for kind in ("grant", "orientation")
    ]),
    "letters:budget": ({STAFF}, [{"code": "{code}"}]),
    "letters:force_majeure_document": ({STAFF}, [{"code": "{code}", "student_number": "{number}"}]),
    # appeals' attachments, the public list's CSV and its verification
    "appeals:document": ({OWNER}, [{"code": "{code}", "pk": "{appeal}"}]),
    "office:appeal_document": ({STAFF}, [{"code": "{code}", "pk": "{appeal}"}]),
    "public:csv": (EVERYONE, [{"code": "{code}", "pk": "{publication}"}]),
    "public:verify": (EVERYONE, [{}]),
    # traineeships: the student (the other student has no approved letter, so no traineeship)
    "traineeships:student": ({OWNER}, [{"code": "{code}"}]),
    "traineeships:agreement": ({OWNER}, [{"code": "{code}"}]),
    "traineeships:agreement_pdf": ({OWNER}, [{"code": "{code}", "version": 1}]),
    "traineeships:final_grant_pdf": ({OWNER}, [{"code": "{code}"}]),
    # the approvers: a queue per approver (the office works from its list instead), and one
    # agreement for its own department's approvers and the office
    "traineeships:queue": ({COORD_OTHER, COORD}, [{}]),
    "traineeships:review": ({COORD, STAFF}, [{"code": "{code}", "student_number": "{number}", "version": 1}]),
    "traineeships:review_pdf": ({COORD, STAFF}, [{"code": "{code}", "student_number": "{number}", "version": 1}]),
    # the office
    "traineeships:office_list": ({STAFF}, [{"code": "{code}"}]),
    "traineeships:office_export": ({STAFF}, [{"code": "{code}", "fmt": fmt} for fmt in ("csv", "xml")]),
    "traineeships:office_detail": ({STAFF}, [{"code": "{code}", "student_number": "{number}"}]),
    # The host has no account: the signed one-time token is the permission (see the test below).
    "traineeships:host": (OPEN, [{"token": "not-a-token"}, {"token": "{host_token}"}]),
    # the national internship programme: a student's pages name only the programme, and each
    # student reaches only their own row (both students are in the programme)
    "internships:home": (SIGNED_IN, [{}]),
    "internships:status": (STUDENTS, [{"code": PROGRAMME}]),
    "internships:details": (STUDENTS, [{"code": PROGRAMME}]),
    "internships:form": (STUDENTS, [{"code": PROGRAMME}]),
    "internships:document_add": ({OWNER}, [{"code": PROGRAMME}]),  # the other student has no application yet
    "internships:answer": ({OWNER}, [{"code": PROGRAMME}], {"offer": "{offer}", "answer": "decline"}),
    "internships:forms": ({OWNER}, [{"code": PROGRAMME}], {"offer": "{offer}"}),
    "internships:document_file": ({OWNER, STAFF}, [{"document_id": "{internship_document}"}]),
    # career staff, and the host units (a member of a unit: see the test below)
    "internships:forms_file": ({STAFF}, [{"offer_id": "{offer}"}]),
    "internships:office": ({STAFF}, [{"code": PROGRAMME}]),
    "internships:export": ({STAFF}, [{"code": PROGRAMME, "kind": kind} for kind in ("offers", "students", "statistics", "insurance")]),
    "internships:host": ({STAFF}, [{"code": PROGRAMME, "unit": "LIB"}]),
}
# Patterns without a name: Django's language view (the named "set_language" above is the same
# page) and, with DEBUG on, the public media files (what may be stored there is tested with the
# private files, not here).
UNNAMED = {"i18n/setlang/", "^media/(?P<path>.*)$"}


def _patterns(resolver=None, prefix="", namespace=None):
    """(full name or None, route) of every URL pattern of the project."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace
            name = f"{namespace}:{inner}" if namespace and inner else (inner or namespace)
            yield from _patterns(pattern, prefix + str(pattern.pattern), name)
        elif isinstance(pattern, URLPattern):
            full = None if pattern.name is None else (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield full, prefix + str(pattern.pattern)


def _admin(route: str) -> bool:
    return route.startswith("admin/")


def test_every_url_of_the_project_is_classified():
    names = {name for name, route in _patterns() if not _admin(route)}
    unnamed = {route for name, route in _patterns() if name is None and not _admin(route)}
    assert names - {None} <= set(ACCESS), f"decide who may open: {sorted(names - {None} - set(ACCESS))}"
    assert set(ACCESS) <= names, f"no longer a URL: {sorted(set(ACCESS) - names)}"
    assert unnamed <= UNNAMED, f"unnamed URL patterns: {sorted(unnamed - UNNAMED)}"


@pytest.fixture
def world(tmp_path):
    """The call in every state a URL can point at, and one user of each role."""
    timeline = Timeline(tmp_path, appeal_deadline="2023-01-05T17:00:00+03:00")
    timeline.run("publish_run", CODE, "--stage", "preliminary", at="2023-01-02T10:00:00+03:00")
    preliminary = Call.objects.get(code=CODE).publications.get()
    timeline.publish(at="2023-01-10T10:00:00+03:00")
    timeline.letters([{"student_number": "1001", "decision": "approved"}], at="2023-02-01T10:00:00+03:00")
    letter = Letter.objects.get(placement__student_number="1001")
    letter.pdf.save("letter.pdf", ContentFile(plain_pdf()))
    OrientationMeeting.objects.create(call=letter.placement.call, starts_at=timezone.now() + dt.timedelta(days=40), location="A-101")
    # The deadline lies ahead, so both students still have their letter pages.
    Call.objects.filter(code=CODE).update(letter_deadline=timezone.now() + dt.timedelta(days=30))

    users = {
        OWNER: UserFactory(role="student"), OTHER: UserFactory(role="student"),
        COORD_OTHER: UserFactory(role="department_coordinator"), COORD: UserFactory(role="department_coordinator"),
        STAFF: UserFactory(role="office_staff"), ANON: None,
    }
    Applicant.objects.filter(student_number="1001").update(user=users[OWNER])
    Applicant.objects.filter(student_number="2002").update(user=users[OTHER])
    users[COORD_OTHER].departments.add(DepartmentFactory(code="PHYS"))
    users[COORD].departments.add(DepartmentFactory(code="CENG"))

    application = Application.objects.get(call__code=CODE, applicant__student_number="1001")
    document = Document.objects.create(
        application=application, kind=DocumentKind.PREVIOUS_TRANSCRIPT, status=DocumentStatus.PENDING,
        file=ContentFile(plain_pdf(), name="proof.pdf"), original_name="proof.pdf", size=len(plain_pdf()),
        content_type="application/pdf", uploaded_at=timezone.now(),
    )
    appeal = Appeal.objects.create(
        call=application.call, application=application, publication=preliminary, text="My GPA is wrong",
        filed_at=dt.datetime(2023, 1, 3, 10, tzinfo=dt.UTC), filed_by=users[OWNER],
    )
    appeal.document.save("appeal.pdf", ContentFile(plain_pdf()))
    placement = Placement.objects.get(call__code=CODE, student_number="1001")
    placement.force_majeure_document.save("force-majeure.pdf", ContentFile(plain_pdf()))
    from selection.pdf_jobs import pdf_job_start

    publication = Call.objects.get(code=CODE).publications.order_by("-published_at").first()
    assert getattr(publication, "published_list", None) is not None
    values = {
        "code": CODE, "application": application.pk, "document": document.pk,
        "run": SelectionRun.objects.filter(call__code=CODE).latest("created_at").pk, "appeal": appeal.pk,
        "number": "1001", "pdf_key": pdf_job_start(publication=publication, departments=["CENG"]),
        "publication": publication.pk,
        **_traineeship(placement, users), **_internships(tmp_path / "internships", users),
    }
    return users, values


def _traineeship(placement, users) -> dict:
    """The owner's Learning Agreement, submitted to the approvers, a host link, and a certificate."""
    DepartmentApprover.objects.create(user=users[COORD], department=Department.objects.get(code="CENG"),
                                      role=ApproverRole.ERASMUS_COORDINATOR)
    DepartmentApprover.objects.create(user=users[COORD_OTHER], department=Department.objects.get(code="PHYS"),
                                      role=ApproverRole.ERASMUS_COORDINATOR)
    form = AgreementForm(AGREEMENT)
    assert form.is_valid(), form.errors
    now = timezone.now()
    agreement = agreement_save(placement=placement, data=form.cleaned_data, at=now, actor=users[OWNER])
    agreement = agreement_submit(agreement=agreement, at=now, actor=users[OWNER])
    assert agreement.version == 1 and ApproverRole.ERASMUS_COORDINATOR in agreement.parties
    path = host_link_create(placement=placement, purpose="agreement", email=agreement.mentor_email, at=now, agreement=agreement)
    return {"host_token": path.rstrip("/").rsplit("/", 1)[1]}


def _certificate_record(staff) -> None:
    """The traineeship is over: the owner's placement is completed (so its letter documents are gone)."""
    certificate_record(call=Call.objects.get(code=CODE), student_number="1001", start=dt.date(2023, 7, 1),
                       end=dt.date(2023, 8, 30), at=timezone.now(), actor=staff)


# URLs about the end of a traineeship: tried after the office records the owner's certificate.
AFTER_CERTIFICATE = {"traineeships:final_grant_pdf"}


def _internships(folder, users) -> dict:
    """The programme open now, both students in it; the owner's application with a document, and an offer with forms."""
    folder.mkdir()
    now = timezone.now()
    assert run("load_internship_programme", programme_file(
        folder, applications_open=(now - dt.timedelta(days=10)).isoformat(),
        applications_close=(now + dt.timedelta(days=10)).isoformat())).ok
    result = run("import_internship_students", PROGRAMME, students_file(folder, [
        "1001,Ayşe,Yılmaz,ayse@uni.example,BM,bachelor,3,3.10", "1002,Mehmet,Demir,mehmet@uni.example,BM,bachelor,2,2.00",
    ]))
    assert result.ok, result.err
    InternshipStudent.objects.filter(programme__code=PROGRAMME, student_number="1001").update(user=users[OWNER])
    InternshipStudent.objects.filter(programme__code=PROGRAMME, student_number="1002").update(user=users[OTHER])
    student = InternshipStudent.objects.get(programme__code=PROGRAMME, student_number="1001")
    application = application_confirm_details(student=student, at=now)
    upload = ContentFile(plain_pdf(), name="licence.pdf")
    document = document_add(application=application, heading="sports", kind="licensed_athlete", title="Lisans",
                            upload=upload, content_type="application/pdf", at=now)
    application_set_choices(student=student, calendars=["T20-5-1"], cities="06:*", complete=True, at=now)
    assert InternshipApplication.objects.get(pk=application.pk).completed_at
    offer = offer_make(programme=student.programme, position_code="LIB-1", student_number="1001", kind="primary",
                       calendar_code="T20-5-1", at=now, host_unit=HostUnit.objects.get(programme=student.programme, code="LIB"))
    offer.forms_file.save("forms.pdf", ContentFile(plain_pdf()))
    return {"offer": offer.pk, "internship_document": document.pk}


def _refused(response) -> bool:
    if response.status_code in (403, 404):
        return True
    if response.status_code == 302:
        location = response["Location"]
        return location.startswith((reverse("account_login"), reverse("admin:login")))
    return False


def _ask(client, url: str, data: dict | None = None):
    """GET, or POST for a view that takes only POST (empty data unless the table gives some: the
    view must refuse before reading it)."""
    response = client.get(url)
    if response.status_code == 405:
        response = client.post(url, data or {})
    return response


def _fill(kwargs: dict, values: dict) -> dict:
    return {k: (str(values[v[1:-1]]) if isinstance(v, str) and v.startswith("{") else v) for k, v in kwargs.items()}


def _outcome(client, user, url, data=None):
    client.logout()
    if user is not None:
        client.force_login(user)
    return _ask(client, url, data)


@pytest.mark.parametrize("name", sorted(ACCESS))
def test_each_view_refuses_whom_it_must_and_serves_whom_it_may(client, world, name):
    users, values = world
    allowed, variants, *post = ACCESS[name]
    data = _fill(post[0], values) if post else None
    if name in AFTER_CERTIFICATE:
        _certificate_record(users[STAFF])
    problems = []
    for kwargs in variants:
        url = reverse(name, kwargs=_fill(kwargs, values))
        if allowed == OPEN:
            for role in ROLES:
                status = _outcome(client, users[role], url).status_code
                if status >= 500:
                    problems.append(f"{role}: {url} answered {status}")
            continue
        # Those who must be refused first: a side effect of an allowed POST must not hide a hole.
        for role in [r for r in ROLES if r not in allowed] + [r for r in ROLES if r in allowed]:
            response = _outcome(client, users[role], url, data)
            if role not in allowed and not _refused(response):
                problems.append(f"{role} must be refused {url}; got {response.status_code}")
            if role in allowed and (_refused(response) or response.status_code >= 500):
                problems.append(f"{role} may open {url}; got {response.status_code}")
    assert not problems, "\n".join(problems)


def test_a_host_link_opens_with_its_token_only(client, world):
    _users, values = world
    assert client.get(reverse("traineeships:host", args=[values["host_token"]])).status_code == 200
    assert client.get(reverse("traineeships:host", args=[values["host_token"] + "x"])).status_code == 404
    assert client.get(reverse("traineeships:host", args=["not-a-token"])).status_code == 404


def test_a_host_unit_member_opens_the_pool_of_their_own_unit_only(client, world):
    member = UserFactory()
    HostUnit.objects.get(programme__code=PROGRAMME, code="LIB").members.add(member)
    client.force_login(member)
    assert client.get(reverse("internships:host", args=[PROGRAMME, "LIB"])).status_code == 200
    assert client.get(reverse("internships:host", args=[PROGRAMME, "IT"])).status_code == 403
    assert client.get(reverse("internships:office", args=[PROGRAMME])).status_code == 403


ADMIN_OPEN = {"/admin/login/", "/admin/logout/"}
ADMIN_FILLS = {"app_label": "mobility"}  # any other parameter: "1" (the site refuses before reading it)


def _admin_urls():
    """Every admin URL of every model admin, named or not (the redirects of old object URLs too)."""
    for _name, route in _patterns():
        if _admin(route):
            path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: ADMIN_FILLS.get(m[1], "1"), route)
            path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: ADMIN_FILLS.get(m[1], "1"), path)
            yield "/" + path.replace("^", "").replace("$", "")


def test_the_administration_refuses_everyone_but_the_office(client, world):
    users, _values = world
    urls = sorted(set(_admin_urls()))
    assert len(urls) > 50  # the walk reached the model admins, not only the index
    problems = []
    for role in (ANON, OWNER, OTHER, COORD_OTHER, COORD):
        for url in urls:
            if url in ADMIN_OPEN:
                continue
            response = _outcome(client, users[role], url)
            if not _refused(response):
                problems.append(f"{role} must be refused {url}; got {response.status_code}")
    assert not problems, "\n".join(problems[:20])

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from appeals.models import Appeal, AppealStatus
from applications.models import Applicant, Application, ApplicationStatus, Document, DocumentKind, ExamResult, ExamSession, Level
from letters.models import HostType, Letter, LetterDecision, Placement, PlacementStatus
from mobility.models import Call, CallDepartment, CallStatus, Department, Programme, Role, User
from selection.models import Outcome, Publication, PublicationStage, RunStatus, SelectionResult, SelectionRun


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.edu.tr")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"User{n}")
    # Tests read English (tests/conftest.py); a signed-in user's pages follow this, not the browser.
    language = "en"
    password = factory.PostGenerationMethodCall("set_password", "secret-pass-123")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            from mobility.services.roles import user_set_role

            user_set_role(user=self, role=Role(extracted))
        if create:
            self.save()


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"D{n:02d}")
    name = factory.LazyAttribute(lambda o: f"Department {o.code}")


class CallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Call

    code = factory.Sequence(lambda n: f"CALL-{n}")
    title = factory.LazyAttribute(lambda o: f"Traineeship call {o.code}")
    programme = Programme.KA131_SMT
    status = CallStatus.ANNOUNCED
    applications_open = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=5))
    applications_close = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=10))
    letter_deadline = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=90))
    budget_eur = Decimal("5400.00")
    planning_amount_eur = Decimal("1350.00")


class CallDepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CallDepartment

    call = factory.SubFactory(CallFactory)
    department = factory.SubFactory(DepartmentFactory)
    written_min = Decimal("60")


class ApplicantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Applicant

    student_number = factory.Sequence(lambda n: f"{300000 + n}")
    first_name = "Öğrenci"
    last_name = factory.Sequence(lambda n: f"Soyad{n}")
    email = factory.LazyAttribute(lambda o: f"{o.student_number}@ogr.example.edu.tr")


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    call = factory.SubFactory(CallFactory)
    applicant = factory.SubFactory(ApplicantFactory)
    department = factory.SubFactory(DepartmentFactory)
    level = Level.BACHELOR
    gpa = Decimal("3.00")


class ExamSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExamSession
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Session {n}")
    date = dt.date(2023, 1, 10)


class ExamResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExamResult

    session = factory.SubFactory(ExamSessionFactory)
    applicant = factory.SubFactory(ApplicantFactory)
    written = Decimal("70")
    listening = Decimal("60")
    absent = False


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    application = factory.SubFactory(ApplicationFactory, status=ApplicationStatus.DRAFT)
    kind = DocumentKind.DISABILITY
    file = factory.django.FileField(filename="proof.pdf", data=b"%PDF-1.4\n%%EOF\n")
    original_name = "proof.pdf"
    content_type = "application/pdf"
    size = 15
    uploaded_at = factory.LazyFunction(timezone.now)


# --- selection -------------------------------------------------------------------------------

class SelectionRunFactory(factory.django.DjangoModelFactory):
    """A finished run (no engine involved): give it results with SelectionResultFactory."""

    class Meta:
        model = SelectionRun

    call = factory.SubFactory(CallFactory)
    status = RunStatus.FINISHED
    started_at = factory.LazyFunction(timezone.now)
    finished_at = factory.LazyFunction(timezone.now)


class SelectionResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SelectionResult

    run = factory.SubFactory(SelectionRunFactory)
    application = factory.SubFactory(ApplicationFactory, call=factory.SelfAttribute("..run.call"))
    student_number = factory.LazyAttribute(lambda o: o.application.applicant.student_number)
    department_code = factory.LazyAttribute(lambda o: o.application.department.code)
    eligible = True
    outcome = Outcome.PRIMARY
    adjustments_total = Decimal("0")
    final_score = Decimal("80.00")
    department_rank = factory.Sequence(lambda n: n + 1)
    order = factory.Sequence(lambda n: n + 1)


class PublicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Publication

    run = factory.SubFactory(SelectionRunFactory)
    call = factory.SelfAttribute("run.call")
    stage = PublicationStage.PRELIMINARY
    published_at = factory.LazyFunction(timezone.now)


# --- letters and appeals ---------------------------------------------------------------------

class PlacementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Placement

    call = factory.SubFactory(CallFactory, status=CallStatus.FINAL_PUBLISHED)
    application = factory.SubFactory(ApplicationFactory, call=factory.SelfAttribute("..call"), status=ApplicationStatus.SUBMITTED)
    student_number = factory.LazyAttribute(lambda o: o.application.applicant.student_number)
    department_code = factory.LazyAttribute(lambda o: o.application.department.code)
    order = factory.Sequence(lambda n: n + 1)
    status = PlacementStatus.PRIMARY
    held_eur = Decimal("1350.00")


class LetterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Letter

    placement = factory.SubFactory(PlacementFactory)
    host_name = "Firma GmbH"
    host_type = HostType.COMPANY
    country = "DE"
    city = "Berlin"
    start_date = dt.date(2023, 7, 1)
    end_date = dt.date(2023, 8, 31)
    days = 61
    monthly_rate_eur = Decimal("750.00")
    grant_eur = Decimal("1500.00")
    submitted_at = factory.LazyFunction(timezone.now)
    decision = LetterDecision.WAITING


class AppealFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Appeal

    publication = factory.SubFactory(PublicationFactory)
    call = factory.SelfAttribute("publication.call")
    application = factory.SubFactory(ApplicationFactory, call=factory.SelfAttribute("..call"), status=ApplicationStatus.SUBMITTED)
    text = "Sınav puanım eksik girildi."
    status = AppealStatus.FILED
    filed_at = factory.LazyFunction(timezone.now)

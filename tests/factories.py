import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from applications.models import Applicant, Application, ExamResult, Level
from mobility.models import Call, CallDepartment, CallStatus, Department, Programme, Role, User


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


class ExamResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExamResult

    applicant = factory.SubFactory(ApplicantFactory)
    written = Decimal("70")
    listening = Decimal("60")
    absent = False

from django.core.management import call_command
from django.utils import timezone

from internships.models import InternshipApplication, InternshipProgramme


def test_load_demo_opens_an_internship_programme_with_a_pool_and_is_safe_to_repeat(db, client):
    call_command("load_demo")
    call_command("load_demo")
    programme = InternshipProgramme.objects.get(code="USP-DEMO")
    now = timezone.now()
    assert programme.applications_open <= now < programme.applications_close
    assert InternshipApplication.objects.filter(student__programme=programme, completed_at__isnull=False).count() == 30
    assert programme.students.filter(student_number="400100", email="student@demo.example").exists()
    assert client.login(email="host@demo.example", password="demo-mobility-2026")
    page = client.get("/office/internships/USP-DEMO/host/LIB/")
    assert page.status_code == 200 and page.content.count(b'class="candidate"') == 25

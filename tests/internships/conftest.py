import datetime as dt

import pytest

from internships.models import HostUnit, InternshipProgramme
from tests.internships.helpers import programme_file, run, students_file

TR = dt.timezone(dt.timedelta(hours=3))


@pytest.fixture
def open_programme(db, tmp_path):
    """USP-2024 with its window open around now, so pages (which use the clock) accept applications."""
    now = dt.datetime.now(tz=TR)
    path = programme_file(tmp_path, applications_open=(now - dt.timedelta(days=10)).isoformat(),
                          applications_close=(now + dt.timedelta(days=10)).isoformat())
    assert run("load_internship_programme", path).ok
    result = run("import_internship_students", "USP-2024", students_file(tmp_path, [
        "1001,Ayşe,Yılmaz,ayse@uni.example,BM,bachelor,3,3.10",
        "1002,Mehmet,Demir,mehmet@uni.example,BM,bachelor,2,2.00",
        "1005,Elif,Şahin,elif@uni.example,TIP,bachelor,3,3.50",
    ]))
    assert result.ok, result.err
    return InternshipProgramme.objects.get(code="USP-2024")


@pytest.fixture
def host_user(open_programme):
    from tests.factories import UserFactory

    user = UserFactory(email="host@uni.example")
    HostUnit.objects.get(programme=open_programme, code="LIB").members.add(user)
    return user

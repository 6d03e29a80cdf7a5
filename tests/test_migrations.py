"""The migrations match the models: a changed default (e.g. in selection/engine/defaults.py) needs one."""
from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_model_change_is_missing_a_migration():
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=StringIO())
    except SystemExit:
        pytest.fail(f"models and migrations differ (run makemigrations):\n{out.getvalue()}")

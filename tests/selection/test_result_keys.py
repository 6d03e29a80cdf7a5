"""A run's results go with their run and with their application, and each is stored once per run.

The run key has no database constraint (selection/models.py says why), so these pin what the
ORM does in its place.
"""
import pytest
from django.db import IntegrityError, transaction

from selection.models import SelectionResult
from tests.factories import SelectionResultFactory, SelectionRunFactory

pytestmark = pytest.mark.django_db


def test_deleting_a_run_deletes_its_results_and_no_others():
    kept = SelectionResultFactory()
    gone = SelectionResultFactory(run=SelectionRunFactory(call=kept.run.call), application=kept.application)
    gone.run.delete()
    assert list(SelectionResult.objects.all()) == [kept]


def test_deleting_a_call_deletes_its_runs_results():
    result = SelectionResultFactory()
    result.run.call.delete()
    assert not SelectionResult.objects.exists()


def test_deleting_an_application_deletes_its_results():
    result = SelectionResultFactory()
    other = SelectionResultFactory(run=result.run)
    result.application.delete()
    assert list(SelectionResult.objects.all()) == [other]


def test_an_application_has_one_result_per_run():
    result = SelectionResultFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        SelectionResultFactory(run=result.run, application=result.application)

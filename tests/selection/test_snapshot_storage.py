"""PostgreSQL keeps a run's inputs snapshot without trying to compress it again (migration 0007)."""

import pytest
from django.db import connection

from selection.models import SelectionRun
from tests.concurrency import postgres_required


@pytest.mark.django_db
def test_the_inputs_snapshot_column_is_stored_without_compression():
    postgres_required()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstorage FROM pg_attribute WHERE attrelid = %s::regclass AND attname = %s",
            [SelectionRun._meta.db_table, "inputs_snapshot"],
        )
        assert cursor.fetchone() == ("e",)  # EXTERNAL: out of line, never compressed

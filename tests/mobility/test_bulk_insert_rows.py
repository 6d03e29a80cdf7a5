"""bulk_insert_rows (COPY on PostgreSQL, a multi-row INSERT elsewhere) stores what bulk_create stores."""
import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from mobility.db import bulk_insert_rows
from mobility.models import AuditEntry, OutboxMessage
from tests.factories import UserFactory
from tests.hypothesis_profiles import examples

# Text as people and programs write it: tabs, newlines, backslashes, quotes, Turkish letters (no NUL,
# which PostgreSQL refuses in text whichever way it is sent).
TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3), max_leaves=8,
)


def _rows(model):
    return [{k: v for k, v in row.items() if k != "id"} for row in model.objects.order_by("id").values()]


class TestSameRowsAsBulkCreate(TestCase):
    @settings(max_examples=examples(40), deadline=None)
    @given(texts=st.lists(TEXT, min_size=1, max_size=5), data=JSON, attempts=st.integers(0, 2**31 - 1))
    def test_audit_entries_and_mails(self, texts, data, attempts):
        actor = UserFactory()
        at = dt.datetime(2025, 3, 15, 13, 0, 1, 123456, tzinfo=dt.UTC)

        def made():
            audits = [AuditEntry(actor=actor if i % 2 else None, action=t[:64], object_type="x.y", object_id=str(i),
                                 data={"value": data, "text": t}) for i, t in enumerate(texts)]
            mails = [OutboxMessage(key=f"k{i}", recipient="a@ogr.example.edu.tr", language="tr", subject=t[:300], body=t * 3,
                                   created_at=at, next_attempt_at=at, attempts=attempts, sent_at=None if i % 2 else at)
                     for i, t in enumerate(texts)]
            return audits, mails

        audits, mails = made()
        AuditEntry.objects.bulk_create(audits)
        OutboxMessage.objects.bulk_create(mails)
        plain = _rows(AuditEntry), _rows(OutboxMessage)
        AuditEntry.objects.all().delete()
        OutboxMessage.objects.all().delete()
        audits, mails = made()
        bulk_insert_rows(audits)
        bulk_insert_rows(mails)
        fast = _rows(AuditEntry), _rows(OutboxMessage)
        # The entries' own time is set when each is written: compare everything else, and that it is set.
        for rows in (plain[0], fast[0]):
            assert all(row.pop("at") is not None for row in rows)
        assert fast == plain
        AuditEntry.objects.all().delete()
        OutboxMessage.objects.all().delete()


@pytest.mark.django_db
def test_a_duplicate_key_is_djangos_integrity_error_and_nothing_is_stored():
    OutboxMessage.objects.create(key="k1", recipient="a@ogr.example.edu.tr", language="tr", subject="s", body="b")
    rows = [OutboxMessage(key=key, recipient="b@ogr.example.edu.tr", language="en", subject="s", body="b") for key in ("k2", "k1")]
    with pytest.raises(IntegrityError), transaction.atomic():
        bulk_insert_rows(rows)
    assert list(OutboxMessage.objects.values_list("key", flat=True)) == ["k1"]

"""A published list anyone can verify: SHA-256 of the canonical CSV, chained, on the PDF and the page."""
import datetime as dt
import hashlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from selection.models import PublishedList
from selection.publication import run_publish
from selection.services import selection_run
from tests.selection.helpers import apply

pytestmark = pytest.mark.django_db

AT = dt.datetime(2023, 3, 15, 13, 0, tzinfo=dt.UTC)


@pytest.fixture
def two(call):
    """The same run published twice (a republished preliminary list)."""
    apply(call, "CENG", number="400100", gpa="3.40")
    apply(call, "MIS", number="400300", gpa="3.10")
    selection_run(call=call)
    first = run_publish(call=call, stage="preliminary", at=AT, confirmed=True)
    second = run_publish(call=call, stage="preliminary", at=AT + dt.timedelta(days=2), confirmed=True)
    return call, first, second


def download(client, call, publication) -> bytes:
    response = client.get(reverse("public:csv", args=[call.code, publication.pk]))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment;")
    return response.content


def test_each_publication_is_the_digest_of_its_downloadable_csv_chained_to_the_one_before(client, two):
    call, first, second = two
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.digest == hashlib.sha256(download(client, call, first)).hexdigest() and first.previous_digest == ""
    assert second.digest == hashlib.sha256(download(client, call, second)).hexdigest()
    assert second.previous_digest == first.digest != second.digest  # the same run, still two publications
    assert first.digest.encode() in download(client, call, second)  # the chain is inside the hashed bytes


def test_the_digest_is_printed_on_the_pdf_and_shown_with_the_chain_on_the_page(client, two):
    from pypdf import PdfReader

    from selection.listing import list_pdf

    call, first, second = two
    second.refresh_from_db()
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(list_pdf(publication=second))).pages).replace("\n", "")
    assert second.digest in text and second.previous_digest in text
    page = client.get(reverse("public:list", args=[call.code]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert second.digest in page and first.digest in page and reverse("public:verify") in page


def test_a_pasted_digest_names_its_publication_and_says_a_newer_one_exists(client, two):
    call, first, second = two
    first.refresh_from_db()
    page = client.get(reverse("public:verify"), {"digest": first.digest.upper()}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-match="yes"' in page and call.code in page and "A newer list of this call has been published" in page
    second.refresh_from_db()
    page = client.get(reverse("public:verify"), {"digest": second.digest}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "latest publication" in page


def test_an_uploaded_list_is_recognised_even_through_an_editor_and_a_changed_one_is_not(client, two):
    call, first, second = two
    content = download(client, call, second)
    for variant in (content, content.replace(b"\n", b"\r\n"), content.removeprefix("\ufeff".encode())):
        page = client.post(reverse("public:verify"), {"file": SimpleUploadedFile("list.csv", variant)},
                           HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert 'data-match="yes"' in page
    changed = content.replace(b"Asil", b"Yedek", 1) if b"Asil" in content else content + b" "
    page = client.post(reverse("public:verify"), {"file": SimpleUploadedFile("list.csv", changed)},
                       HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-match="no"' in page and "matches no list" in page


def test_a_malformed_digest_or_nothing_is_one_clear_line(client, two):
    page = client.get(reverse("public:verify"), {"digest": "abc"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "64 characters" in page and "data-match" not in page
    page = client.post(reverse("public:verify"), {}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Paste a digest" in page
    page = client.get(reverse("public:verify"), {"digest": "0" * 64}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-match="no"' in page


def test_a_kept_list_changed_afterwards_shows_as_broken_in_the_chain(client, two):
    call, first, second = two
    kept = PublishedList.objects.get(publication=first)
    kept.content = bytes(kept.content).replace(b"***100", b"***999")
    kept.save()
    second.refresh_from_db()
    page = client.get(reverse("public:verify"), {"digest": second.digest}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "no longer matches this digest" in page

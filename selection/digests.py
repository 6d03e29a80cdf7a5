"""A published list anyone can verify: the SHA-256 digest of each publication's canonical CSV, chained.

The canonical CSV is the public list of the whole call (the columns of the public list, no score,
masked numbers), in the portal's default language, followed by a short trailer naming the call,
the stage, the publication instant (UTC) and the digest of the call's previous publication. Its
digest is therefore a hash chain: changing any earlier publication changes every later digest.
The bytes are kept (PublishedList) and are exactly what the public download serves, so a file
downloaded from the portal hashes to the digest printed on the notice-board PDF.
"""
import csv
import datetime as dt
import hashlib
import io

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from selection.listing import csv_cell, public_header, public_rows_of_run
from selection.models import Publication, PublishedList

BOM = "\ufeff"  # spreadsheets open UTF-8 Turkish text correctly with it
HEX = set("0123456789abcdef")


def canonical_body(*, run) -> str:
    """The header and rows of a run's canonical CSV (the slow part: made before the call lock)."""
    stream = io.StringIO()
    writer = csv.writer(stream, lineterminator="\n")
    with translation.override(settings.LANGUAGE_CODE):
        writer.writerow(public_header())
        for row in public_rows_of_run(run):
            writer.writerow([csv_cell(v) for v in row])
    return stream.getvalue()


def canonical_csv(*, publication: Publication, previous_digest: str, body: str | None = None) -> bytes:
    """The publication's canonical public CSV (UTF-8 with BOM, LF line ends): the rows, then the trailer."""
    stream = io.StringIO()
    stream.write(BOM)
    stream.write(canonical_body(run=publication.run) if body is None else body)
    writer = csv.writer(stream, lineterminator="\n")
    with translation.override(settings.LANGUAGE_CODE):
        writer.writerow([])
        writer.writerow([_("Call"), csv_cell(publication.call.code)])
        writer.writerow([_("List"), str(publication.get_stage_display())])
        writer.writerow([_("Published at (UTC)"), publication.published_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")])
        writer.writerow([_("Previous publication's digest (SHA-256)"), previous_digest or "-"])
    return stream.getvalue().encode("utf-8")


def digest_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def publication_seal(*, publication: Publication, body: str | None = None) -> Publication:
    """Digest and keep the canonical CSV of a new publication, chained to the call's previous one.

    Called by run_publish inside its transaction, under the call's lock: the previous publication
    is the one recorded before this one, so two publications never share a predecessor. `body`:
    canonical_body of the publication's run, made before the lock was taken.
    """
    previous = (
        Publication.objects.filter(call_id=publication.call_id, pk__lt=publication.pk).order_by("-pk").only("digest").first()
    )
    previous_digest = previous.digest if previous else ""
    content = canonical_csv(publication=publication, previous_digest=previous_digest, body=body)
    PublishedList.objects.create(publication=publication, content=content)
    publication.digest, publication.previous_digest = digest_of(content), previous_digest
    publication.save(update_fields=["digest", "previous_digest"])
    return publication


def digest_normalise(text: str) -> str | None:
    """A pasted digest: 64 hexadecimal characters, spaces and case ignored; None otherwise."""
    value = "".join((text or "").split()).lower()
    return value if len(value) == 64 and set(value) <= HEX else None


def content_digests(content: bytes) -> list[str]:
    """Digests an uploaded list may have had when downloaded: as is, and with the BOM or CRLF line
    ends a text editor may have added or removed (nothing else: any other change is a change)."""
    variants = {content}
    for variant in list(variants):
        variants.add(variant.replace(b"\r\n", b"\n"))
    for variant in list(variants):
        bom = BOM.encode("utf-8")
        variants.add(variant[len(bom):] if variant.startswith(bom) else bom + variant)
    return [digest_of(v) for v in variants]


def publication_find(*, digests: list[str]) -> Publication | None:
    digests = [d for d in digests if d]
    if not digests:
        return None
    return Publication.objects.filter(digest__in=digests).select_related("call").order_by("-pk").first()


def publication_chain(*, call, check_content: bool = False) -> list[dict]:
    """The call's publications oldest first, each with whether it names the digest of the one
    before (`linked`) and, with check_content, whether its kept CSV still hashes to its digest."""
    chain, before = [], ""
    for publication in Publication.objects.filter(call=call).select_related("call").order_by("pk"):
        entry = {"publication": publication, "linked": publication.previous_digest == before}
        if check_content:
            kept = PublishedList.objects.filter(publication=publication).values_list("content", flat=True).first()
            entry["intact"] = kept is not None and digest_of(bytes(kept)) == publication.digest
        chain.append(entry)
        before = publication.digest
    return chain


def verification_answer(*, digests: list[str]) -> dict:
    """What the verify page says: the publication matched (with its call's chain), or none."""
    publication = publication_find(digests=digests)
    if publication is None:
        return {"publication": None, "digest": digests[0] if len(digests) == 1 else ""}
    chain = publication_chain(call=publication.call, check_content=True)
    latest = chain[-1]["publication"].pk == publication.pk
    return {"publication": publication, "chain": chain, "latest": latest, "digest": publication.digest}

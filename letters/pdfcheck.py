"""Checking an uploaded letter from its content, not its name: a plain PDF of at most 10 MB.

Encrypted PDFs cannot be read by the office; JavaScript and automatic actions have no place in a
scanned letter and are how PDFs attack readers, so they are refused rather than cleaned.
"""
import io

from django.utils.translation import gettext as _

MAX_BYTES = 10 * 1024 * 1024
# Names that make a PDF act by itself (JavaScript, actions on open, launching programs). They are
# looked for in the parsed objects, not in the raw bytes: a scan's compressed image data would
# contain "/JS" by chance every few megabytes.
ACTIVE = {"/JavaScript", "/JS", "/OpenAction", "/AA", "/Launch", "/SubmitForm", "/ImportData", "/RichMedia"}


class PdfRefused(ValueError):
    pass


def _walk(obj, seen: set, depth: int = 0):
    """Every name (dictionary key or value) reachable from `obj` (bounded: a hostile PDF may loop)."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject  # loaded only for an upload

    if depth > 50:
        return
    if isinstance(obj, IndirectObject):
        key = (obj.idnum, obj.generation)
        if key in seen or len(seen) > 20000:
            return
        seen.add(key)
        obj = obj.get_object()
    if isinstance(obj, DictionaryObject):
        for name, value in obj.items():
            yield name
            yield from _walk(value, seen, depth + 1)
    elif isinstance(obj, ArrayObject):
        for value in obj:
            yield from _walk(value, seen, depth + 1)
    elif isinstance(obj, NameObject):
        yield obj


def pdf_check(data: bytes) -> None:
    """Raise PdfRefused with a message for the student, or return for an acceptable letter."""
    if len(data) > MAX_BYTES:
        raise PdfRefused(_("The file is larger than 10 MB; scan the letter at a lower resolution."))
    if not data.lstrip()[:5] == b"%PDF-":
        raise PdfRefused(_("The file is not a PDF. Upload the signed and stamped letter as a PDF."))
    from pypdf import PdfReader  # loaded only for an upload
    from pypdf.errors import PdfReadError  # loaded only for an upload

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise PdfRefused(_("The PDF is encrypted or password-protected; upload it without a password."))
        if len(reader.pages) == 0:
            raise PdfRefused(_("The PDF has no pages."))
        names = set(_walk(reader.trailer["/Root"], set()))
    except PdfRefused:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, RecursionError, OSError, AssertionError):
        raise PdfRefused(_("The PDF cannot be read; it may be damaged. Scan the letter again.")) from None
    if names & ACTIVE:
        raise PdfRefused(_("The PDF contains JavaScript or automatic actions; upload a plain scan of the letter."))

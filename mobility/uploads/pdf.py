"""PDF safety, from the parsed objects: no JavaScript, automatic or launch actions, no encryption.

Encrypted PDFs cannot be read by the office; JavaScript and automatic actions have no place in a
scanned document and are how PDFs attack readers, so they are refused rather than cleaned. The
walk over the objects is bounded (a hostile PDF may loop or nest without end), and reaching a bound
refuses the file: a file too large to check is a file not checked.
"""
import io
from collections import deque

from django.utils.translation import gettext as _

# Names that make a PDF act by itself (JavaScript, actions on open or on events, launching
# programs, sending data, embedded files and XFA forms that carry scripts). They are looked for
# in the parsed objects, not in the raw bytes: a scan's compressed image data contains "/JS" by
# chance every few megabytes.
ACTIVE = {
    "/JavaScript", "/JS", "/OpenAction", "/AA", "/Launch", "/SubmitForm", "/ImportData", "/RichMedia",
    "/GoToR", "/GoToE", "/EmbeddedFiles", "/EmbeddedFile", "/XFA",
}
# Far above what a scanned or printed document needs (a 10-page scan has about 50 objects,
# a word processor's PDF a few thousand), far below what costs the server time.
MAX_DEPTH = 100
MAX_OBJECTS = 20_000
MAX_NODES = 500_000


class PdfRefused(ValueError):
    pass


class _TooComplex(Exception):
    pass


def pdf_names(root) -> set[str]:
    """Every name (dictionary key or value) reachable from `root`, breadth first.

    Breadth first, so an object's depth is its shortest distance from the root: a legitimate
    document is never refused because some path to an object happens to be long. Raises
    _TooComplex at MAX_DEPTH levels, MAX_OBJECTS indirect objects or MAX_NODES values.
    """
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject  # loaded only when a PDF is uploaded

    names: set[str] = set()
    seen: set[tuple[int, int]] = set()
    queue = deque([(root, 0)])
    nodes = 0
    while queue:
        obj, depth = queue.popleft()
        nodes += 1
        if depth > MAX_DEPTH or nodes > MAX_NODES:
            raise _TooComplex
        if isinstance(obj, IndirectObject):
            key = (obj.idnum, obj.generation)
            if key in seen:
                continue
            seen.add(key)
            if len(seen) > MAX_OBJECTS:
                raise _TooComplex
            obj = obj.get_object()
        if isinstance(obj, DictionaryObject):
            for name, value in obj.items():
                names.add(str(name))
                queue.append((value, depth + 1))
        elif isinstance(obj, ArrayObject):
            queue.extend((value, depth + 1) for value in obj)
        elif isinstance(obj, NameObject):
            names.add(str(obj))
    return names


def pdf_check(data: bytes) -> None:
    """Raise PdfRefused with a message for the student, or return for an acceptable PDF."""
    if not data.lstrip()[:5] == b"%PDF-":
        raise PdfRefused(_("The file is not a PDF."))
    from pypdf import PdfReader  # loaded only when a PDF is uploaded
    from pypdf.errors import PdfReadError  # loaded only when a PDF is uploaded

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise PdfRefused(_("The PDF is encrypted or password-protected; upload it without a password."))
        if len(reader.pages) == 0:
            raise PdfRefused(_("The PDF has no pages."))
        names = pdf_names(reader.trailer["/Root"])
    except PdfRefused:
        raise
    except _TooComplex:
        raise PdfRefused(_("The PDF is too complex to be checked; print it to PDF again or scan it.")) from None
    except (PdfReadError, ValueError, KeyError, TypeError, RecursionError, OSError, AssertionError, AttributeError):
        raise PdfRefused(_("The PDF cannot be read; it may be damaged. Scan it again.")) from None
    if names & ACTIVE:
        raise PdfRefused(_("The PDF contains JavaScript or automatic actions; upload a plain scan."))

"""What every upload goes through before it is stored: size, type from the first bytes, content safety."""
import io
from dataclasses import dataclass

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from mobility.uploads.pdf import PdfRefused, pdf_check

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
SIGNATURES = (
    (b"%PDF-", PDF),
    (b"\xff\xd8\xff", JPEG),
    (b"\x89PNG\r\n\x1a\n", PNG),
)
EXTENSIONS = {PDF: "pdf", JPEG: "jpg", PNG: "png"}
DOCUMENT_TYPES = frozenset({PDF, JPEG, PNG})
PDF_ONLY = frozenset({PDF})


class UploadRefused(ValueError):
    """One line for the person who uploaded, in their language; nothing was stored."""


@dataclass(frozen=True)
class CheckedUpload:
    content: bytes
    content_type: str
    original_name: str

    @property
    def size(self) -> int:
        return len(self.content)

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.content_type]


def sniff_content_type(head: bytes) -> str | None:
    """application/pdf, image/jpeg or image/png from the file's first bytes; None for anything else."""
    for signature, content_type in SIGNATURES:
        if head.startswith(signature):
            return content_type
    return None


def size_text(limit: int) -> str:
    """10 MB rather than 10.0 MB: the limits are whole megabytes."""
    megabytes, rest = divmod(limit, 1024 * 1024)
    return _("%(count)s MB") % {"count": megabytes} if megabytes and not rest else filesizeformat(limit)


def _type_names(types) -> str:
    """"PDF", "PDF, JPEG or PNG"."""
    names = [EXTENSIONS[t].upper().replace("JPG", "JPEG") for t in sorted(types, key=list(EXTENSIONS).index)]
    if len(names) == 1:
        return names[0]
    return _("%(first)s or %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


def _image_check(content: bytes) -> None:
    """The image must open as what its first bytes claim (Pillow reads the headers only)."""

    from PIL import Image  # loaded only when an image is uploaded

    try:
        with Image.open(io.BytesIO(content)) as image:
            image.verify()
    except Exception:  # noqa: BLE001 - Pillow raises many kinds for a broken image; each means "refuse it"
        raise UploadRefused(_("The image cannot be read; it may be damaged.")) from None


def upload_check(*, upload, types=DOCUMENT_TYPES, max_bytes: int) -> CheckedUpload:
    """Read and check an uploaded file; raise UploadRefused with one line, or return its checked bytes.

    The type comes from the content, never from the file's name or the browser's claim: a text or
    HTML file renamed .pdf is refused. PDFs are checked for JavaScript, actions and encryption.
    """
    if upload is None:
        raise UploadRefused(_("Choose a file."))
    name = (getattr(upload, "name", "") or "")[:200]
    if (getattr(upload, "size", None) or 0) > max_bytes:
        raise UploadRefused(_("The file is larger than %(limit)s.") % {"limit": size_text(max_bytes)})
    if hasattr(upload, "seek"):
        upload.seek(0)
    content = upload.read(max_bytes + 1)
    if len(content) > max_bytes:
        raise UploadRefused(_("The file is larger than %(limit)s.") % {"limit": size_text(max_bytes)})
    content_type = sniff_content_type(content[:16])
    if content_type not in types:
        raise UploadRefused(
            _("“%(name)s” is not a %(types)s file (whatever its name says).") % {"name": name, "types": _type_names(types)}
        )
    if content_type == PDF:
        try:
            pdf_check(content)
        except PdfRefused as exc:
            raise UploadRefused(str(exc)) from None
    else:
        _image_check(content)
    return CheckedUpload(content=content, content_type=content_type, original_name=name)

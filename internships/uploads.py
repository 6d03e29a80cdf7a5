"""The one place this app touches uploads; the checks and the storage are the core's (mobility.uploads):
content sniffed from the first bytes, PDF safety, random names, private storage with no URL."""
from django.conf import settings
from django.utils.translation import gettext as _

from internships.services import InternshipError, problem
from mobility import uploads


def private_storage():
    # Named in the app's migrations: keep this function.
    return uploads.private_storage()


def upload_check(upload) -> str:
    """The sniffed content type of an upload (PDF, JPEG, PNG), or InternshipError with one line."""
    if upload is None:
        raise InternshipError(problem("no_file", _("Choose a file.")))
    try:
        checked = uploads.upload_check(upload=upload, max_bytes=settings.DOCUMENT_MAX_BYTES)
    except uploads.UploadRefused as exc:
        raise InternshipError(problem("bad_file", str(exc))) from None
    finally:
        upload.seek(0)
    return checked.content_type

"""The one place this app touches uploads: the project's private storage (no URL, random names) and
its file checks (size limit, content sniffed from the first bytes, not the name)."""
from django.conf import settings
from django.utils.translation import gettext as _

from internships.services import InternshipError, problem


def private_storage():
    from applications.storage import PrivateStorage

    return PrivateStorage()


def upload_check(upload) -> str:
    """The sniffed content type of an upload (PDF, JPEG, PNG), or InternshipError."""
    from applications.student.documents import sniff_content_type

    if upload is None:
        raise InternshipError(problem("no_file", _("Choose a file.")))
    if upload.size > settings.DOCUMENT_MAX_BYTES:
        raise InternshipError(problem("file_too_large", _("The file is too large.")))
    content_type = sniff_content_type(upload.read(16))
    upload.seek(0)
    if content_type is None:
        raise InternshipError(problem("bad_file_type", _("Only PDF, JPEG or PNG files are accepted.")))
    return content_type

"""The one way a file reaches the portal and leaves it again.

Every kind of upload (bonus documents, acceptance letters, appeal attachments, force-majeure
documents) goes through `upload_check` (type from the first bytes, size, PDF safety), is stored by
`upload_store` under a random name in private storage (PRIVATE_MEDIA_ROOT, which has no URL), and
is served only by `private_file_response`, called from a view that has checked permission first.
A file replaced by a newer one is deleted at once (`upload_delete`): the audit trail keeps who
uploaded what and when, never the old file itself.
"""
from mobility.uploads.checks import CheckedUpload, UploadRefused, upload_check
from mobility.uploads.pdf import PdfRefused, pdf_check
from mobility.uploads.responses import private_file_response
from mobility.uploads.storage import PrivateStorage, private_storage, upload_delete, upload_store

__all__ = [
    "CheckedUpload", "PdfRefused", "PrivateStorage", "UploadRefused", "pdf_check", "private_file_response",
    "private_storage", "upload_check", "upload_delete", "upload_store",
]

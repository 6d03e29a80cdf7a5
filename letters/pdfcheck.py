"""The acceptance letter's size limit; the PDF check itself is the portal's one (mobility.uploads)."""
from mobility.uploads.pdf import PdfRefused, pdf_check

MAX_BYTES = 10 * 1024 * 1024

__all__ = ["MAX_BYTES", "PdfRefused", "pdf_check"]

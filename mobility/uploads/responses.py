"""Serving a private file: only after the calling view has checked permission, never inline."""
from django.http import FileResponse, Http404

from mobility.uploads.checks import EXTENSIONS, sniff_content_type


def private_file_response(field_file, *, filename: str, content_type: str | None = None) -> FileResponse:
    """The file as a download: attachment, no sniffing, never cached by a browser or proxy.

    `field_file` is a FieldFile (or None/empty: 404). The content type is the one sniffed at upload
    (or sniffed again now); `filename` gets the matching extension.
    """
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    if content_type is None:
        content_type = sniff_content_type(handle.read(16)) or "application/octet-stream"
        handle.seek(0)
    extension = EXTENSIONS.get(content_type)
    if extension and not filename.endswith(f".{extension}"):
        filename = f"{filename}.{extension}"
    response = FileResponse(handle, content_type=content_type, as_attachment=True, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response

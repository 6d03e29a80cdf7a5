"""Private storage: files under PRIVATE_MEDIA_ROOT, with no URL, under random names."""
import os
import secrets

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """FileSystemStorage under PRIVATE_MEDIA_ROOT (read when used, so tests can move it); no URL."""

    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None

    def url(self, name):
        raise ValueError("private files have no URL; serve them through a permission-checked view")

    def deconstruct(self):
        return ("mobility.uploads.storage.PrivateStorage", (), {})


def private_storage() -> PrivateStorage:
    """The storage of every uploaded file (a callable, so migrations do not freeze a path)."""
    return PrivateStorage()


def random_name(folder: str, extension: str = "") -> str:
    """`folder/<32 random hex>[.ext]`: nothing of the student's file name or number reaches the disk."""
    return f"{folder}/{secrets.token_hex(16)}{'.' + extension if extension else ''}"


def upload_store(*, content, folder: str) -> str:
    """Write checked bytes (or a file of them) to private storage under a random name; returns the name."""
    if not isinstance(content, bytes):
        content = content.read()
    return private_storage().save(random_name(folder), ContentFile(content))


def upload_delete(name: str | None) -> None:
    """Delete a stored file (a replaced or orphaned upload); a missing file is not an error."""
    if name:
        private_storage().delete(name)

"""Students' documents live outside the web root and are served only through permission-checked views."""
import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """FileSystemStorage under PRIVATE_MEDIA_ROOT, with no URL: nothing serves these files directly."""

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
        raise ValueError("private documents have no URL; use the document download view")

    def deconstruct(self):
        return ("applications.storage.PrivateStorage", (), {})

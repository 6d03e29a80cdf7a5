"""Moving files that earlier versions kept in the public media root into private storage.

Used by the data migrations of the apps whose FileFields moved (letters, appeals): each stored
file is copied under a random name into PRIVATE_MEDIA_ROOT, the row points to the copy, and the
public file is deleted. A row whose file is missing keeps its name (nothing can serve it anyway).
"""
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage

from mobility.uploads.storage import private_storage, random_name


def move_to_private(apps, app_label: str, model_name: str, field: str, folder: str) -> None:

    model = apps.get_model(app_label, model_name)
    public = FileSystemStorage(location=settings.MEDIA_ROOT)
    private = private_storage()
    for row in model.objects.exclude(**{field: ""}).exclude(**{f"{field}__isnull": True}).iterator():
        name = str(getattr(row, field))
        if private.exists(name) or not public.exists(name):
            continue
        with public.open(name, "rb") as handle:
            stored = private.save(random_name(folder), ContentFile(handle.read()))
        model.objects.filter(pk=row.pk).update(**{field: stored})
        public.delete(name)

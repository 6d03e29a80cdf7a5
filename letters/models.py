from django.db import models  # noqa: F401 — acceptance letters come with their own issue

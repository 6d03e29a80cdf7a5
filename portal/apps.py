from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The composition layer: pages and receivers that read several apps. Nothing imports it."""

    name = "portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        # Registering the publication receivers needs the models loaded, so not at import time.
        from portal import receivers  # noqa: F401 — imported for its side effect: registers the receivers

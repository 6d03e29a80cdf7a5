from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TraineeshipsConfig(AppConfig):
    """After the letter: the Learning Agreement, the certificate and final grant, reporting to the EU.

    Above `letters` in the layers: it may import mobility, applications, selection and letters;
    none of them imports it.
    """

    name = "traineeships"
    verbose_name = _("Traineeships after the letter")

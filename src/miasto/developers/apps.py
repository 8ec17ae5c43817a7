from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DevelopersConfig(AppConfig):
    """``/dla-deweloperow/``: the developer portal and third parties' API keys (screens)."""

    name = "miasto.developers"
    label = "developers"
    verbose_name = _("Developers")

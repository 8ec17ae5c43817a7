from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WfsConfig(AppConfig):
    """``/wfs``: the feature collections as a WFS 2.0 service (screens)."""

    name = "miasto.wfs"
    label = "wfs"
    verbose_name = _("WFS 2.0")

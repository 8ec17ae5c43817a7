from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoCityConfig(AppConfig):
    name = "miasto.democity"
    label = "democity"
    verbose_name = _("Demo city")

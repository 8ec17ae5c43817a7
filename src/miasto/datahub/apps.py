from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DataHubConfig(AppConfig):
    name = "miasto.datahub"
    label = "datahub"
    verbose_name = _("Data hub")

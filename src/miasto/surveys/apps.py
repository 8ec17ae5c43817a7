from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "miasto.surveys"
    label = "surveys"
    verbose_name = _("Map surveys")

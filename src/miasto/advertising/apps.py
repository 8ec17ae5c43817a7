from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdvertisingConfig(AppConfig):
    name = "miasto.advertising"
    label = "advertising"
    verbose_name = _("Advertising and landscape")

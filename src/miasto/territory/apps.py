from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TerritoryConfig(AppConfig):
    name = "miasto.territory"
    label = "territory"
    verbose_name = _("City spine")

    def ready(self) -> None:
        from django.core.checks import register

        from miasto.territory.service_kinds import service_kinds_check

        register(service_kinds_check)

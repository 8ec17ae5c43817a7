from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "miasto.planning"
    label = "planning"
    verbose_name = _("Spatial planning")

    def ready(self) -> None:
        from django.core.checks import register

        from miasto.planning.checks import app_schema_check

        register(app_schema_check)

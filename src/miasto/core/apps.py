from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "miasto.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate

        from miasto.core import audit, db, models, roles

        connection_created.connect(db.warm_up_connection, dispatch_uid="miasto-warm-up")
        audit.connect_signals()
        audit.audited(models.AnswerTemplate)
        post_migrate.connect(roles.roles_sync_on_migrate, dispatch_uid="miasto-roles-sync")
        # their periodic tasks (pruning the rate-limit counters, delivering webhooks) and the
        # webhooks' event listener register on import
        import miasto.core.apikeys  # noqa: F401
        import miasto.core.throttle  # noqa: F401
        import miasto.core.webhooks  # noqa: F401

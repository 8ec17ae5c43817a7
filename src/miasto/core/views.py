"""Health check: ``GET /healthz``."""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse

from miasto import __version__
from miasto.core.db import fetch_value

_migrations_ok = False


def _pending_migrations() -> list[str]:
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{m.app_label}.{m.name}" for m, _backwards in plan]


def healthz(request: HttpRequest) -> JsonResponse:
    global _migrations_ok
    body: dict[str, object] = {"status": "ok", "version": __version__}
    try:
        body["postgis"] = fetch_value("SELECT postgis_lib_version()")
    except Exception as exc:  # noqa: BLE001 — any database failure means "unavailable"
        return JsonResponse(
            {
                "status": "unavailable",
                "message": (
                    "Baza danych nie odpowiada. Sprawdź, czy PostgreSQL działa i DATABASE_URL."
                ),
                "detail": exc.__class__.__name__,
            },
            status=503,
        )
    if not _migrations_ok:
        pending = _pending_migrations()
        if pending:
            return JsonResponse(
                {
                    "status": "unavailable",
                    "message": "Baza danych nie jest zaktualizowana: uruchom „miasto migrate”.",
                    "pending_migrations": pending[:20],
                },
                status=503,
            )
        _migrations_ok = True
    body["database"] = "ok"
    body["migrations"] = "ok"
    return JsonResponse(body)

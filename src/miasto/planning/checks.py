"""System checks of the planning app: the packaged APP schema must load (``miasto check``)."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error

from miasto.planning import xsd


def app_schema_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """A missing or broken schema folder is a broken installation: say so before a planner's
    upload fails (building it takes a few hundredths of a second)."""
    try:
        xsd.build_app_schema()
    except xsd.SchemaUnavailable as exc:
        return [
            Error(
                f"APP 2.0 XSD validation is unavailable: {exc}",
                hint="Reinstall Miasto: the schemas are package data of miasto.planning "
                "(src/miasto/planning/schemas/).",
                id="planning.E001",
            )
        ]
    return []

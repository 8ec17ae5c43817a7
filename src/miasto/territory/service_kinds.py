"""Kinds of public services: the built-in ones (:class:`PublicService.Kind`) and those a
municipality adds by configuration, without a migration.

Municipal accessibility standards (art. 13f of the planning act) may measure access to
services Miasto does not know out of the box — a police station, a fire brigade post…
Such kinds are configured in the setting ``MIASTO_SERVICE_KINDS_EXTRA`` (environment variable
of the same name: a JSON object ``{"code": "Polish label"}``, e.g.
``{"police": "posterunek policji", "fire_brigade": "posterunek straży pożarnej"}``). A
service's ``kind`` is validated against built-in ∪ configured kinds (the column has no fixed
choices), and the configuration is checked at start-up (``territory.E001``).
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.checks import Error
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

#: a kind's code: lower-case letters, digits and underscores, at most 30 characters
CODE = re.compile(r"^[a-z][a-z0-9_]{0,29}$")


class BuiltinServiceKind(models.TextChoices):
    """The kinds Miasto knows out of the box (``PublicService.Kind``)."""

    PRIMARY_SCHOOL = "primary_school", _("primary school")
    SECONDARY_SCHOOL = "secondary_school", _("secondary school")
    KINDERGARTEN = "kindergarten", _("kindergarten")
    NURSERY = "nursery", _("nursery")
    CLINIC = "clinic", _("clinic")
    HOSPITAL = "hospital", _("hospital")
    LIBRARY = "library", _("library")
    CULTURE = "culture", _("culture centre")
    SPORTS = "sports", _("sports facility")
    GREEN = "green", _("public green area")
    TRANSIT_STOP = "transit_stop", _("public transport stop")
    SHOP = "shop", _("grocery shop")
    PHARMACY = "pharmacy", _("pharmacy")
    POST = "post", _("post office")
    SOCIAL = "social", _("social services")
    OFFICE = "office", _("municipal office")


def _builtin() -> dict[str, Any]:
    return dict(BuiltinServiceKind.choices)


def _extra() -> dict[str, str]:
    extra = getattr(settings, "MIASTO_SERVICE_KINDS_EXTRA", None) or {}
    return dict(extra) if isinstance(extra, dict) else {}


def service_kind_problems() -> list[str]:
    """What is wrong with the configured kinds (empty: nothing)."""
    extra = getattr(settings, "MIASTO_SERVICE_KINDS_EXTRA", None) or {}
    if not isinstance(extra, dict):
        return ["MIASTO_SERVICE_KINDS_EXTRA must be a JSON object {code: label}"]
    builtin = _builtin()
    problems = []
    for code, label in extra.items():
        if not isinstance(code, str) or not CODE.match(code):
            problems.append(
                f"{code!r}: a kind's code is lower-case letters, digits and _, at most 30"
            )
        elif code in builtin:
            problems.append(f"{code!r} is a built-in kind already")
        if not isinstance(label, str) or not label.strip():
            problems.append(f"{code!r}: the label must be a non-empty text")
    return problems


def service_kinds() -> dict[str, str]:
    """Every kind (code → label, in the active language for the built-in ones): the built-in
    kinds, then the valid configured ones."""
    kinds = {code: str(label) for code, label in _builtin().items()}
    if not service_kind_problems():
        kinds.update({code: label.strip() for code, label in _extra().items()})
    return kinds


def service_kind_codes() -> tuple[str, ...]:
    """The codes of every kind (no translation: safe while modules load)."""
    extra = () if service_kind_problems() else tuple(_extra())
    return (*_builtin(), *extra)


def service_kind_label(code: str) -> str:
    """The label of a kind; the code itself for a kind no longer configured."""
    return service_kinds().get(code, code)


def validate_service_kind(value: str) -> None:
    """The validator of ``PublicService.kind`` and of a standard's service kinds."""
    if value not in service_kind_codes():
        raise ValidationError(
            _("Unknown kind of public service: %(kind)s. Known kinds: %(known)s."),
            code="invalid_choice",
            params={"kind": value, "known": ", ".join(service_kind_codes())},
        )


def service_kinds_check(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """System check: the configured kinds are valid."""
    return [
        Error(problem, hint="See miasto.territory.service_kinds.", id="territory.E001")
        for problem in service_kind_problems()
    ]

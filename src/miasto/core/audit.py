"""Audit log: who created, changed or deleted which domain object, when, and how.

Domain models opt in with the :func:`audited` class decorator. Every save and delete made
through the ORM (web, API, admin, services, CLI) then writes an
:class:`~miasto.core.models.AuditEntry` with the values before and after. The acting user
comes from :data:`current_actor`, set by
:class:`AuditActorMiddleware` for requests and by :func:`acting_as` elsewhere (CLI, jobs).

Bulk loads (the demo city generator, data hub imports) bypass model signals on purpose; they
record one summary entry with :func:`audit_record_bulk`.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.contrib.gis.geos import GEOSGeometry
from django.db import models
from django.db.models.signals import post_delete, post_save, pre_save
from django.http import HttpRequest, HttpResponse

_AUDITED: set[type[models.Model]] = set()
GEOMETRY_TEXT_LIMIT = 20_000


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    username: str
    source: str  # web | api | admin | cli | system


SYSTEM = Actor(None, "system", "system")
current_actor: contextvars.ContextVar[Actor] = contextvars.ContextVar(
    "miasto_actor", default=SYSTEM
)


def audited(model: type[models.Model]) -> type[models.Model]:
    """Class decorator: record every change of this model in the audit log."""
    _AUDITED.add(model)
    return model


def is_audited(model: type[models.Model]) -> bool:
    return model in _AUDITED


@contextmanager
def acting_as(user: Any = None, source: str = "cli") -> Iterator[Actor]:
    actor = Actor(getattr(user, "pk", None), getattr(user, "username", None) or source, source)
    token = current_actor.set(actor)
    try:
        yield actor
    finally:
        current_actor.reset(token)


def _source_for(path: str) -> str:
    if path.startswith("/admin/"):
        return "admin"
    if path.startswith("/api/"):
        return "api"
    return "web"


class AuditActorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        authenticated = user is not None and user.is_authenticated
        actor = Actor(
            user.pk if user is not None and authenticated else None,
            user.get_username() if user is not None and authenticated else "anonymous",
            _source_for(request.path),
        )
        token = current_actor.set(actor)
        try:
            return self.get_response(request)
        finally:
            current_actor.reset(token)


#: larger coordinates are in no system a place on Earth has (metres or degrees)
MAX_COORDINATE = 1e9


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, GEOSGeometry):
        # (GEOS's WKT writer overruns its buffer on absurd coordinates such as 1e308: a
        # geometry that could never be a place is summarised, never written as text)
        absurd = not value.empty and max(abs(c) for c in value.extent) > MAX_COORDINATE
        text = "" if absurd else value.ewkt
        if absurd or len(text) > GEOMETRY_TEXT_LIMIT:
            return {
                "geometry": value.geom_type,
                "points": value.num_coords,
                "area": round(value.area, 2),
                "srid": value.srid,
            }
        return text
    if isinstance(value, dict | list):
        return value
    return str(value)


def snapshot(instance: models.Model) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        data[field.attname] = _jsonable(getattr(instance, field.attname))
    return data


def _diff(before: dict[str, Any] | None, after: dict[str, Any] | None) -> dict[str, Any]:
    before = before or {}
    after = after or {}
    keys = sorted(set(before) | set(after))
    return {
        k: {"before": before.get(k), "after": after.get(k)}
        for k in keys
        if before.get(k) != after.get(k)
    }


def _write(instance: models.Model, action: str, changes: dict[str, Any]) -> None:
    from miasto.core.models import AuditEntry

    actor = current_actor.get()
    AuditEntry.objects.create(
        model=instance._meta.label_lower,
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        action=action,
        actor_id=actor.user_id,
        actor_name=actor.username[:150],
        source=actor.source,
        changes=changes,
    )


def _pre_save(sender: type[models.Model], instance: models.Model, raw: bool, **kw: Any) -> None:
    if raw or sender not in _AUDITED:
        return
    before = None
    if instance.pk is not None and not instance._state.adding:
        old = sender._default_manager.filter(pk=instance.pk).first()
        before = snapshot(old) if old is not None else None
    instance._audit_before = before  # type: ignore[attr-defined]


def _post_save(
    sender: type[models.Model], instance: models.Model, created: bool, raw: bool, **kw: Any
) -> None:
    if raw or sender not in _AUDITED:
        return
    before = getattr(instance, "_audit_before", None)
    changes = _diff(before, snapshot(instance))
    if not created and not changes:
        return
    _write(instance, "create" if created else "update", changes)


def _post_delete(sender: type[models.Model], instance: models.Model, **kw: Any) -> None:
    if sender not in _AUDITED:
        return
    _write(instance, "delete", _diff(snapshot(instance), None))


def audit_record_bulk(*, model: type[models.Model], action: str, count: int, note: str) -> None:
    """One summary entry for a bulk load that bypassed per-row signals."""
    from miasto.core.models import AuditEntry

    actor = current_actor.get()
    AuditEntry.objects.create(
        model=model._meta.label_lower,
        object_id="*",
        object_repr=note[:200],
        action=action,
        actor_id=actor.user_id,
        actor_name=actor.username[:150],
        source=actor.source,
        changes={"count": count},
    )


def connect_signals() -> None:
    pre_save.connect(_pre_save, dispatch_uid="miasto-audit-pre-save")
    post_save.connect(_post_save, dispatch_uid="miasto-audit-post-save")
    post_delete.connect(_post_delete, dispatch_uid="miasto-audit-post-delete")

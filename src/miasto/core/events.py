"""Events modules publish, and who hears them: one registry for notifications.

A module declares the **topics** it publishes in its ``events.py`` (a title, and which
subjects — e.g. datasets by slug — anyone may follow) and calls :func:`emit` when something
happens (a dataset's new version, later a consultation, a plan's status). :func:`emit` waits
for the transaction to commit, then hands the :class:`Event` to every **listener**: the
webhooks (:mod:`miasto.core.webhooks`) now, area alerts and feeds later — a new kind of
notification is one more listener, a new source one more topic.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from miasto.core.registry import Registry

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Topic:
    """What a module publishes. ``subjects()`` lists what anyone may follow as (key, label);
    ``is_public(key)`` says whether one subject may be followed now."""

    key: str
    title: Any
    subjects: Callable[[], list[tuple[str, str]]]
    is_public: Callable[[str], bool]


@dataclass(frozen=True)
class Event:
    topic: str
    subject: str
    data: dict[str, Any]
    at: Any = field(default_factory=timezone.now)
    #: where it happened (a GEOSGeometry in EPSG:2180), for area alerts; None: nowhere in
    #: particular (then only those who follow the subject hear of it)
    geometry: Any = None


topic_registry: Registry[Topic] = Registry("event topics", "events")
listener_registry: Registry[Callable[[Event], None]] = Registry("event listeners", "events")


def emit(topic: str, subject: str, data: dict[str, Any], *, geometry: Any = None) -> None:
    """Publish an event once the current transaction commits (at once outside one).

    ``data`` is JSON-ready and public (webhooks send it as it is): never personal data.
    """
    if topic not in topic_registry:
        raise ValueError(f"unknown event topic {topic!r}")
    event = Event(topic, subject, data, geometry=geometry)
    transaction.on_commit(lambda: _deliver(event))


def _deliver(event: Event) -> None:
    for listener in listener_registry:
        try:
            listener(event)
        except Exception:  # one listener's failure must not stop the others nor the caller
            log.exception("event listener failed on %s/%s", event.topic, event.subject)

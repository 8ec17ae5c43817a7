"""Area alerts as a listener of :mod:`miasto.core.events`.

Any module's event that has a geometry (EPSG:2180) is matched against every subscription in
one set-based statement (``alerts/sql/match.sql``: ``ST_Intersects`` over the GiST index of
the stored areas, the topic filter, ``INSERT … SELECT`` of one notification per person). An
event without a geometry reaches no area alert. Matching never runs in the request that
emitted the event: the listener only queues the background job ``alerts.match`` with the
event (:mod:`miasto.alerts.jobs` runs it, and sends the e-mails later).
"""

from __future__ import annotations

import json
import logging
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

from miasto.core.db import execute, load_sql
from miasto.core.events import Event, listener_registry, topic_registry
from miasto.core.jobs import job_enqueue

log = logging.getLogger(__name__)

#: lengths of the notification's columns
TITLE_MAX, URL_MAX, SUBJECT_MAX = 300, 500, 200


def _text(value: object, limit: int) -> str:
    return str(value or "")[:limit]


def alerts_match(event: Event) -> int:
    """Write the notifications of ``event``; how many people it reached."""
    geometry = event.geometry
    if not _concerns_areas(event):
        return 0
    if geometry.srid is None:
        raise ValueError(f"event {event.topic}/{event.subject}: a geometry without a CRS")
    params = {
        "topic": event.topic,
        "subject": _text(event.subject, SUBJECT_MAX),
        "title": _text(event.data.get("title") or event.subject, TITLE_MAX),
        "url": _text(event.data.get("url"), URL_MAX),
        "data": json.dumps(event.data, cls=DjangoJSONEncoder),
        "at": event.at,
        "geom": bytes(_storage(geometry).ewkb),
    }
    with transaction.atomic():
        return execute(load_sql("miasto.alerts", "match"), params)


def _storage(geometry: GEOSGeometry) -> GEOSGeometry:
    """The event's geometry in the storage CRS (modules should emit it so already)."""
    if geometry.srid != settings.MIASTO_SRID:
        return geometry.transform(settings.MIASTO_SRID, clone=True)
    return geometry


MATCH_JOB = "alerts.match"


def event_payload(event: Event) -> dict[str, Any]:
    """``event`` as a job's JSON payload (the geometry as hex EWKB in the storage CRS)."""
    return {
        "topic": event.topic,
        "subject": event.subject,
        "data": json.dumps(event.data, cls=DjangoJSONEncoder),
        "at": event.at.isoformat(),
        "geometry": _storage(event.geometry).hexewkb.decode(),
    }


def event_from_payload(payload: dict[str, Any]) -> Event:
    return Event(
        payload["topic"],
        payload["subject"],
        json.loads(payload["data"]),
        at=datetime.fromisoformat(payload["at"]),
        geometry=GEOSGeometry(payload["geometry"]),
    )


def _concerns_areas(event: Event) -> bool:
    geometry = event.geometry
    if geometry is None or geometry.empty:
        return False
    topic = topic_registry.get(event.topic)
    return topic is not None and topic.is_public(event.subject)


def on_event(event: Event) -> None:
    """Queue the matching of ``event`` (the emitting request pays for one small insert)."""
    if _concerns_areas(event):
        job_enqueue(kind=MATCH_JOB, payload=event_payload(event))


listener_registry.register("alerts", on_event)

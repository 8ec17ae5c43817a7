"""Area alerts as a listener of :mod:`miasto.core.events`.

Any module's event that has a geometry (EPSG:2180) is matched against every subscription in
one set-based statement (``alerts/sql/match.sql``: ``ST_Intersects`` over the GiST index of
the stored areas, the topic filter, ``INSERT … SELECT`` of one notification per person). An
event without a geometry reaches no area alert. E-mails are not sent here: the request that
emitted the event only pays for the insert; :mod:`miasto.alerts.jobs` sends them.
"""

from __future__ import annotations

import json
import logging

from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

from miasto.core.db import execute, load_sql
from miasto.core.events import Event, listener_registry, topic_registry

log = logging.getLogger(__name__)

#: lengths of the notification's columns
TITLE_MAX, URL_MAX, SUBJECT_MAX = 300, 500, 200


def _text(value: object, limit: int) -> str:
    return str(value or "")[:limit]


def alerts_match(event: Event) -> int:
    """Write the notifications of ``event``; how many people it reached."""
    geometry = event.geometry
    if geometry is None or geometry.empty:
        return 0
    topic = topic_registry.get(event.topic)
    if topic is None or not topic.is_public(event.subject):
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


def on_event(event: Event) -> None:
    reached = alerts_match(event)
    if reached:
        log.info("event %s/%s reached %d people", event.topic, event.subject, reached)


listener_registry.register("alerts", on_event)

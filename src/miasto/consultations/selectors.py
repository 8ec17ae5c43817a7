"""Reads of the consultations module: what the public sees (never personal data), the staff's
queues, and the rows of the summary report."""

from __future__ import annotations

import json
from typing import Any

from django.db.models import Count, Q, QuerySet

from miasto.consultations.config import FORMS
from miasto.consultations.lifecycle import PUBLIC_STATUSES
from miasto.consultations.models import Comment, Consultation, Moderation, Status
from miasto.consultations.moderation import KIND
from miasto.core.acts import act_resolve
from miasto.core.db import fetch_value
from miasto.core.moderation import open_reports

#: fields of a comment anyone may see (no author, no e-mail, no address)
PUBLIC_COMMENT_FIELDS = (
    "id", "number", "text", "category", "part_label", "parcel", "received_on", "channel",
    "moderation", "hidden_reason", "handling", "justification",
)  # fmt: skip


def public_consultations() -> QuerySet[Consultation]:
    return Consultation.objects.filter(status__in=PUBLIC_STATUSES).annotate(
        published=Count("comments", filter=Q(comments__moderation=Moderation.PUBLISHED))
    )


def visible_consultations(staff: bool) -> QuerySet[Consultation]:
    """What a list shows: the public ones, and drafts too for the consultation staff."""
    rows = (
        Consultation.objects.all()
        if staff
        else Consultation.objects.filter(status__in=PUBLIC_STATUSES)
    )
    return rows.annotate(
        published=Count("comments", filter=Q(comments__moderation=Moderation.PUBLISHED)),
        total=Count("comments"),
        waiting=Count("comments", filter=Q(comments__handling="")),
    )


def public_consultation(pk: int) -> Consultation | None:
    return public_consultations().filter(pk=pk).first()


def forms_labels(consultation: Consultation) -> list[str]:
    return [str(FORMS[f][1]) for f in consultation.forms if f in FORMS]


def act_info(consultation: Consultation) -> dict[str, Any] | None:
    """The act consulted on: its kind, title and page, or None for an area."""
    resolved = act_resolve(consultation.act) if consultation.act else None
    if resolved is None:
        return {"title": consultation.act_title, "url": None} if consultation.act_title else None
    kind, act_id = resolved
    return {"kind": str(kind.label), "title": kind.title(act_id), "url": kind.url(act_id)}


def act_parts(consultation: Consultation) -> list[Any]:
    resolved = act_resolve(consultation.act) if consultation.act else None
    return resolved[0].parts(resolved[1]) if resolved else []


def public_comments(consultation: Consultation) -> QuerySet[Comment]:
    """Published and hidden comments (a hidden one shows its reason instead of its text)."""
    return (
        consultation.comments.exclude(moderation=Moderation.PENDING)
        .only(*PUBLIC_COMMENT_FIELDS, "consultation_id")
        .order_by("number")
    )


COMMENTS_GEOJSON = """
SELECT json_build_object(
    'type', 'FeatureCollection',
    'features', COALESCE(json_agg(json_build_object(
        'type', 'Feature',
        'id', t.number,
        'geometry', ST_AsGeoJSON(ST_Transform(t.geom, 4326), 7)::json,
        'properties', json_build_object(
            'number', t.number, 'received_on', t.received_on, 'category', t.category,
            'part', NULLIF(t.part_label, ''), 'parcel', NULLIF(t.parcel, ''), 'text', t.text,
            'handling', NULLIF(t.handling, ''), 'justification', NULLIF(t.justification, ''))
    ) ORDER BY t.number), '[]'::json))::text
FROM consultations_comment t
WHERE t.consultation_id = %s AND t.moderation = 'published'
"""


def comments_geojson(consultation_id: int) -> str:
    """The published comments as GeoJSON (CRS84) text, in one statement."""
    return str(fetch_value(COMMENTS_GEOJSON, [consultation_id]))


PARTS_GEOJSON_LIMIT = 2000


def parts_geojson(consultation: Consultation) -> str:
    """The act's parts (zones) and the consultation's area, as GeoJSON in CRS84."""
    features = []
    if consultation.area is not None:
        area = consultation.area.transform(4326, clone=True)
        features.append(
            {"type": "Feature", "geometry": json.loads(area.json), "properties": {"kind": "area"}}
        )
    for part in act_parts(consultation)[:PARTS_GEOJSON_LIMIT]:
        geom = part.geometry.transform(4326, clone=True)
        features.append(
            {
                "type": "Feature",
                "geometry": json.loads(geom.json),
                "properties": {"kind": "part", "key": part.key, "label": part.label},
            }
        )
    return json.dumps({"type": "FeatureCollection", "features": features})


def moderation_queue() -> QuerySet[Comment]:
    """Comments waiting for moderation, and published ones somebody reported."""
    reported = [int(i) for i in open_reports(KIND).values_list("object_id", flat=True)]
    return (
        Comment.objects.filter(Q(moderation=Moderation.PENDING) | Q(pk__in=reported))
        .exclude(consultation__status=Status.REPORT_PUBLISHED)
        .select_related("consultation")
        .order_by("created_at", "pk")
    )


def report_rows(consultation: Consultation) -> list[dict[str, Any]]:
    """Every comment of the consultation for the summary report (no personal data); a hidden
    comment is listed with the moderator's reason in place of its text."""
    rows: list[dict[str, Any]] = []
    for c in consultation.comments.order_by("number").values(
        "number", "received_on", "channel", "category", "part_label", "parcel", "text",
        "moderation", "hidden_reason", "handling", "justification",
    ):  # fmt: skip
        rows.append(dict(c))
    return rows

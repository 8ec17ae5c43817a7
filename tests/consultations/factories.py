"""Consultation test data: a draft local plan inside the test city, consultations in every
phase, comments (built through the services, as people make them)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import shapely
from django.contrib.gis.geos import Point
from django.utils import timezone

from miasto.consultations.models import Comment, Consultation, Status
from miasto.consultations.services import Author, CommentInput, Setup
from tests.territory import factories as tf

#: the law's minimum combination (art. 8i ust. 2)
MINIMUM_FORMS = ["comments", "meeting", "study_walk"]
#: inside the test city (tests.territory.factories.city_square), away from the parcel grid
PLAN_X, PLAN_Y = tf.CENTRE_X + 1_000, tf.CENTRE_Y + 1_000


def draft_plan() -> Any:
    from miasto.planning.services import plan_create, plan_set_zones
    from miasto.planning.validation import ZoneInput

    box = shapely.box(PLAN_X, PLAN_Y, PLAN_X + 200, PLAN_Y + 100)
    plan = plan_create(kind="mpzp", title="Plan konsultowany", local_id="K1MPZP", geom=box)
    plan_set_zones(
        plan=plan,
        zones=[
            ZoneInput(
                local_id="K1MPZP-1MN", designation="1MN", category="plan_area",
                params={"max_intensity": Decimal("0.6")},
                geom=shapely.box(PLAN_X, PLAN_Y, PLAN_X + 150, PLAN_Y + 100),
            ),
            ZoneInput(
                local_id="K1MPZP-1KD", designation="1KD-L", category="plan_area", params={},
                geom=shapely.box(PLAN_X + 150, PLAN_Y, PLAN_X + 200, PLAN_Y + 100),
            ),
        ],
    )  # fmt: skip
    return plan


def setup_for(plan: Any, *, start: dt.date | None = None, days: int = 21, **kw: Any) -> Setup:
    first = start or timezone.localdate()
    return Setup(
        title=kw.pop("title", "Konsultacje planu K1MPZP"),
        starts_on=first,
        ends_on=first + dt.timedelta(days=days - 1),
        forms=kw.pop("forms", MINIMUM_FORMS),
        act=kw.pop("act", f"plan:{plan.pk}"),
        summary="Projekt planu dla osiedla.",
        **kw,
    )


def make_consultation(plan: Any, status: str = Status.OPEN, **kw: Any) -> Consultation:
    """A consultation in ``status``, its dates put so that the status is lawful today."""
    today = timezone.localdate()
    if status in (Status.CLOSED, Status.REPORT_PUBLISHED):
        start = today - dt.timedelta(days=30)
    elif status == Status.OPEN:
        start = today - dt.timedelta(days=2)
    else:
        start = today + dt.timedelta(days=3)
    setup = setup_for(plan, start=start, **kw)
    c = Consultation.objects.create(
        title=setup.title, starts_on=setup.starts_on, ends_on=setup.ends_on,
        forms=setup.forms, act=setup.act, act_title="Projekt planu: K1MPZP", summary=setup.summary,
        area=plan.geom, status=status,
        announced_on=None if status == Status.DRAFT else setup.starts_on,
    )  # fmt: skip
    return c


def comment_input(**kw: Any) -> CommentInput:
    defaults: dict[str, Any] = {
        "text": "Proszę o zmniejszenie wysokości zabudowy.",
        "category": "building",
        "author": Author(name="Jan Kowalski", address="ul. Długa 5, 00-001 Miasto",
                         is_owner=True, email="jan@example.org"),
        "geom": Point(PLAN_X + 20, PLAN_Y + 20, srid=2180),
    }  # fmt: skip
    defaults.update(kw)
    return CommentInput(**defaults)


def add_comment(c: Consultation, number: int, **kw: Any) -> Comment:
    """A comment written straight to the table (for states a service would refuse now)."""
    defaults: dict[str, Any] = {
        "text": f"Uwaga numer {number}", "category": "greenery", "received_on": c.starts_on,
        "author_name": "Anna Nowak", "author_address": "ul. Krótka 1", "is_owner": False,
        "moderation": "published", "geom": Point(PLAN_X + 10, PLAN_Y + 10, srid=2180),
    }  # fmt: skip
    defaults.update(kw)
    return Comment.objects.create(consultation=c, number=number, **defaults)

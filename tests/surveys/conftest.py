"""Survey fixtures: the small city of the web tests (380 m square at x≈500 000, y≈380 000,
two districts) and a survey with a question of every type."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.gis.geos import GEOSGeometry

from tests.web.conftest import X0, Y0, build_small_city


def wgs84(geom: GEOSGeometry) -> dict[str, Any]:
    """A GEOS geometry in EPSG:2180 as a GeoJSON geometry in WGS 84."""
    out = geom.transform(4326, clone=True)
    return json.loads(out.geojson)


def collection(*geoms: GEOSGeometry, score: int | None = None) -> str:
    features = []
    for g in geoms:
        props = {"score": score} if score is not None else {}
        features.append({"type": "Feature", "geometry": wgs84(g), "properties": props})
    return json.dumps({"type": "FeatureCollection", "features": features})


def point(dx: float, dy: float) -> GEOSGeometry:
    return GEOSGeometry(f"POINT({X0 + dx} {Y0 + dy})", srid=2180)


def line(*pts: tuple[float, float]) -> GEOSGeometry:
    inner = ", ".join(f"{X0 + x} {Y0 + y}" for x, y in pts)
    return GEOSGeometry(f"LINESTRING({inner})", srid=2180)


def polygon(*pts: tuple[float, float]) -> GEOSGeometry:
    ring = [*pts, pts[0]]
    inner = ", ".join(f"{X0 + x} {Y0 + y}" for x, y in ring)
    return GEOSGeometry(f"POLYGON(({inner}))", srid=2180)


KINDS = ("single", "multiple", "text", "scale", "points", "lines", "areas", "rating")


def make_survey(**kw: Any) -> Any:
    """An open survey with one question of each kind (all optional unless told)."""
    from django.utils import timezone

    from miasto.surveys.models import Survey, SurveyStatus
    from miasto.surveys.services import QuestionInput, question_add

    survey = Survey.objects.create(
        title=kw.pop("title", "Ankieta testowa"),
        closes_at=timezone.now() + timedelta(days=7),
        **kw,
    )
    for kind in KINDS:
        options = ("tak", "nie", "nie wiem") if kind in ("single", "multiple") else ()
        question_add(
            survey,
            QuestionInput(kind, f"Pytanie {kind}", options=options, max_length=50, max_features=3),
        )
    Survey.objects.filter(pk=survey.pk).update(status=SurveyStatus.OPEN)
    survey.refresh_from_db()
    return survey


def questions(survey: Any) -> dict[str, Any]:
    return {q.kind: q for q in survey.questions.all()}


@pytest.fixture(autouse=True)
def _english() -> Any:
    """Messages are checked in the source language (the pages' Polish: test_pages)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def city(db):  # type: ignore[no-untyped-def]
    return build_small_city()


@pytest.fixture
def survey(city):  # type: ignore[no-untyped-def]
    return make_survey()


@pytest.fixture
def live_city(transactional_db):  # type: ignore[no-untyped-def]
    """The small city, committed, for the live server a browser talks to."""
    return build_small_city()

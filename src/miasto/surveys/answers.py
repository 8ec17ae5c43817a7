"""Server-side checking of one answer per question type.

What a browser sends is never trusted: a choice must be one of the question's options, a
text not longer than allowed, a scale value within the scale, and a map answer a GeoJSON of
the right geometry type (points, lines or polygons in WGS 84), valid, inside the city, not too
many and not too large. Each check returns the clean value or raises :class:`AnswerError`
with a sentence for the respondent.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.gis.gdal import GDALException
from django.contrib.gis.geos import GEOSException, GEOSGeometry
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from miasto.surveys.models import Question, QuestionKind

#: the most bytes of one map answer's GeoJSON
GEOJSON_MAX_BYTES = 100_000
#: the most vertices of one route or area
MAX_VERTICES = 500
#: GeoJSON geometry types accepted per map question
GEOMETRY_TYPES = {
    QuestionKind.POINTS: "Point",
    QuestionKind.RATING: "Point",
    QuestionKind.LINES: "LineString",
    QuestionKind.AREAS: "Polygon",
}


class AnswerError(ValueError):
    """An answer that cannot be taken; ``str()`` says why, in the respondent's language."""


@dataclass
class Clean:
    """A checked answer: ``choices``/``text``/``number`` or ``places`` (geometry, score)."""

    choices: list[int] = field(default_factory=list)
    text: str = ""
    number: int | None = None
    places: list[tuple[GEOSGeometry, int | None]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.choices or self.text or self.number is not None or self.places)


def check_answer(question: Question, raw: Any, city: GEOSGeometry | None) -> Clean:
    """Check ``raw`` (a string, or a list of strings for multiple choice) for ``question``."""
    if question.kind == QuestionKind.SINGLE:
        return Clean(choices=_choices(question, [raw] if raw not in (None, "") else [], 1))
    if question.kind == QuestionKind.MULTIPLE:
        values = raw if isinstance(raw, list) else ([raw] if raw not in (None, "") else [])
        return Clean(choices=_choices(question, values, len(question.options)))
    if question.kind == QuestionKind.TEXT:
        return Clean(text=_text(question, raw))
    if question.kind == QuestionKind.SCALE:
        return Clean(number=_scale(question, raw))
    return Clean(places=_places(question, raw, city))


def _choices(question: Question, values: list[Any], most: int) -> list[int]:
    picked: list[int] = []
    for value in values:
        text = str(value)
        index = int(text) if text.isascii() and text.isdigit() and len(text) < 5 else -1
        if not 0 <= index < len(question.options):
            raise AnswerError(_("Choose among the options given."))
        if index not in picked:
            picked.append(index)
    if len(picked) > most:
        raise AnswerError(_("Choose one option."))
    return sorted(picked)


def _text(question: Question, raw: Any) -> str:
    text = str(raw or "").strip()
    if "\x00" in text:
        raise AnswerError(_("The text contains characters that are not allowed."))
    if len(text) > question.max_length:
        raise AnswerError(
            ngettext(
                "The answer may be at most %(n)d character long.",
                "The answer may be at most %(n)d characters long.",
                question.max_length,
            )
            % {"n": question.max_length}
        )
    return text


def _scale(question: Question, raw: Any) -> int | None:
    if raw in (None, ""):
        return None
    text = str(raw).strip()
    value = int(text) if text.lstrip("-").isdigit() and text.isascii() else None
    if value is None or not question.scale_min <= value <= question.scale_max:
        raise AnswerError(
            _("Choose a value from %(lo)d to %(hi)d.")
            % {"lo": question.scale_min, "hi": question.scale_max}
        )
    return value


def _features(raw: Any) -> list[dict[str, Any]]:
    """The features of a GeoJSON FeatureCollection (or one Feature, or a bare geometry)."""
    text = str(raw or "").strip()
    if not text:
        return []
    if len(text.encode()) > GEOJSON_MAX_BYTES:
        raise AnswerError(_("The map answer is too large."))
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise AnswerError(_("The map answer could not be read; draw it again.")) from exc
    if isinstance(data, dict) and data.get("type") == "FeatureCollection":
        features = data.get("features")
    elif isinstance(data, dict) and data.get("type") == "Feature":
        features = [data]
    elif isinstance(data, dict) and "coordinates" in data:
        features = [{"type": "Feature", "geometry": data, "properties": {}}]
    else:
        features = None
    if not isinstance(features, list) or not all(isinstance(f, dict) for f in features):
        raise AnswerError(_("The map answer could not be read; draw it again."))
    return features


def _places(
    question: Question, raw: Any, city: GEOSGeometry | None
) -> list[tuple[GEOSGeometry, int | None]]:
    features = _features(raw)
    if len(features) > question.max_features:
        raise AnswerError(
            ngettext(
                "Mark at most %(n)d place.", "Mark at most %(n)d places.", question.max_features
            )
            % {"n": question.max_features}
        )
    return [_place(question, feature, city) for feature in features]


def _place(
    question: Question, feature: dict[str, Any], city: GEOSGeometry | None
) -> tuple[GEOSGeometry, int | None]:
    geometry = feature.get("geometry")
    expected = GEOMETRY_TYPES[QuestionKind(question.kind)]
    if not isinstance(geometry, dict) or geometry.get("type") != expected:
        raise AnswerError(_("This question takes another kind of shape on the map."))
    geom = _geometry(geometry)
    if geom.num_points > MAX_VERTICES:
        raise AnswerError(_("The shape has too many points; draw it more simply."))
    if expected == "LineString" and geom.length < 1:
        raise AnswerError(_("A route must have at least two different points."))
    if expected == "Polygon" and geom.area < 1:
        raise AnswerError(_("An area must enclose some ground."))
    if not geom.valid:
        raise AnswerError(
            _("The shape is not valid (e.g. its outline crosses itself); draw it again.")
        )
    if city is None or not city.covers(geom):
        raise AnswerError(_("Mark places inside the city."))
    score = None
    if question.kind == QuestionKind.RATING:
        properties = feature.get("properties") or {}
        score = _scale(question, properties.get("score") if isinstance(properties, dict) else None)
        if score is None:
            raise AnswerError(_("Give each place a rating."))
    return geom, score


def _geometry(geometry: dict[str, Any]) -> GEOSGeometry:
    """A GeoJSON geometry in WGS 84 (longitude, latitude) → GEOS in the storage CRS."""
    if not _finite(geometry.get("coordinates")):
        raise AnswerError(_("The map answer could not be read; draw it again."))
    try:
        geom = GEOSGeometry(
            json.dumps({"type": geometry["type"], "coordinates": geometry["coordinates"]}),
            srid=4326,
        )
        if geom.empty:
            raise AnswerError(_("The map answer could not be read; draw it again."))
        geom.transform(settings.MIASTO_SRID)
    except (GEOSException, GDALException, ValueError, TypeError) as exc:
        raise AnswerError(_("The map answer could not be read; draw it again.")) from exc
    return geom


def _finite(coords: Any, depth: int = 0) -> bool:
    """Nested lists of finite numbers (at most polygon depth), two or three per position."""
    if depth > 3 or not isinstance(coords, list) or not coords:
        return False
    if all(isinstance(c, int | float) and not isinstance(c, bool) for c in coords):
        return len(coords) in (2, 3) and all(math.isfinite(c) for c in coords)
    return all(_finite(c, depth + 1) for c in coords)

"""The demo city's map survey: "Spacerem po mieście" (walking in the city) with ordinary and
map questions, open for another month, and a few hundred answers generated from the spine
(places near the city's addresses, clustered around a few hot spots so that the heat map
shows something), deterministic for a seed; plus a draft survey for the builder."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib.gis.geos import GEOSGeometry, LineString, Point, Polygon
from django.db import transaction
from django.utils import timezone

from miasto.surveys.models import (
    Answer,
    Place,
    Question,
    QuestionKind,
    Response,
    Survey,
    SurveyStatus,
)
from miasto.surveys.services import QuestionInput, question_add, survey_transition
from miasto.territory.models import Address, City

DEMO_TITLE = "Spacerem po mieście — geoankieta o przestrzeniach publicznych"
DRAFT_TITLE = "Zieleń na osiedlach — projekt ankiety"
RESPONSES = 320
SRID = 2180


class NoCity(Exception):
    pass


@dataclass(frozen=True)
class DemoSurveysResult:
    surveys: int
    responses: int
    places: int
    skipped: bool = False

    def summary(self) -> str:
        if self.skipped:
            return f"ankiety demonstracyjne już są ({self.surveys})"
        return (
            f"ankiety: {self.surveys}, odpowiedzi: {self.responses}, "
            f"miejsca na mapie: {self.places}"
        )


QUESTIONS = (
    QuestionInput(QuestionKind.SINGLE, "Jak często chodzisz pieszo po mieście?", required=True,
                  options=("codziennie", "kilka razy w tygodniu", "rzadziej", "prawie nigdy")),
    QuestionInput(QuestionKind.MULTIPLE, "Co najbardziej chcesz zmienić w przestrzeni publicznej?",
                  help_text="Wybierz dowolnie wiele.",
                  options=("więcej zieleni", "szersze chodniki", "drogi rowerowe",
                           "oświetlenie", "ławki i miejsca odpoczynku", "mniej parkujących aut")),
    QuestionInput(QuestionKind.SCALE, "Jak oceniasz przestrzenie publiczne w swojej okolicy?",
                  help_text="1 — bardzo źle, 5 — bardzo dobrze.", required=True),
    QuestionInput(QuestionKind.POINTS, "Zaznacz miejsca, w których czujesz się niebezpiecznie.",
                  max_features=3),
    QuestionInput(QuestionKind.LINES, "Narysuj trasę, którą chodzisz najczęściej.",
                  max_features=2),
    QuestionInput(QuestionKind.AREAS, "Zaznacz teren, który powinien zostać zazieleniony.",
                  max_features=2),
    QuestionInput(QuestionKind.RATING, "Oceń miejsca, w których odpoczywasz.",
                  help_text="1 — bardzo źle, 5 — bardzo dobrze.", max_features=3),
    QuestionInput(QuestionKind.TEXT, "Co jeszcze chcesz nam powiedzieć?", max_length=1000),
)  # fmt: skip
COMMENTS = (
    "Brakuje przejścia dla pieszych przy szkole.",
    "Proszę o więcej drzew przy głównej ulicy.",
    "Chodniki są zastawione samochodami.",
    "Park jest za słabo oświetlony wieczorem.",
    "",
    "",
    "",
)


@dataclass
class Spots:
    """Address points of the city (EPSG:2180) and a few hot spots among them."""

    points: list[tuple[float, float]]
    hot: list[tuple[float, float]]
    city: Any  # a prepared GEOS geometry


def _spots(rng: random.Random, city: City) -> Spots:
    coords = [(a.geom.x, a.geom.y) for a in Address.objects.order_by("id").only("geom")[:20000]]
    if not coords:
        raise NoCity("Miasto demonstracyjne nie ma adresów — uruchom „miasto demo-city”.")
    sample = rng.sample(coords, min(len(coords), 3000))
    return Spots(sample, rng.sample(sample, min(5, len(sample))), city.geom.prepared)


def _near(rng: random.Random, spots: Spots, spread: float = 120.0) -> tuple[float, float]:
    """A point near a hot spot (60 %) or near any address, inside the city."""
    for _ in range(20):
        base = rng.choice(spots.hot) if rng.random() < 0.6 else rng.choice(spots.points)
        x, y = base[0] + rng.gauss(0, spread), base[1] + rng.gauss(0, spread)
        if spots.city.covers(Point(x, y, srid=SRID)):
            return x, y
    return rng.choice(spots.points)


def _shape(rng: random.Random, spots: Spots, kind: str) -> GEOSGeometry | None:
    x, y = _near(rng, spots)
    if kind in (QuestionKind.POINTS, QuestionKind.RATING):
        return Point(x, y, srid=SRID)
    if kind == QuestionKind.LINES:
        ex, ey = _near(rng, spots, spread=300.0)
        geom: GEOSGeometry = LineString(
            (x, y), ((x + ex) / 2 + 40, (y + ey) / 2), (ex, ey), srid=SRID
        )
    else:
        w, h = rng.uniform(40, 120), rng.uniform(40, 120)
        geom = Polygon(((x, y), (x + w, y), (x + w, y + h), (x, y + h), (x, y)), srid=SRID)
    return geom if spots.city.covers(geom) and geom.valid and geom.length > 1 else None


def _answers(rng: random.Random, response: Response, questions: list[Question]) -> list[Answer]:
    out = []
    single, multiple, scale, text = (q for q in questions if not q.is_map)
    out.append(
        Answer(response=response, question=single, choices=[rng.choices(range(4), (4, 3, 2, 1))[0]])
    )
    picked = sorted(rng.sample(range(6), rng.randint(1, 3)))
    out.append(Answer(response=response, question=multiple, choices=picked))
    out.append(
        Answer(
            response=response, question=scale, number=rng.choices(range(1, 6), (1, 3, 4, 3, 1))[0]
        )
    )
    comment = rng.choice(COMMENTS)
    if comment:
        out.append(Answer(response=response, question=text, text=comment))
    return out


def _places(
    rng: random.Random, spots: Spots, response: Response, questions: list[Question]
) -> list[Place]:
    out = []
    for question in (q for q in questions if q.is_map):
        if rng.random() < 0.25:  # map questions are optional: some skip them
            continue
        for _ in range(rng.randint(1, question.max_features)):
            geom = _shape(rng, spots, question.kind)
            if geom is None:
                continue
            score = rng.randint(1, 5) if question.kind == QuestionKind.RATING else None
            out.append(Place(response=response, question=question, geom=geom, score=score))
    return out


def _questions(survey: Survey) -> list[Question]:
    for data in QUESTIONS:
        question_add(survey, data)
    return list(survey.questions.order_by("position"))


def demo_surveys_generate(*, if_missing: bool = False, seed: int = 16) -> DemoSurveysResult:
    city = City.objects.order_by("id").first()
    if city is None:
        raise NoCity("Brak miasta demonstracyjnego — najpierw uruchom „miasto demo-city”.")
    existing = Survey.objects.filter(title__in=[DEMO_TITLE, DRAFT_TITLE])
    if if_missing and existing.exists():
        return DemoSurveysResult(existing.count(), 0, 0, skipped=True)
    rng = random.Random(seed)
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    with transaction.atomic():
        existing.delete()
        survey = Survey.objects.create(
            title=DEMO_TITLE,
            description=(
                "Pomóż nam zaplanować lepsze ulice, skwery i parki. Zaznacz na mapie miejsca, "
                "w których czujesz się niebezpiecznie, trasy, którymi chodzisz, i tereny do "
                "zazielenienia. Ankieta jest anonimowa."
            ),
            closes_at=now + timedelta(days=30),
        )
        questions = _questions(survey)
        spots = _spots(rng, city)
        responses = Response.objects.bulk_create(
            [Response(survey=survey) for _ in range(RESPONSES)]
        )
        answers, places = [], []
        for response in responses:
            answers.extend(_answers(rng, response, questions))
            places.extend(_places(rng, spots, response, questions))
        Answer.objects.bulk_create(answers)
        Place.objects.bulk_create(places)
        opened = now - timedelta(days=14)
        survey_transition(survey, SurveyStatus.OPEN, user=None)  # announces it (survey.opened)
        Survey.objects.filter(pk=survey.pk).update(opened_at=opened)
        _spread_dates(rng, responses, opened, now)
        draft = Survey.objects.create(
            title=DRAFT_TITLE,
            description="Projekt: pytania o zieleń osiedlową (do uzupełnienia przed otwarciem).",
            closes_at=now + timedelta(days=60),
        )
        question_add(draft, QUESTIONS[5])
    return DemoSurveysResult(2, len(responses), len(places))


def _spread_dates(
    rng: random.Random, responses: list[Response], start: datetime, end: datetime
) -> None:
    """Responses came in over the fortnight since the survey opened."""
    span = (end - start).total_seconds()
    for response in responses:
        response.submitted_at = start + timedelta(seconds=rng.uniform(0, span))
    Response.objects.bulk_update(responses, ["submitted_at"])

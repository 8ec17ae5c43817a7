"""A respondent's answers, checked on the server per question type: good input is stored,
hostile input gets a clear message and nothing at all is written."""

from __future__ import annotations

import json

import pytest

from miasto.surveys.models import Answer, Identity, Place, Response, Survey
from miasto.surveys.services import Respondent, SurveyError, response_submit
from tests.surveys.conftest import collection, line, make_survey, point, polygon, questions

pytestmark = pytest.mark.django_db
ANYONE = Respondent()


def submit(survey, **by_kind):  # type: ignore[no-untyped-def]
    q = questions(survey)
    return response_submit(survey, {q[k].pk: v for k, v in by_kind.items()}, ANYONE)


def test_every_kind_of_answer_is_stored(survey):  # type: ignore[no-untyped-def]
    response = submit(
        survey,
        single="1",
        multiple=["2", "0", "2"],
        text="  Więcej drzew  ",
        scale="4",
        points=collection(point(50, 50), point(300, 300)),
        lines=collection(line((10, 10), (200, 10), (200, 200))),
        areas=collection(polygon((20, 20), (120, 20), (120, 120), (20, 120))),
        rating=collection(point(100, 100), score=5),
    )
    q = questions(survey)
    answers = {a.question_id: a for a in Answer.objects.filter(response=response)}
    assert answers[q["single"].pk].choices == [1]
    assert answers[q["multiple"].pk].choices == [0, 2]
    assert answers[q["text"].pk].text == "Więcej drzew"
    assert answers[q["scale"].pk].number == 4
    places = Place.objects.filter(response=response)
    assert places.filter(question=q["points"]).count() == 2
    assert places.get(question=q["lines"]).geom.geom_type == "LineString"
    area = places.get(question=q["areas"]).geom
    assert area.geom_type == "Polygon" and area.srid == 2180 and abs(area.area - 10_000) < 5
    assert places.get(question=q["rating"]).score == 5
    assert response.user is None and response.name == ""


HOSTILE = [
    ("single", "7", "Choose among the options"),
    ("single", "-1", "Choose among the options"),
    ("single", "٣", "Choose among the options"),  # an Arabic-Indic digit
    ("single", "1; DROP TABLE", "Choose among the options"),
    ("multiple", ["0", "9"], "Choose among the options"),
    ("text", "x" * 51, "at most 50 characters"),
    ("text", "a\x00b", "not allowed"),
    ("scale", "6", "from 1 to 5"),
    ("scale", "3.5", "from 1 to 5"),
    ("scale", "１", "from 1 to 5"),  # a full-width digit
    ("points", "{not json", "could not be read"),
    ("points", json.dumps({"type": "FeatureCollection", "features": "x"}), "could not be read"),
    ("points", collection(point(10_000, 10_000)), "inside the city"),
    ("points", collection(point(1, 1), point(2, 2), point(3, 3), point(4, 4)), "at most 3"),
    ("points", collection(line((10, 10), (20, 20))), "another kind of shape"),
    ("points", json.dumps({"type": "Point", "coordinates": [19.0, "NaN"]}), "could not be read"),
    ("points", json.dumps({"type": "Point", "coordinates": [1e400, 50]}), "could not be read"),
    ("points", json.dumps({"type": "Point", "coordinates": [[[[[1]]]]]}), "could not be read"),
    ("points", " " * 10 + "[" * 200_000, "too large"),
    ("lines", collection(line((10, 10), (10, 10))), "two different points"),
    ("areas", collection(polygon((10, 10), (200, 200), (200, 10), (10, 120))), "not valid"),
    ("areas", collection(polygon((10, 10), (10, 10.5), (10.5, 10))), "enclose"),
    ("rating", collection(point(100, 100)), "Give each place a rating"),
    ("rating", collection(point(100, 100), score=9), "from 1 to 5"),
]


@pytest.mark.parametrize(("kind", "value", "message"), HOSTILE)
def test_hostile_answers_are_refused_and_nothing_is_written(survey, kind, value, message):  # type: ignore[no-untyped-def]
    with pytest.raises(SurveyError) as exc:
        submit(survey, **{"single": "0", "points": collection(point(50, 50)), kind: value})
    q = questions(survey)
    assert message in " ".join(exc.value.errors[f"q{q[kind].pk}"])
    assert not Response.objects.exists() and not Place.objects.exists()


def test_a_required_question_must_be_answered(survey):  # type: ignore[no-untyped-def]
    q = questions(survey)
    q["points"].required = True
    q["points"].save()
    with pytest.raises(SurveyError) as exc:
        submit(survey, single="0")
    assert exc.value.errors == {f"q{q['points'].pk}": ["This question requires an answer."]}
    with pytest.raises(SurveyError, match="at least one"):
        response_submit(make_survey(title="Pusta"), {}, ANYONE)


def test_a_closed_or_draft_survey_takes_no_answers(survey):  # type: ignore[no-untyped-def]
    Survey.objects.filter(pk=survey.pk).update(status="closed")
    with pytest.raises(SurveyError, match="not open"):
        submit(survey, single="0")
    Survey.objects.filter(pk=survey.pk).update(status="draft")
    with pytest.raises(SurveyError, match="not open"):
        submit(survey, single="0")


def test_an_account_is_required_once_per_account(survey, make_user):  # type: ignore[no-untyped-def]
    Survey.objects.filter(pk=survey.pk).update(identity=Identity.ACCOUNT)
    q = questions(survey)
    with pytest.raises(SurveyError, match="Sign in"):
        response_submit(survey, {q["single"].pk: "0"}, ANYONE)
    resident = make_user("resident")
    response = response_submit(survey, {q["single"].pk: "0"}, Respondent(user=resident))
    assert response.user == resident
    with pytest.raises(SurveyError, match="already answered"):
        response_submit(survey, {q["single"].pk: "1"}, Respondent(user=resident))
    assert Response.objects.count() == 1


def test_name_and_address_when_the_survey_asks(survey, make_user):  # type: ignore[no-untyped-def]
    Survey.objects.filter(pk=survey.pk).update(identity=Identity.NAME_ADDRESS)
    q = questions(survey)
    with pytest.raises(SurveyError) as exc:
        response_submit(survey, {q["single"].pk: "0"}, Respondent(name=" "))
    assert set(exc.value.errors) == {"name", "address"}
    who = Respondent(
        user=make_user("resident"),
        name="Jan Kowalski",
        address="ul. Długa 1",
        email="jan@example.org",
    )
    response = response_submit(survey, {q["single"].pk: "0"}, who)
    assert (response.name, response.address, response.email) == (
        "Jan Kowalski",
        "ul. Długa 1",
        "jan@example.org",
    )
    assert response.user is None  # the account is not kept where the survey does not need it


def test_anonymous_survey_keeps_no_identity(survey, make_user):  # type: ignore[no-untyped-def]
    q = questions(survey)
    who = Respondent(user=make_user("resident"), name="Jan", address="Długa 1")
    response = response_submit(survey, {q["single"].pk: "0"}, who)
    assert (response.user, response.name, response.address) == (None, "", "")

"""The builder's checks (survey settings, questions, order) and the lifecycle."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from miasto.core.events import Event, listener_registry
from miasto.surveys.models import Survey, SurveyStatus
from miasto.surveys.services import (
    QuestionInput,
    SurveyError,
    question_add,
    question_delete,
    question_move,
    question_update,
    survey_save,
    survey_transition,
    surveys_by_dates,
)
from tests.surveys.conftest import make_survey

pytestmark = pytest.mark.django_db


def draft(**kw):  # type: ignore[no-untyped-def]
    now = timezone.now()
    return survey_save(
        Survey(
            title=kw.pop("title", "Ankieta"),
            closes_at=kw.pop("closes_at", now + timedelta(days=3)),
            **kw,
        ),
        user=None,
    )


def test_a_new_survey_is_a_draft_and_checks_its_settings():
    now = timezone.now()
    assert draft().status == SurveyStatus.DRAFT
    with pytest.raises(SurveyError) as exc:
        draft(title="  ")
    assert "title" in exc.value.errors
    with pytest.raises(SurveyError) as exc:
        draft(opens_at=now + timedelta(days=5), closes_at=now + timedelta(days=4))
    assert "closes_at" in exc.value.errors
    with pytest.raises(SurveyError) as exc:
        draft(act="plan:999999")
    assert "act" in exc.value.errors
    assert not Survey.objects.filter(title="  ").exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (QuestionInput("single", "Wybierz", options=("jedna",)), "options"),
        (QuestionInput("multiple", "Wybierz", options=("a", "A", "b")), "options"),
        (QuestionInput("multiple", "Wybierz", options=tuple(str(i) for i in range(31))), "options"),
        (QuestionInput("scale", "Oceń", scale_min=5, scale_max=1), "scale_max"),
        (QuestionInput("rating", "Oceń", scale_min=0, scale_max=50), "scale_max"),
        (QuestionInput("text", "   "), "text"),
        (QuestionInput("essay", "Napisz"), "kind"),
        (QuestionInput("text", "Napisz", max_length=0), "max_length"),
        (QuestionInput("points", "Zaznacz", max_features=500), "max_features"),
    ],
)
def test_question_checks(data, field):  # type: ignore[no-untyped-def]
    survey = draft()
    with pytest.raises(SurveyError) as exc:
        question_add(survey, data)
    assert field in exc.value.errors
    assert survey.questions.count() == 0


def test_questions_are_added_in_order_moved_edited_and_removed():
    survey = draft()
    a = question_add(survey, QuestionInput("text", "A"))
    b = question_add(survey, QuestionInput("single", "B", options=("tak", "nie", "")))
    c = question_add(survey, QuestionInput("points", "C"))
    assert b.options == ["tak", "nie"]  # empty lines dropped
    question_move(c, -1)
    assert [q.text for q in survey.questions.order_by("position")] == ["A", "C", "B"]
    question_move(a, -1)  # the first stays first
    assert [q.text for q in survey.questions.order_by("position")] == ["A", "C", "B"]
    question_update(a, QuestionInput("scale", "A2", scale_min=0, scale_max=10))
    a.refresh_from_db()
    assert (a.kind, a.text, a.scale_max) == ("scale", "A2", 10)
    question_delete(b)
    assert survey.questions.count() == 2


def test_an_open_survey_keeps_its_questions(city):  # type: ignore[no-untyped-def]
    survey = make_survey()
    question = survey.questions.first()
    for change in (
        lambda: question_add(survey, QuestionInput("text", "Nowe")),
        lambda: question_update(question, QuestionInput("text", "Zmienione")),
        lambda: question_delete(question),
        lambda: question_move(question, 1),
    ):
        with pytest.raises(SurveyError):
            change()
    assert survey.questions.count() == 8


def test_opening_needs_questions_and_a_builder(make_user, city):  # type: ignore[no-untyped-def]
    survey = draft()
    planner, resident = make_user("planner"), make_user("resident")
    with pytest.raises(SurveyError, match="question"):
        survey_transition(survey, SurveyStatus.OPEN, user=planner)
    question_add(survey, QuestionInput("text", "Co sądzisz?"))
    with pytest.raises(SurveyError):
        survey_transition(survey, SurveyStatus.OPEN, user=resident)
    with pytest.raises(SurveyError):
        survey_transition(survey, SurveyStatus.CLOSED, user=planner)  # not from a draft
    heard: list[Event] = []
    listener_registry.register("test-surveys", heard.append)
    try:
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr("django.db.transaction.on_commit", lambda f, *a, **k: f())
            survey_transition(survey, SurveyStatus.OPEN, user=planner)
    finally:
        listener_registry.unregister("test-surveys")
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.OPEN and survey.opened_at is not None
    opened = [e for e in heard if e.topic == "survey.opened"]
    assert len(opened) == 1
    assert opened[0].data["url"].endswith(f"/ankiety/{survey.pk}/")
    assert opened[0].geometry is not None and opened[0].geometry.area > 0  # the city
    survey_transition(survey, SurveyStatus.CLOSED, user=planner)
    with pytest.raises(SurveyError):
        survey_transition(survey, SurveyStatus.OPEN, user=planner)


def test_surveys_open_and_close_on_their_dates(city):  # type: ignore[no-untyped-def]
    now = timezone.now()
    scheduled = draft(opens_at=now - timedelta(minutes=1), closes_at=now + timedelta(days=1))
    question_add(scheduled, QuestionInput("text", "Co sądzisz?"))
    empty = draft(opens_at=now - timedelta(minutes=1))  # no questions: stays a draft
    ending = make_survey(title="Kończąca się")
    Survey.objects.filter(pk=ending.pk).update(closes_at=now - timedelta(seconds=1))
    assert surveys_by_dates(now) == (1, 1)
    statuses = dict(Survey.objects.values_list("pk", "status"))
    assert statuses[scheduled.pk] == "open"
    assert statuses[empty.pk] == "draft"
    assert statuses[ending.pk] == "closed"

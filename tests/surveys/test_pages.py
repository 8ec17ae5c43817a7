"""The survey pages: a respondent fills a survey in (honeypot, throttle, closed survey,
hostile map answer), the builder's flow from a new survey to its opening, the results pages;
and the anonymiser and the demo survey."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from miasto.core.privacy import anonymise_user
from miasto.surveys.models import Identity, Place, Response, Survey
from miasto.surveys.services import Respondent, response_submit
from tests.surveys.conftest import collection, point, questions

pytestmark = pytest.mark.django_db


def form_data(survey, **by_kind):  # type: ignore[no-untyped-def]
    q = questions(survey)
    return {f"q{q[k].pk}": v for k, v in by_kind.items()}


def test_the_form_shows_every_question_and_the_privacy_notice(survey):  # type: ignore[no-untyped-def]
    page = Client().get(f"/ankiety/{survey.pk}/", HTTP_ACCEPT_LANGUAGE="pl")
    html = page.content.decode()
    assert page.status_code == 200
    for q in survey.questions.all():
        assert q.text in html
    assert html.count('class="survey-map"') == 4  # one map per map question
    assert 'name="website"' in html  # the honeypot
    assert "RODO" in html and "survey-map-config" in html


def test_a_respondent_sends_answers_with_a_place(survey):  # type: ignore[no-untyped-def]
    data = form_data(survey, single="1", multiple=["0", "2"], points=collection(point(60, 60)))
    response = Client().post(f"/ankiety/{survey.pk}/", data)
    assert (
        response.status_code == 302 and response["Location"] == f"/ankiety/{survey.pk}/dziekujemy/"
    )
    assert Response.objects.count() == 1 and Place.objects.count() == 1


def test_bad_input_is_answered_in_the_page(survey):  # type: ignore[no-untyped-def]
    client = Client()
    outside = form_data(survey, single="0", points=collection(point(5000, 5000)))
    page = client.post(f"/ankiety/{survey.pk}/", outside, HTTP_ACCEPT_LANGUAGE="pl")
    assert page.status_code == 400 and "error-summary" in page.content.decode()
    bot = client.post(f"/ankiety/{survey.pk}/", {**form_data(survey, single="0"), "website": "x"})
    assert bot.status_code == 400
    assert not Response.objects.exists()


@override_settings(MIASTO_SURVEYS_RESPONSE_LIMIT=2)
def test_too_many_responses_are_throttled(survey):  # type: ignore[no-untyped-def]
    client = Client()
    codes = [
        client.post(f"/ankiety/{survey.pk}/", form_data(survey, single="0")).status_code
        for _ in range(3)
    ]
    assert codes == [302, 302, 429]
    assert Response.objects.count() == 2


def test_a_closed_survey_shows_no_form(survey):  # type: ignore[no-untyped-def]
    Survey.objects.filter(pk=survey.pk).update(status="closed")
    client = Client()
    page = client.get(f"/ankiety/{survey.pk}/")
    assert page.status_code == 200 and b'type="submit"' not in page.content.split(b"<main")[1]
    assert client.post(f"/ankiety/{survey.pk}/", form_data(survey, single="0")).status_code == 409
    assert client.get("/ankiety/99999999999999999999/").status_code == 404


def test_a_survey_requiring_an_account(survey, make_user):  # type: ignore[no-untyped-def]
    Survey.objects.filter(pk=survey.pk).update(identity=Identity.ACCOUNT)
    client = Client()
    assert client.get(f"/ankiety/{survey.pk}/")["Location"].startswith("/konto/logowanie/")
    client.force_login(make_user("resident"))
    assert client.post(f"/ankiety/{survey.pk}/", form_data(survey, single="0")).status_code == 302
    again = client.post(f"/ankiety/{survey.pk}/", form_data(survey, single="1"))
    assert again.status_code == 400 and Response.objects.count() == 1


def test_the_builder_from_a_new_survey_to_its_opening(city, make_user):  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(make_user("moderator"))
    bad = client.post("/ankiety/obsluga/nowa/", {"title": "", "closes_at": "jutro"})
    assert bad.status_code == 400
    made = client.post(
        "/ankiety/obsluga/nowa/",
        {"title": "Parki", "closes_at": "2099-05-01T12:00", "identity": "name_address"},
    )
    survey = Survey.objects.get(title="Parki")
    assert made["Location"] == f"/ankiety/obsluga/{survey.pk}/"
    base = f"/ankiety/obsluga/{survey.pk}/"
    question = {"kind": "multiple", "text": "Co lubisz?", "options": "ławki\nzieleń",
                "scale_min": 1, "scale_max": 5, "max_length": 100, "max_features": 3}  # fmt: skip
    assert client.post(base + "pytania/", {**question, "options": "tylko jedna"}).status_code == 400
    assert client.post(base + "pytania/", question).status_code == 302
    assert (
        client.post(base + "pytania/", {**question, "kind": "points", "text": "Gdzie?"}).status_code
        == 302
    )
    first, second = survey.questions.order_by("position")
    client.post(base + f"pytania/{second.pk}/przesun/", {"direction": "up"})
    assert list(survey.questions.order_by("position")) == [second, first]
    assert client.get(base).status_code == 200
    client.post(base + "status/", {"target": "open"})
    survey.refresh_from_db()
    assert survey.status == "open"
    refused = client.post(base + "pytania/", {**question, "text": "Za późno"})
    assert refused.status_code == 400 and survey.questions.count() == 2
    page = client.get(f"/ankiety/{survey.pk}/")
    assert 'name="name"' in page.content.decode() and 'name="address"' in page.content.decode()


def test_results_pages_and_the_staff_side(survey, make_user):  # type: ignore[no-untyped-def]
    q = questions(survey)
    who = Respondent(name="Anna Tajna", address="ul. Sekretna 7")
    Survey.objects.filter(pk=survey.pk).update(identity=Identity.NAME_ADDRESS)
    response_submit(
        survey,
        {q["single"].pk: "0", q["text"].pk: "Ławki!", q["points"].pk: collection(point(60, 60))},
        who,
    )
    public = Client().get(f"/ankiety/{survey.pk}/wyniki/").content.decode()
    assert "survey-heatmap" in public and "survey-bar" in public
    assert "Anna" not in public and "Ławki!" not in public
    staff = Client()
    staff.force_login(make_user("planner"))
    page = staff.get(f"/ankiety/obsluga/{survey.pk}/wyniki/").content.decode()
    assert "Anna Tajna" in page and "Ławki!" in page
    csv = staff.get(f"/ankiety/obsluga/{survey.pk}/eksport.csv")
    assert csv["Content-Type"].startswith("text/csv") and "Anna" not in csv.content.decode()
    gpkg = staff.get(f"/ankiety/obsluga/{survey.pk}/eksport.gpkg")
    assert gpkg.content[:15] == b"SQLite format 3"
    Survey.objects.filter(pk=survey.pk).update(results_public=False)
    assert Client().get(f"/ankiety/{survey.pk}/wyniki/").status_code == 403


def test_account_deletion_anonymises_responses(survey, make_user):  # type: ignore[no-untyped-def]
    Survey.objects.filter(pk=survey.pk).update(identity=Identity.ACCOUNT)
    resident = make_user("resident")
    q = questions(survey)
    response = response_submit(survey, {q["single"].pk: "0"}, Respondent(user=resident))
    assert anonymise_user(resident)["surveys"] == 1
    response.refresh_from_db()
    assert response.user is None and response.answers.count() == 1


def test_demo_survey_is_deterministic(city):  # type: ignore[no-untyped-def]
    from django.core.management import call_command

    from miasto.surveys.demo import RESPONSES, demo_surveys_generate

    first = demo_surveys_generate(seed=3)
    places = sorted(Place.objects.values_list("geom", flat=True), key=lambda g: g.wkt)
    second = demo_surveys_generate(seed=3)
    assert first == second and first.responses == RESPONSES and first.places > RESPONSES
    assert sorted(Place.objects.values_list("geom", flat=True), key=lambda g: g.wkt) == places
    assert Survey.objects.filter(status="open").count() == 1
    call_command("demo_surveys", "--if-missing")
    assert Response.objects.count() == RESPONSES

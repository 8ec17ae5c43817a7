"""A respondent fills a map survey in a real browser (Chromium through Playwright): a choice,
a place marked by a click on the map, a place found by address search (the keyboard way),
a route built from two searched addresses; the answers arrive, and axe-core finds no serious
or critical violation on the form nor on the results page."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.i18n import compile_messages
from tests.web.test_browser import ARGS, ARTIFACTS, CHROMIUM, pytestmark, serious_violations  # noqa: F401

pytestmark = [*pytestmark, pytest.mark.django_db(transaction=True)]


def _survey():  # type: ignore[no-untyped-def]
    from django.utils import timezone

    from miasto.surveys.models import Survey
    from miasto.surveys.services import QuestionInput, question_add

    survey = Survey.objects.create(title="Spacer", closes_at=timezone.now() + timedelta(days=3))
    question_add(survey, QuestionInput("single", "Jak często chodzisz?", required=True,
                                       options=("codziennie", "rzadko")))  # fmt: skip
    question_add(survey, QuestionInput("points", "Gdzie jest niebezpiecznie?", max_features=3))
    question_add(survey, QuestionInput("lines", "Którędy chodzisz?", max_features=1))
    Survey.objects.filter(pk=survey.pk).update(status="open")
    return survey


def test_filling_a_map_survey_in_a_browser(live_server, live_city):  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    from miasto.surveys.models import Place, Response

    compile_messages("surveys")
    survey = _survey()
    ARTIFACTS.mkdir(exist_ok=True)
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1000}, locale="pl-PL")
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(f"{live_server.url}/ankiety/{survey.pk}/")
            page.get_by_label("codziennie").check()
            points = page.locator(".survey-map-question").nth(0)
            points.locator(".survey-map-tools").wait_for(state="visible")
            # a click on the map marks a place
            box = points.locator(".survey-map").bounding_box()
            assert box is not None
            page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            # (a function, not an expression: Playwright polls an expression with eval,
            # which the Content Security Policy forbids)
            page.wait_for_function(
                "() => document.querySelectorAll('.survey-map-question')[0]"
                ".querySelectorAll('.survey-places button').length === 1"
            )
            # the keyboard way: search an address, add it with a button
            search = points.locator(".survey-find-input")
            search.fill("Długa 1")
            search.press("Enter")
            points.locator(".survey-found button").first.click()
            assert points.locator(".survey-places li").count() == 2
            # a route from two searched addresses
            route = page.locator(".survey-map-question").nth(1)
            for address in ("Długa 2", "Długa 4"):
                route.locator(".survey-find-input").fill(address)
                route.locator(".survey-find").click()
                route.locator(".survey-found button").first.click()
            route.locator(".survey-finish").click()
            assert route.locator(".survey-places li").count() == 1
            assert serious_violations(page) == []
            page.screenshot(path=str(ARTIFACTS / "surveys-form.png"), full_page=True)
            page.get_by_role("button", name="Wyślij odpowiedzi").click()
            page.wait_for_load_state()
            summary = page.locator("#error-summary")
            assert summary.count() == 0, summary.inner_text()
            page.wait_for_url(f"**/ankiety/{survey.pk}/dziekujemy/")
            page.goto(f"{live_server.url}/ankiety/{survey.pk}/wyniki/")
            page.wait_for_selector(".survey-heatmap canvas")
            assert serious_violations(page) == []
        finally:
            browser.close()
    assert errors == []
    response = Response.objects.get()
    kinds = sorted(p.geom.geom_type for p in Place.objects.filter(response=response))
    assert kinds == ["LineString", "Point", "Point"]

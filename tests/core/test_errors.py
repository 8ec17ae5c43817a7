"""Hostile request parameters get a 400 with a message, never a 500."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url", ["/api/v1/datasets?q=a%00b", "/dane/?q=%00", "/api/v1/search?q=ab%00", "/map/?x%00=1"]
)
def test_nul_bytes_in_parameters_are_a_400(client, url):  # type: ignore[no-untyped-def]
    r = client.get(url)
    assert r.status_code == 400
    assert "NUL" in r.content.decode()


def test_database_outage_is_a_503_not_a_500(client, monkeypatch):  # type: ignore[no-untyped-def]
    from django.db import OperationalError

    from miasto.territory import selectors

    def down():  # type: ignore[no-untyped-def]
        raise OperationalError("connection refused")

    monkeypatch.setattr(selectors, "city_summary", down)
    r = client.get("/api/v1/city")
    assert r.status_code == 503 and "niedostępna" in r.json()["message"]


# --- error pages and JSON errors (DEBUG is off in the tests) ------------------------------------

TITLES = {
    400: "Nieprawidłowe żądanie",
    403: "Brak dostępu",
    404: "Strona nie została znaleziona",  # (Django admin's translation wins)
    500: "Błąd serwera",
}

MESSAGES = {
    400: "Nie udało się zrozumieć żądania.",
    403: "Nie masz uprawnień",
    404: "Pod tym adresem nic nie ma.",
    500: "Coś poszło nie tak po naszej stronie.",
}


def assert_error_page(response, status: int, text: str) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert text in html
    assert f"Błąd {status}" in html
    # the site's layout: header, navigation, footer and the site's style sheet
    assert 'class="site-header"' in html and 'class="site-footer"' in html
    assert "web/dist/site" in html and '<html lang="pl">' in html


def assert_json_error(response, status: int, code: str) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["error"] == code and body["message"]


@pytest.mark.urls("tests.core.error_urls")
@pytest.mark.parametrize("status", [400, 403, 404, 500])
def test_each_error_status_is_a_polish_page_in_the_layout(client, status):  # type: ignore[no-untyped-def]
    client.raise_request_exception = False
    response = client.get(f"/test-errors/{status}")
    assert_error_page(response, status, TITLES[status])


@pytest.mark.urls("tests.core.error_urls")
@pytest.mark.parametrize(
    ("status", "code"),
    [(400, "bad_request"), (403, "forbidden"), (404, "not_found"), (500, "server_error")],
)
def test_each_error_status_under_api_is_json(client, status, code):  # type: ignore[no-untyped-def]
    client.raise_request_exception = False
    response = client.get(f"/api/v1/test-errors/{status}")
    assert_json_error(response, status, code)
    assert response.json()["message"].startswith(MESSAGES[status])  # Polish by default


def test_english_error_page(client):  # type: ignore[no-untyped-def]
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html and '<html lang="en">' in html


def test_unknown_addresses(client):  # type: ignore[no-untyped-def]
    assert_error_page(client.get("/nie-ma-takiej-strony/"), 404, TITLES[404])
    assert_json_error(client.get("/api/v1/nie-ma-takiego-zasobu"), 404, "not_found")


def test_disallowed_host_is_a_400(client):  # type: ignore[no-untyped-def]
    assert_error_page(client.get("/", HTTP_HOST="evil.example"), 400, TITLES[400])
    assert_json_error(client.get("/api/v1/city", HTTP_HOST="evil.example"), 400, "bad_request")


def test_permission_denied_shows_the_views_reason(client, make_user):  # type: ignore[no-untyped-def]
    client.force_login(make_user())
    response = client.get("/dane/nowy/")
    assert_error_page(response, 403, TITLES[403])
    assert "Zbiory danych mogą tworzyć tylko opiekunowie danych." in response.content.decode()


def test_csrf_failure_is_a_polish_page_or_json(make_user):  # type: ignore[no-untyped-def]
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user())
    response = client.post("/dane/nowy/", {"name": "x"})
    assert_error_page(response, 403, "Formularz wygasł")
    assert_json_error(client.post("/api/v1/datasets", {}), 403, "csrf_failed")


def test_nul_byte_page_is_in_the_layout(client):  # type: ignore[no-untyped-def]
    assert_error_page(client.get("/map/?q=%00"), 400, "NUL")


def test_500_page_renders_without_database_or_request_context(rf, django_assert_num_queries):  # type: ignore[no-untyped-def]
    """The 500 page needs neither the database nor the request's user or session: a request
    whose user cannot be loaded (the database is down) still gets the page, and no query."""
    from django.db import OperationalError
    from django.utils.functional import SimpleLazyObject

    from miasto.core.errors import server_error

    def user_from_a_database_that_is_down():  # type: ignore[no-untyped-def]
        raise OperationalError("connection refused")

    request = rf.get("/mapa/")
    request.user = SimpleLazyObject(user_from_a_database_that_is_down)
    with django_assert_num_queries(0):
        response = server_error(request)
    assert_error_page(response, 500, TITLES[500])


def test_500_page_falls_back_to_plain_html_when_templates_break(rf, settings):  # type: ignore[no-untyped-def]
    from miasto.core.errors import server_error

    settings.TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates"}]
    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Błąd serwera" in response.content.decode()

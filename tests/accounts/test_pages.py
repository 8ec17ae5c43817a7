"""Every account page opens in the site's layout (no 500, the header, Polish)."""

from __future__ import annotations

import pytest

from tests.accounts.conftest import PASSWORD, sign_in

pytestmark = pytest.mark.django_db

ANONYMOUS = [
    "/konto/logowanie/",
    "/konto/rejestracja/",
    "/konto/haslo/reset/",
    "/konto/haslo/reset/wyslano/",
    "/konto/haslo/reset/klucz/zz-nonsense/",
    "/konto/email/weryfikacja/",
    "/konto/email/weryfikacja/nonsense-key/",
    "/konto/nieaktywne/",
]
SIGNED_IN = [
    "/konto/",
    "/konto/email/",
    "/konto/haslo/zmiana/",
    "/konto/2fa/",
    "/konto/2fa/totp/wlacz/",
    "/konto/usun/",
    "/konto/wylogowanie/",
    "/konto/potwierdz-tozsamosc/",
]


@pytest.mark.parametrize("url", ANONYMOUS)
def test_anonymous_pages(client, url):
    response = client.get(url, follow=True)
    assert response.status_code == 200, url
    html = response.content.decode()
    assert '<html lang="pl">' in html and 'class="site-header"' in html
    assert "accounts/accounts.css" in html


@pytest.mark.parametrize("url", SIGNED_IN)
def test_signed_in_pages(client, verified_user, url):
    sign_in(client, "ala")
    client.post("/konto/potwierdz-tozsamosc/", {"password": PASSWORD})
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    assert 'class="site-header"' in html and "Zalogowano jako" in html
    if url != "/konto/potwierdz-tozsamosc/":  # an entrance page, like the login
        assert 'aria-label="Twoje konto"' in html  # the account menu


def test_hostile_input_is_a_form_error_not_a_500(client, verified_user):
    long = "x" * 5000
    assert client.post("/konto/logowanie/", {"login": long, "password": long}).status_code == 200
    assert client.post("/konto/logowanie/", {"login": "a\x00b", "password": "x"}).status_code in (
        200,
        400,
    )
    response = client.post(
        "/konto/rejestracja/",
        {"username": long, "email": "not-an-email", "password1": "a", "password2": "b"},
    )
    assert response.status_code == 200 and 'role="alert"' in response.content.decode()

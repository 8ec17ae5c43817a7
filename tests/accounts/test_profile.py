"""The profile page: name and language; the language is the site's after each sign-in."""

from __future__ import annotations

import pytest
from django.conf import settings

from miasto.accounts.models import Profile
from tests.accounts.conftest import sign_in

pytestmark = pytest.mark.django_db


def test_profile_needs_sign_in(client):
    response = client.get("/konto/")
    assert response.status_code == 302 and response["Location"] == "/konto/logowanie/?next=/konto/"


def test_profile_shows_the_account(client, verified_user):
    sign_in(client, "ala")
    html = client.get("/konto/").content.decode()
    assert "<h1>Twoje konto</h1>" in html and "ala@example.org" in html
    assert 'aria-current="page">Profil</a>' in html
    assert '<label for="id_language">' in html


def test_change_name_and_language(client, verified_user):
    sign_in(client, "ala")
    response = client.post(
        "/konto/", {"first_name": "Alicja", "last_name": "Nowak", "language": "en"}
    )
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert Profile.objects.get(user=verified_user).language == "en"
    verified_user.refresh_from_db()
    assert verified_user.first_name == "Alicja"
    page = client.get("/konto/").content.decode()
    assert '<html lang="en">' in page and "Your account" in page and "Signed in as" in page

    # a new browser, no language cookie: signing in brings the profile's language back
    other = client_class()
    other_response = sign_in(other, "ala")
    assert other_response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert '<html lang="en">' in other.get("/").content.decode()


def client_class():  # type: ignore[no-untyped-def]
    from django.test import Client

    return Client()


def test_an_unknown_language_is_a_form_error(client, verified_user):
    sign_in(client, "ala")
    response = client.post("/konto/", {"first_name": "A", "last_name": "B", "language": "xx"})
    assert response.status_code == 400
    assert 'href="#id_language"' in response.content.decode()
    assert Profile.objects.get(user=verified_user).language == "pl"


def test_the_first_sign_in_keeps_the_language_chosen_before(client, verified_user):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = sign_in(client, "ala")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert Profile.objects.get(user=verified_user).language == "en"

"""Signing in at /konto/logowanie/ by username or e-mail, the header, signing out, the admin."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from tests.accounts.conftest import LOGIN_URL, PASSWORD, sign_in

pytestmark = pytest.mark.django_db


def _signed_in_as(client) -> str | None:  # type: ignore[no-untyped-def]
    user = client.get("/").wsgi_request.user
    return user.get_username() if user.is_authenticated else None


def test_login_page_is_polish_and_labelled(client):
    html = client.get(LOGIN_URL).content.decode()
    assert '<html lang="pl">' in html
    assert "Zaloguj" in html
    assert '<label for="id_login">' in html and 'id="id_login"' in html
    assert '<label for="id_password">' in html
    assert 'href="/konto/haslo/reset/"' in html  # "forgot your password?"


def test_login_by_username(client, verified_user):
    response = sign_in(client, "ala")
    assert response.status_code == 302 and response["Location"] == "/"
    assert _signed_in_as(client) == "ala"


def test_login_by_email_any_case(client, verified_user):
    response = sign_in(client, "ALA@example.org")
    assert response.status_code == 302
    assert _signed_in_as(client) == "ala"


def test_wrong_password_is_a_form_error_linked_to_the_form(client, verified_user):
    response = sign_in(client, "ala", "wrong-password")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html and "niepoprawne" in html.lower()
    assert _signed_in_as(client) is None


def test_resident_without_staff_rights_can_sign_in(client, make_user):
    resident = make_user("resident")  # made by an administrator: no e-mail address to verify
    assert not resident.is_staff
    response = sign_in(client, resident.username)
    assert response.status_code == 302
    assert _signed_in_as(client) == resident.username


def test_next_is_followed_and_login_url_is_the_new_page(client, make_user):
    steward = make_user("data_steward")
    first = client.get("/dane/nowy/")
    assert first.status_code == 302
    assert first["Location"].startswith("/konto/logowanie/?next=")
    response = client.post(
        first["Location"], {"login": steward.username, "password": PASSWORD, "next": "/dane/"}
    )
    assert response.status_code == 302 and response["Location"] == "/dane/"


def test_header_shows_who_is_signed_in_and_signs_out(client, verified_user):
    anonymous = client.get("/dane/?q=drzewa").content.decode()
    assert 'href="/konto/logowanie/?next=/dane/%3Fq%3Ddrzewa"' in anonymous
    assert "Zaloguj się" in anonymous
    # from an account page (sign-up, password reset) the link does not lead back there
    assert 'href="/konto/logowanie/"' in client.get("/konto/rejestracja/").content.decode()
    sign_in(client, "ala")
    html = client.get("/").content.decode()
    assert "Zalogowano jako" in html and ">Ala Nowak</a>" in html
    assert 'href="/konto/"' in html
    assert 'action="/konto/wylogowanie/" method="post"' in html
    assert "csrfmiddlewaretoken" in html.split('action="/konto/wylogowanie/"', 1)[1][:400]
    response = client.post("/konto/wylogowanie/")
    assert response.status_code == 302
    assert _signed_in_as(client) is None


def test_sign_out_by_get_does_not_sign_out(client, verified_user):
    sign_in(client, "ala")
    client.get("/konto/wylogowanie/")  # a confirmation page, nothing else
    assert _signed_in_as(client) == "ala"


def test_admin_login_redirects_to_the_account_login(client, make_user):
    planner = make_user("planner")
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/konto/logowanie/?next=/admin/"
    # a POST to the old admin form does not sign anyone in
    posted = client.post(
        "/admin/login/?next=/admin/", {"username": planner.username, "password": PASSWORD}
    )
    assert posted.status_code == 302 and posted["Location"].startswith("/konto/logowanie/")
    assert _signed_in_as(client) is None
    # the admin itself sends anonymous visitors to the new page
    admin = client.get("/admin/", follow=True)
    assert admin.redirect_chain[-1][0].startswith("/konto/logowanie/")


def test_staff_reaches_the_admin_after_signing_in_here(client, make_user):
    planner = make_user("planner")
    response = client.post(
        LOGIN_URL + "?next=/admin/", {"login": planner.username, "password": PASSWORD}
    )
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_inactive_account_cannot_sign_in(client, verified_user):
    get_user_model().objects.filter(pk=verified_user.pk).update(is_active=False)
    sign_in(client, "ala")
    assert _signed_in_as(client) is None

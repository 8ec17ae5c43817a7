"""Sign-up with e-mail verification, and the password reset by e-mail."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from tests.accounts.conftest import sign_in

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Zielona-Lipa-2026"


def _link(message, path: str) -> str:  # type: ignore[no-untyped-def]
    found = re.search(r"https?://[^/\s]+(" + re.escape(path) + r"[^\s]+)", message.body)
    assert found, message.body
    return found.group(1)


def _signed_in_as(client) -> str | None:  # type: ignore[no-untyped-def]
    user = client.get("/").wsgi_request.user
    return user.get_username() if user.is_authenticated else None


def test_signup_verify_then_sign_in(client):
    page = client.get("/konto/rejestracja/")
    assert page.status_code == 200 and "Zarejestruj" in page.content.decode()
    response = client.post(
        "/konto/rejestracja/",
        {
            "username": "jan",
            "email": "jan@example.org",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/konto/email/weryfikacja/"
    assert _signed_in_as(client) is None  # not before the address is verified
    user = get_user_model().objects.get(username="jan")
    assert not user.is_staff

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["jan@example.org"] and message.subject.startswith("[Miasto] ")
    confirm = _link(message, "/konto/email/weryfikacja/")

    # signing in before confirming sends the visitor back to "check your e-mail"
    blocked = sign_in(client, "jan", NEW_PASSWORD)
    assert blocked.status_code == 302 and blocked["Location"] == "/konto/email/weryfikacja/"
    assert _signed_in_as(client) is None

    assert client.get(confirm).status_code == 200  # GET only asks (mail scanners open links)
    assert client.post(confirm).status_code == 302
    from allauth.account.models import EmailAddress

    assert EmailAddress.objects.get(user=user).verified

    assert sign_in(client, "jan@example.org", NEW_PASSWORD).status_code == 302
    assert _signed_in_as(client) == "jan"


def test_signup_errors_are_in_polish_and_linked_to_fields(client, verified_user):
    response = client.post(
        "/konto/rejestracja/",
        {"username": "ala", "email": "ala@example.org", "password1": "x", "password2": "y"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html and 'href="#id_username"' in html
    assert 'aria-invalid="true"' in html and 'aria-describedby="id_username_error"' in html
    assert 'id="id_username_error"' in html
    assert "już istnieje" in html or "zajęta" in html
    assert get_user_model().objects.filter(username="ala").count() == 1


def test_reserved_usernames_are_refused(client):
    client.post(
        "/konto/rejestracja/",
        {
            "username": "admin",
            "email": "x@example.org",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    assert not get_user_model().objects.filter(username="admin").exists()


def test_password_reset_by_email(client, verified_user):
    response = client.post("/konto/haslo/reset/", {"email": "ala@example.org"})
    assert response.status_code == 302 and response["Location"] == "/konto/haslo/reset/wyslano/"
    assert len(mail.outbox) == 1
    link = _link(mail.outbox[0], "/konto/haslo/reset/klucz/")
    form = client.get(link, follow=True)
    assert form.status_code == 200
    action = form.redirect_chain[-1][0] if form.redirect_chain else link
    done = client.post(action, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done.status_code == 302 and done["Location"] == "/konto/haslo/reset/gotowe/"
    assert sign_in(client, "ala", "pw-secret-123").status_code == 200  # the old one is gone
    assert sign_in(client, "ala", NEW_PASSWORD).status_code == 302
    assert _signed_in_as(client) == "ala"


def test_password_reset_for_an_unknown_address_says_nothing_more(client, verified_user):
    response = client.post("/konto/haslo/reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302 and response["Location"] == "/konto/haslo/reset/wyslano/"


def test_sign_up_can_be_closed(client, settings):
    settings.MIASTO_SIGNUP_OPEN = False
    page = client.get("/konto/rejestracja/")
    assert page.status_code == 200 and "zamknięta" in page.content.decode().lower()
    client.post(
        "/konto/rejestracja/",
        {
            "username": "jan",
            "email": "jan@example.org",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    assert not get_user_model().objects.filter(username="jan").exists()

"""Optional TOTP for staff: once set up, signing in asks for the code (also for the admin)."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.accounts.conftest import PASSWORD, sign_in, totp_code

pytestmark = pytest.mark.django_db

ACTIVATE = "/konto/2fa/totp/wlacz/"
AUTHENTICATE = "/konto/2fa/uwierzytelnienie/"
REAUTHENTICATE = "/konto/potwierdz-tozsamosc/"


def _user_of(client):  # type: ignore[no-untyped-def]
    return client.get("/").wsgi_request.user


def _activate_totp(client, user) -> str:  # type: ignore[no-untyped-def]
    assert sign_in(client, user.username).status_code == 302
    # a security change asks for the password again first
    ask = client.get(ACTIVATE)
    assert ask.status_code == 302 and ask["Location"].startswith(REAUTHENTICATE)
    confirmed = client.post(ask["Location"], {"password": PASSWORD})
    assert confirmed.status_code == 302 and confirmed["Location"] == ACTIVATE
    page = client.get(ACTIVATE)
    assert page.status_code == 200
    html = page.content.decode()
    secret = client.session["mfa.totp.secret"]
    assert secret in html and 'src="data:image/svg+xml' in html  # the QR code and the secret
    assert '<label for="id_code">' in html
    wrong = client.post(ACTIVATE, {"code": "000000" if totp_code(secret) != "000000" else "111111"})
    assert wrong.status_code == 200 and 'aria-invalid="true"' in wrong.content.decode()
    done = client.post(ACTIVATE, {"code": totp_code(secret)})
    assert done.status_code == 302
    from allauth.mfa.models import Authenticator

    assert Authenticator.objects.filter(user=user, type="totp").exists()
    return secret


def test_staff_enables_totp_and_then_sign_in_needs_the_code(client, make_user):
    planner = make_user("planner")
    secret = _activate_totp(client, planner)
    client.post("/konto/wylogowanie/")

    browser = Client()
    first = sign_in(browser, planner.username)
    assert first.status_code == 302 and first["Location"] == AUTHENTICATE
    assert not _user_of(browser).is_authenticated  # the password alone is not enough
    assert browser.get("/admin/").status_code == 302
    wrong = browser.post(AUTHENTICATE, {"code": "12345"})
    assert wrong.status_code == 200 and not _user_of(browser).is_authenticated
    right = browser.post(AUTHENTICATE, {"code": totp_code(secret)})
    assert right.status_code == 302
    assert _user_of(browser) == planner
    assert browser.get("/admin/").status_code == 200

    # the same code cannot be replayed in another browser
    thief = Client()
    sign_in(thief, planner.username)
    thief.post(AUTHENTICATE, {"code": totp_code(secret)})
    assert not _user_of(thief).is_authenticated


def test_two_factor_is_optional_by_default(client, make_user):
    inspector = make_user("inspector")
    sign_in(client, inspector.username)
    assert client.get("/admin/").status_code == 200


def test_required_for_staff_when_the_setting_says_so(client, make_user, settings):
    settings.MIASTO_STAFF_REQUIRE_2FA = True
    inspector = make_user("inspector")
    resident = make_user("resident")
    sign_in(client, inspector.username)
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"] == ACTIVATE
    assert client.get("/konto/").status_code == 200  # the account pages stay open
    client.post(REAUTHENTICATE, {"password": PASSWORD})
    assert client.get(ACTIVATE).status_code == 200
    client.post(ACTIVATE, {"code": totp_code(client.session["mfa.totp.secret"])})
    assert client.get("/admin/").status_code == 200

    other = Client()
    sign_in(other, resident.username)
    assert other.get("/dane/").status_code == 200  # residents are not asked

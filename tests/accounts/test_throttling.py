"""Sign-in throttling: 10 failures for an account or from an address lock it (django-axes)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from tests.accounts.conftest import sign_in

pytestmark = pytest.mark.django_db


def _signed_in(client) -> bool:  # type: ignore[no-untyped-def]
    return client.get("/").wsgi_request.user.is_authenticated


def test_ten_failures_lock_the_account_even_for_the_right_password(client, verified_user):
    for _ in range(9):
        assert sign_in(client, "ala", "wrong-password").status_code == 200
    # the 10th failure locks the account, and says so
    assert sign_in(client, "ala", "wrong-password").status_code == 429
    locked = sign_in(client, "ala")  # the 11th attempt, with the right password
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "Zbyt wiele nieudanych prób logowania" in html
    assert '<html lang="pl">' in html and 'role="alert"' in html
    assert int(locked["Retry-After"]) == 15 * 60
    assert not _signed_in(client)


def test_the_lock_holds_for_the_account_from_another_address(client, verified_user):
    for i in range(10):
        sign_in(client, "ala", "wrong", REMOTE_ADDR=f"10.0.0.{i + 1}")
    # another address, the e-mail instead of the username: the same account, still locked
    response = sign_in(client, "ala@example.org", REMOTE_ADDR="10.0.1.1")
    assert response.status_code == 429
    assert not _signed_in(client)


def test_the_lock_holds_for_the_address_whatever_the_account(client, verified_user):
    for i in range(10):
        sign_in(client, f"nobody-{i}", "wrong", REMOTE_ADDR="10.9.9.9")
    assert sign_in(client, "ala", REMOTE_ADDR="10.9.9.9").status_code == 429
    assert sign_in(client, "ala", REMOTE_ADDR="10.9.9.10").status_code == 302


def test_nine_failures_then_success_resets_the_count(client, verified_user):
    for _ in range(9):
        sign_in(client, "ala", "wrong")
    assert sign_in(client, "ala").status_code == 302
    client.post("/konto/wylogowanie/")
    for _ in range(9):
        sign_in(client, "ala", "wrong")
    assert sign_in(client, "ala").status_code == 302  # not locked: the success reset it


def test_the_old_admin_form_is_no_way_around_the_lock(client, make_user):
    staff = make_user("planner")
    for _ in range(10):
        sign_in(client, staff.username, "wrong")
    response = client.post(
        "/admin/login/", {"username": staff.username, "password": "pw-secret-123"}, follow=True
    )
    assert not _signed_in(client)
    assert response.redirect_chain[0][0].startswith("/konto/logowanie/")
    assert get_user_model().objects.get(pk=staff.pk).last_login is None

"""Every allauth page has a Polish address under /konto/."""

from __future__ import annotations

from django.urls import reverse

from miasto.accounts.urls import POLISH_PATHS, _flatten


def test_every_allauth_view_is_mounted_under_a_polish_path():
    from allauth import urls as allauth_urls

    names = {p.name for _prefix, p in _flatten(allauth_urls.urlpatterns)}
    assert names, "allauth mounted nothing"
    assert names <= set(POLISH_PATHS), sorted(names - set(POLISH_PATHS))


def test_the_paths_the_issue_names():
    assert reverse("account_login") == "/konto/logowanie/"
    assert reverse("account_logout") == "/konto/wylogowanie/"
    assert reverse("account_signup") == "/konto/rejestracja/"
    assert reverse("account_profile") == "/konto/"
    assert reverse("account_reset_password") == "/konto/haslo/reset/"
    assert reverse("mfa_activate_totp") == "/konto/2fa/totp/wlacz/"
    assert reverse("account_confirm_email", args=["abc:def"]) == "/konto/email/weryfikacja/abc:def/"

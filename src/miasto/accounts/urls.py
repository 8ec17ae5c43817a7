"""``/konto/…``: django-allauth's views under Polish paths, and the profile pages.

allauth's own URL names are kept (its views and templates reverse them), only the paths
change. Each pattern of the allauth version installed is taken from its URL modules, so a
view that a newer allauth adds still gets mounted (under its English path until it is given
a Polish one here; ``tests/accounts/test_urls.py`` says which).
"""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path, re_path
from django.urls.resolvers import RegexPattern

from miasto.accounts import views

#: allauth URL name → Polish path (regex for the patterns allauth defines with re_path)
POLISH_PATHS: dict[str, str] = {
    "account_login": "logowanie/",
    "account_logout": "wylogowanie/",
    "account_inactive": "nieaktywne/",
    "account_signup": "rejestracja/",
    "account_reauthenticate": "potwierdz-tozsamosc/",
    "account_request_reauthentication_code": "potwierdz-tozsamosc/kod/",
    "account_confirm_reauthentication_code": "potwierdz-tozsamosc/kod/sprawdz/",
    "account_email": "email/",
    "account_email_verification_sent": "email/weryfikacja/",
    "account_confirm_email": r"^email/weryfikacja/(?P<key>[-:\w]+)/$",
    "account_change_password": "haslo/zmiana/",
    "account_set_password": "haslo/ustaw/",
    "account_reset_password": "haslo/reset/",
    "account_reset_password_done": "haslo/reset/wyslano/",
    "account_reset_password_from_key": (
        r"^haslo/reset/klucz/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$"
    ),
    "account_reset_password_from_key_done": "haslo/reset/gotowe/",
    "account_confirm_login_code": "logowanie/kod/sprawdz/",
    "mfa_index": "2fa/",
    "mfa_authenticate": "2fa/uwierzytelnienie/",
    "mfa_reauthenticate": "2fa/potwierdz-tozsamosc/",
    "mfa_trust": "2fa/zaufaj/",
    "mfa_activate_totp": "2fa/totp/wlacz/",
    "mfa_deactivate_totp": "2fa/totp/wylacz/",
    "mfa_view_recovery_codes": "2fa/kody-zapasowe/",
    "mfa_generate_recovery_codes": "2fa/kody-zapasowe/nowe/",
    "mfa_download_recovery_codes": "2fa/kody-zapasowe/pobierz/",
}


def _flatten(
    patterns: list[URLPattern | URLResolver], prefix: str = ""
) -> list[tuple[str, URLPattern]]:
    found: list[tuple[str, URLPattern]] = []
    for p in patterns:
        if isinstance(p, URLResolver):
            found += _flatten(p.url_patterns, prefix + str(p.pattern))
        else:
            found.append((prefix, p))
    return found


def _polish(pattern: URLPattern, prefix: str) -> URLPattern:
    route = POLISH_PATHS.get(pattern.name or "")
    if route is None:  # not translated yet: mounted where allauth puts it
        own = str(pattern.pattern)
        route = (
            "^" + prefix + own.lstrip("^")
            if isinstance(pattern.pattern, RegexPattern)
            else prefix + own
        )
    maker = re_path if route.startswith("^") else path
    return maker(route, pattern.callback, name=pattern.name)


def allauth_patterns() -> list[URLPattern]:
    from allauth import urls as allauth_urls

    return [_polish(p, prefix) for prefix, p in _flatten(allauth_urls.urlpatterns)]


urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.profile, name="account_profile"),
    path("dane/", views.export, name="account_export"),
    path("usun/", views.delete, name="account_delete"),
    *allauth_patterns(),
]

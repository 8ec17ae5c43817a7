"""Staff two-factor rule: with ``MIASTO_STAFF_REQUIRE_2FA`` staff must set up TOTP first."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

#: paths a staff member without TOTP may still open (to set it up, or to leave)
OPEN_PREFIXES = ("/konto/", "/static/", "/i18n/", "/healthz")


class StaffTwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.MIASTO_STAFF_REQUIRE_2FA and self._must_set_up(request):
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    @staticmethod
    def _must_set_up(request: HttpRequest) -> bool:
        user = getattr(request, "user", None)
        if not (user and user.is_authenticated and user.is_staff):
            return False
        if request.path.startswith(OPEN_PREFIXES):
            return False
        from allauth.mfa.models import Authenticator

        return not Authenticator.objects.filter(
            user_id=user.pk, type=Authenticator.Type.TOTP
        ).exists()

"""How django-allauth behaves in Miasto (settings.ACCOUNT_ADAPTER)."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.stages import EmailVerificationStage
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from miasto.accounts.services import profile_of

EMAIL_VERIFICATION_STAGE = "allauth.account.stages.EmailVerificationStage"
#: the header already says who is signed in; shown on the next account page instead, possibly
#: much later, these notes would only confuse
SILENT_MESSAGES = {"account/messages/logged_in.txt", "account/messages/logged_out.txt"}


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return bool(getattr(settings, "MIASTO_SIGNUP_OPEN", True))

    def get_login_stages(self) -> list[str]:
        return [
            "miasto.accounts.adapter.AddressedEmailVerificationStage"
            if path == EMAIL_VERIFICATION_STAGE
            else path
            for path in super().get_login_stages()
        ]

    def add_message(
        self,
        request: HttpRequest,
        level: int,
        message_template: str | None = None,
        *args: Any,
        **kwargs: Any,
    ) -> None:
        if message_template in SILENT_MESSAGES:
            return
        super().add_message(request, level, message_template, *args, **kwargs)

    def post_login(self, request: HttpRequest, user: Any, **kwargs: Any) -> HttpResponse:
        """After a sign-in the site speaks the language chosen in the profile."""
        response = super().post_login(request, user, **kwargs)
        # the first sign-in keeps the language the visitor chose before it
        language = profile_of(user, getattr(request, "LANGUAGE_CODE", None)).language
        activate_language(request, response, language)
        return response


class AddressedEmailVerificationStage(EmailVerificationStage):
    """Mandatory verification for every address allauth knows of (sign-up, added e-mails).

    Accounts that an administrator made (admin, ``createsuperuser``, ``demo-users``) and that
    have no e-mail address recorded by allauth are not held back: there is nothing to verify.
    """

    def handle(self):
        from allauth.account.models import EmailAddress

        user = self.login.user
        if not self.login.signup and not EmailAddress.objects.filter(user_id=user.pk).exists():
            return None, True
        return super().handle()


def activate_language(request: HttpRequest, response: HttpResponse, language: str) -> None:
    """Make ``language`` the one LocaleMiddleware picks from now on (kept in a cookie)."""
    if language not in dict(settings.LANGUAGES):
        return
    translation.activate(language)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )

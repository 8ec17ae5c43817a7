"""Fixtures for the account tests: a clean cache (allauth's rate limits live there) and users."""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct
import time
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

PASSWORD = "pw-secret-123"
LOGIN_URL = "/konto/logowanie/"


@pytest.fixture(autouse=True)
def _clean_cache():  # type: ignore[no-untyped-def]
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_hasher(settings):  # type: ignore[no-untyped-def]
    """These tests sign in hundreds of times; PBKDF2's cost is not what they test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session", autouse=True)
def _compiled_accounts_messages() -> None:
    """Compile the accounts app's Polish catalogue when the .mo is missing (not committed)."""
    import miasto.accounts

    po = Path(miasto.accounts.__file__).parent / "locale" / "pl" / "LC_MESSAGES" / "django.po"
    mo = po.with_suffix(".mo")
    if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
        from django.core.management import call_command

        call_command("compilemessages", locale=["pl"], verbosity=0)
        # catalogues read before the compilation would miss it for the whole run
        from django.utils.translation import trans_real

        trans_real._translations = {}
        trans_real._default = None


@pytest.fixture
def verified_user(db):  # type: ignore[no-untyped-def]
    """A resident with a verified e-mail address, as a sign-up leaves one."""
    from allauth.account.models import EmailAddress

    user = get_user_model().objects.create_user(
        "ala", email="ala@example.org", password=PASSWORD, first_name="Ala", last_name="Nowak"
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def sign_in(client, login: str, password: str = PASSWORD, **extra):  # type: ignore[no-untyped-def]
    return client.post(LOGIN_URL, {"login": login, "password": password}, **extra)


def totp_code(secret: str, at: float | None = None) -> str:
    """RFC 6238 (30 s, 6 digits, SHA-1), computed here, independent of allauth's code."""
    counter = int((time.time() if at is None else at) // 30)
    key = base64.b32decode(secret.encode("ascii"), casefold=True)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"

"""API keys and rate limits: keys are hashed and shown once, bad keys are refused, limits
count per client across requests and answer 429 with Retry-After."""

from __future__ import annotations

import hashlib
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client

from miasto.core import apikeys
from miasto.core.models import ApiKey, ApiRateWindow, ApiUsage

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture
def owner():  # type: ignore[no-untyped-def]
    return get_user_model().objects.create_user(username="dev", password="pw-secret-123")


def test_a_key_is_stored_only_as_its_digest(owner) -> None:  # type: ignore[no-untyped-def]
    key, raw = apikeys.api_key_create(owner, "  Mapa drzew  ")
    assert raw.startswith("mst_") and len(raw) > 40
    assert key.name == "Mapa drzew"
    assert raw[4:14] == key.prefix
    assert key.digest == hashlib.sha256(raw.encode()).hexdigest()
    stored = ApiKey.objects.filter(pk=key.pk).values_list(flat=True)
    assert raw not in str(list(ApiKey.objects.filter(pk=key.pk).values()))
    assert stored.exists()


def test_find_accepts_the_key_and_nothing_else(owner) -> None:  # type: ignore[no-untyped-def]
    key, raw = apikeys.api_key_create(owner, "App")
    assert apikeys.api_key_find(raw) == key
    assert apikeys.api_key_find(raw[:-1] + ("A" if raw[-1] != "A" else "B")) is None
    assert apikeys.api_key_find("mst_" + key.prefix) is None
    assert apikeys.api_key_find("") is None
    assert apikeys.api_key_find("x" * 10_000) is None
    assert apikeys.api_key_find("mst_' OR 1=1 --") is None
    apikeys.api_key_revoke(key)
    assert apikeys.api_key_find(raw) is None


def test_a_key_of_an_inactive_account_is_refused(owner) -> None:  # type: ignore[no-untyped-def]
    _key, raw = apikeys.api_key_create(owner, "App")
    owner.is_active = False
    owner.save()
    assert apikeys.api_key_find(raw) is None


def test_requests_are_counted_per_key_and_endpoint(owner) -> None:  # type: ignore[no-untyped-def]
    key, raw = apikeys.api_key_create(owner, "App")
    client = Client()
    for _ in range(3):
        assert client.get("/api/v1/layers", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    client.get("/api/v1/search", {"q": "x"}, HTTP_X_API_KEY=raw)
    client.get("/api/v1/layers")  # anonymous
    usage = {u["endpoint"]: u["hits"] for u in apikeys.usage_of(key)}
    assert usage == {"api-layers": 3, "api-search": 1}
    assert sum(u["hits"] for u in apikeys.usage_of(None)) == 1
    key.refresh_from_db()
    assert key.last_used_at is not None


def test_a_bad_key_is_refused_not_served_as_anonymous(owner) -> None:  # type: ignore[no-untyped-def]
    key, raw = apikeys.api_key_create(owner, "App")
    apikeys.api_key_revoke(key)
    client = Client()
    for kwargs in (
        {"HTTP_AUTHORIZATION": f"Bearer {raw}"},
        {"HTTP_X_API_KEY": "mst_nonsense"},
    ):
        response = client.get("/api/v1/layers", **kwargs)
        assert response.status_code == 401
        assert response.json()["error"] == "unauthorized"
    assert client.get("/api/v1/layers", {"api_key": "wrong"}).status_code == 401


def test_pages_that_are_not_apis_are_not_counted(owner) -> None:  # type: ignore[no-untyped-def]
    Client().get("/")
    assert not ApiUsage.objects.exists()
    assert not ApiRateWindow.objects.exists()


def test_anonymous_clients_are_limited_with_retry_after(settings) -> None:  # type: ignore[no-untyped-def]
    settings.MIASTO_API_RATE_ANONYMOUS = 3
    client = Client()
    answers = [client.get("/api/v1/layers") for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert answers[0]["RateLimit-Limit"] == "3"
    assert answers[0]["RateLimit-Remaining"] == "2"
    refused = answers[-1]
    assert 1 <= int(refused["Retry-After"]) <= 60
    body = refused.json()
    assert body["error"] == "too_many_requests" and body["retry_after"] >= 1
    assert "3" in body["message"]
    # another address has its own minute
    assert client.get("/api/v1/layers", REMOTE_ADDR="192.0.2.9").status_code == 200
    assert ApiUsage.objects.get(key=None, endpoint__endswith="api-layers").limited == 1


def test_a_key_raises_the_limit(owner, settings) -> None:  # type: ignore[no-untyped-def]
    settings.MIASTO_API_RATE_ANONYMOUS = 1
    settings.MIASTO_API_RATE_KEY = 5
    _key, raw = apikeys.api_key_create(owner, "App")
    client = Client()
    codes = [
        client.get("/api/v1/layers", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code
        for _ in range(5)
    ]
    assert codes == [200] * 5
    assert client.get("/api/v1/layers", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 429


def test_a_key_may_have_its_own_limit(owner, settings) -> None:  # type: ignore[no-untyped-def]
    settings.MIASTO_API_RATE_KEY = 1
    key, raw = apikeys.api_key_create(owner, "Partner")
    key.rate_per_minute = 0  # no limit
    key.save()
    client = Client()
    codes = {
        client.get("/api/v1/layers", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code
        for _ in range(4)
    }
    assert codes == {200}


def test_old_windows_are_pruned(owner) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from django.utils import timezone

    ApiRateWindow.objects.create(subject="ip:x", window_start=timezone.now() - timedelta(hours=1))
    Client().get("/api/v1/layers")
    assert apikeys.api_windows_prune() == 1
    assert ApiRateWindow.objects.count() == 1


def test_the_rate_table_is_unlogged() -> None:
    from miasto.core import db

    persistence = db.fetch_value(
        "SELECT relpersistence FROM pg_class WHERE relname = 'core_apiratewindow'"
    )
    assert persistence == "u"


def test_cli_creates_lists_and_revokes(owner) -> None:  # type: ignore[no-untyped-def]
    out, err = StringIO(), StringIO()
    call_command("api_key", "create", "--user", "dev", "--name", "Skrypt", stdout=out, stderr=err)
    raw = out.getvalue().strip()
    key = apikeys.api_key_find(raw)
    assert key is not None and key.name == "Skrypt" and key.user == owner
    listing = StringIO()
    call_command("api_key", "list", "--user", "dev", stdout=listing)
    assert key.prefix in listing.getvalue() and raw not in listing.getvalue()
    call_command("api_key", "revoke", f"mst_{key.prefix}", stdout=StringIO())
    assert apikeys.api_key_find(raw) is None
    with pytest.raises(CommandError):
        call_command("api_key", "create", "--user", "nobody", "--name", "X")
    with pytest.raises(CommandError):
        call_command("api_key", "revoke", "unknown")


def test_behind_a_proxy_each_client_has_its_own_minute(settings) -> None:  # type: ignore[no-untyped-def]
    """Behind nginx every request comes from 127.0.0.1: the limit counts the address the
    proxy appended to X-Forwarded-For, never what a client wrote there itself."""
    settings.MIASTO_API_RATE_ANONYMOUS = 1
    settings.MIASTO_PROXY_COUNT = 1
    client = Client()
    first = {"HTTP_X_FORWARDED_FOR": "203.0.113.5"}
    assert client.get("/api/v1/layers", **first).status_code == 200
    assert client.get("/api/v1/layers", **first).status_code == 429
    # another visitor through the same proxy
    assert client.get("/api/v1/layers", HTTP_X_FORWARDED_FOR="203.0.113.6").status_code == 200
    # a client forging an earlier entry is still counted by the proxy's own entry
    spoofed = {"HTTP_X_FORWARDED_FOR": "198.51.100.1, 203.0.113.5"}
    assert client.get("/api/v1/layers", **spoofed).status_code == 429

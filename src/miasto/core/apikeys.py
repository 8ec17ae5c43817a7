"""API keys of third-party applications, and the rate limits of the APIs.

A key is ``mst_`` + a 10-character prefix + 43 characters of secret (32 random bytes,
URL-safe base64): the prefix finds its row, the SHA-256 digest of the whole key checks it.
The key is returned once by :func:`api_key_create` and never stored.

Rate limits: every request to an API path (``settings.MIASTO_API_PATHS``) counts in its
client's current minute — the key, else the signed-in account, else the address — and is
refused with 429 and ``Retry-After`` above ``settings.MIASTO_API_RATE_ANONYMOUS`` (anonymous
and signed-in without a key) or the key's own or default limit
(``settings.MIASTO_API_RATE_KEY``); 0 lifts a limit. Each process counts in memory and writes
its counts to an UNLOGGED table shared by every worker process about once a second
(:mod:`miasto.core.ratecount`); the middleware is :mod:`miasto.core.ratelimit`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone

from miasto.core import ratecount
from miasto.core.jobs import periodic
from miasto.core.models import ApiKey, ApiRateWindow, ApiUsage

KEY_PREFIX = "mst_"
_PREFIX_LEN = 10
#: a key longer than this is not one of ours (and is not hashed)
MAX_KEY_LENGTH = 80


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def api_key_create(user: Any, name: str, description: str = "") -> tuple[ApiKey, str]:
    """A new key for ``user``'s application ``name``: the row and the key (shown once)."""
    prefix = base64.b32encode(secrets.token_bytes(10)).decode().lower()[:_PREFIX_LEN]
    secret = secrets.token_urlsafe(32)
    raw = f"{KEY_PREFIX}{prefix}{secret}"
    key = ApiKey.objects.create(
        user=user,
        name=name.strip()[:100],
        description=description.strip()[:300],
        prefix=prefix,
        digest=_digest(raw),
    )
    return key, raw


def api_key_revoke(key: ApiKey) -> None:
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])


def api_key_find(raw: str) -> ApiKey | None:
    """The active key ``raw`` is, or None (unknown, revoked, malformed, owner inactive)."""
    raw = raw.strip()
    if not raw.startswith(KEY_PREFIX) or len(raw) > MAX_KEY_LENGTH:
        return None
    prefix = raw[len(KEY_PREFIX) : len(KEY_PREFIX) + _PREFIX_LEN]
    key = (
        ApiKey.objects.select_related("user")
        .filter(prefix=prefix, revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if key is None or not hmac.compare_digest(key.digest, _digest(raw)):
        return None
    return key


@dataclass(frozen=True)
class Hit:
    """One request counted: the count in this minute, the limit, seconds to the next minute."""

    count: int
    limit: int
    reset: int

    @property
    def refused(self) -> bool:
        return self.limit > 0 and self.count > self.limit

    @property
    def remaining(self) -> int:
        return max(self.limit - self.count, 0)


def limit_for(key: ApiKey | None) -> int:
    if key is None:
        return int(settings.MIASTO_API_RATE_ANONYMOUS)
    if key.rate_per_minute is not None:
        return key.rate_per_minute
    return int(settings.MIASTO_API_RATE_KEY)


def api_hit(subject: str, key: ApiKey | None, endpoint: str) -> Hit:
    """Count one request of ``subject`` (and of ``key`` on ``endpoint``); see the module."""
    limit, key_id = limit_for(key), key.pk if key else None
    count = ratecount.count_request(subject[:80], key_id, endpoint[:100], limit)
    hit = Hit(count=count, limit=limit, reset=max(60 - int(time.time() % 60), 1))
    if hit.refused:
        ratecount.count_refused(key_id, endpoint[:100])
    return hit


def api_key_touch(key: ApiKey) -> None:
    """Note the key's last use, at most once a minute (not a write per request)."""
    now = timezone.now()
    if key.last_used_at is None or now - key.last_used_at > timedelta(minutes=1):
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)


def usage_of(key: ApiKey | None, days: int = 30) -> list[dict[str, Any]]:
    """Requests per endpoint in the last ``days`` days (newest first), for a key or for
    anonymous use (``key=None``)."""
    since = timezone.localdate() - timedelta(days=days - 1)
    rows = (
        ApiUsage.objects.filter(key=key, day__gte=since)
        .values("endpoint")
        .annotate(hits=Sum("hits"), limited=Sum("limited"))
        .order_by("-hits", "endpoint")
    )
    return [dict(row) for row in rows]


def api_windows_prune() -> int:
    """Drop the counters of minutes gone by (run by a periodic job)."""
    cutoff = timezone.now() - timedelta(minutes=2)
    deleted, _ = ApiRateWindow.objects.filter(window_start__lt=cutoff).delete()
    return deleted


periodic("core.api_windows_prune", every=timedelta(minutes=10))(api_windows_prune)

"""Limits on how often one person may do something (send a comment, a report, a survey).

Public forms take contributions from anyone; :func:`throttle_hit` counts one action of a person
in a bucket (``"consultations.comment"``) and says whether it is still within the limit over
the window. A person is their account when signed in, otherwise a keyed hash of their
address (:func:`miasto.core.http.client_ip`) — the address itself is never stored, and the
counters are dropped after a day (:func:`throttle_prune`, a periodic job). Limits are the
caller's configuration (settings), not constants here.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from miasto.core.http import client_ip
from miasto.core.jobs import periodic
from miasto.core.models import ThrottleHit

KEEP = timedelta(days=1)


def who(request: HttpRequest) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"u{user.pk}"
    mac = hmac.new(settings.SECRET_KEY.encode(), client_ip(request).encode(), hashlib.sha256)
    return "a" + mac.hexdigest()[:40]


def throttle_hit(request: HttpRequest, bucket: str, *, limit: int, window: timedelta) -> bool:
    """Count one action of the requester in ``bucket``; False when it is over ``limit``
    actions in the last ``window`` (the caller then refuses with a 429 and a message)."""
    person, now = who(request), timezone.now()
    ThrottleHit.objects.create(bucket=bucket[:60], who=person, at=now)
    recent = ThrottleHit.objects.filter(bucket=bucket[:60], who=person, at__gt=now - window)
    return recent.count() <= limit


def throttle_prune() -> int:
    deleted, _ = ThrottleHit.objects.filter(at__lt=timezone.now() - KEEP).delete()
    return deleted


periodic("core.throttle_prune", every=timedelta(hours=1))(throttle_prune)

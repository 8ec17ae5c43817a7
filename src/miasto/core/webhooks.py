"""Webhooks: signed JSON notifications of events to registered applications' URLs.

An application (:class:`~miasto.core.models.ApiKey`) subscribes a URL to a topic and subject
(:func:`webhook_subscribe`: a public subject only). When the event is emitted
(:mod:`miasto.core.events`), :func:`on_event` queues one :class:`WebhookDelivery` per
subscription; the workers' periodic :func:`webhooks_deliver` POSTs the due ones and retries a
failure after ``settings.MIASTO_WEBHOOK_BACKOFF`` seconds, then gives up.

Each POST carries ``X-Miasto-Event``, ``X-Miasto-Delivery`` (the event id: the same on every
retry, so a receiver can drop duplicates), ``X-Miasto-Timestamp`` and ``X-Miasto-Signature:
sha256=<hex>`` — the HMAC-SHA256, under the webhook's secret, of ``<timestamp>.<body>``.

Safety: only ``http``/``https`` URLs; the host is resolved once and refused if any address
is private, loopback, link-local or reserved (``MIASTO_WEBHOOK_ALLOW_PRIVATE`` lifts that for
tests and closed networks); the connection goes to the checked address (no second lookup a
DNS rebinding could change); redirects are not followed; a short timeout; the answer is read
only up to a few kilobytes.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import ipaddress
import json
import secrets
import socket
import ssl
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from miasto.core.events import Event, listener_registry, topic_registry
from miasto.core.jobs import periodic
from miasto.core.models import ApiKey, Webhook, WebhookDelivery

#: subscriptions one application may hold
MAX_WEBHOOKS_PER_KEY = 50
TIMEOUT_S = 5.0
_READ_LIMIT = 4096
_BATCH = 50


class WebhookRefused(ValueError):
    """A subscription or a URL that is not allowed; the message says why (Polish)."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str
    address: str


def resolve_target(url: str) -> Target:
    """Check a webhook URL and resolve its host to one allowed address."""
    if len(url) > 500:
        raise WebhookRefused("Adres jest za długi (najwyżej 500 znaków).")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise WebhookRefused("Podaj adres http:// lub https:// z nazwą serwera.")
    if parts.username or parts.password:
        raise WebhookRefused("Adres nie może zawierać nazwy użytkownika ani hasła.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (OSError, ValueError) as exc:
        raise WebhookRefused(f"Nie można znaleźć serwera {parts.hostname!r}.") from exc
    addresses = {str(info[4][0]) for info in infos}
    if not settings.MIASTO_WEBHOOK_ALLOW_PRIVATE:
        for address in addresses:
            ip = ipaddress.ip_address(address.split("%")[0])
            if not ip.is_global or ip.is_multicast:
                raise WebhookRefused(
                    "Adres prowadzi do sieci prywatnej lub zastrzeżonej — "
                    "powiadomienia wysyłamy tylko do serwerów w internecie."
                )
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(parts.scheme, parts.hostname, port, path, sorted(addresses)[0])


def webhook_subscribe(key: ApiKey, topic: str, subject: str, url: str) -> Webhook:
    """Subscribe ``key``'s application; raises :class:`WebhookRefused` with the reason."""
    found = topic_registry.get(topic)
    if found is None or not found.is_public(subject):
        raise WebhookRefused("Nie można obserwować tego obiektu.")
    if not key.active:
        raise WebhookRefused("Klucz aplikacji jest unieważniony.")
    if key.webhooks.count() >= MAX_WEBHOOKS_PER_KEY:
        raise WebhookRefused(
            f"Aplikacja ma już {MAX_WEBHOOKS_PER_KEY} subskrypcji: usuń którąś najpierw."
        )
    resolve_target(url)
    return Webhook.objects.create(
        key=key, topic=topic, subject=subject, url=url, secret=secrets.token_hex(32)
    )


def on_event(event: Event) -> None:
    """Queue a delivery for every active subscription of an active application (none when
    the subject is no longer public: a dataset made restricted is not announced)."""
    topic = topic_registry.get(event.topic)
    if topic is None or not topic.is_public(event.subject):
        return
    hooks = Webhook.objects.filter(
        topic=event.topic, subject=event.subject, active=True, key__revoked_at__isnull=True
    )
    event_id = uuid.uuid4()
    body = {
        "event": event.topic,
        "subject": event.subject,
        "id": str(event_id),
        "created": event.at.isoformat(),
        "data": event.data,
    }
    payload = json.loads(json.dumps(body, cls=DjangoJSONEncoder))
    now = timezone.now()
    WebhookDelivery.objects.bulk_create(
        WebhookDelivery(webhook=h, event_id=event_id, payload=payload, next_attempt_at=now)
        for h in hooks
    )


def signature(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


class _PinnedHTTPS(http.client.HTTPSConnection):
    """HTTPS to an address checked beforehand, with the host name for SNI and the
    certificate check."""

    def __init__(self, target: Target) -> None:
        super().__init__(target.host, target.port, timeout=TIMEOUT_S)
        self._address = target.address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        context = ssl.create_default_context()
        self.sock = context.wrap_socket(sock, server_hostname=self.host)


def _post(target: Target, headers: dict[str, str], body: bytes) -> int:
    conn: http.client.HTTPConnection
    if target.scheme == "https":
        conn = _PinnedHTTPS(target)
    else:
        conn = http.client.HTTPConnection(target.address, target.port, timeout=TIMEOUT_S)
    try:
        host = target.host if target.port in (80, 443) else f"{target.host}:{target.port}"
        conn.request("POST", target.path, body=body, headers={**headers, "Host": host})
        response = conn.getresponse()
        response.read(_READ_LIMIT)
        return response.status
    finally:
        conn.close()


def deliver(delivery: WebhookDelivery) -> bool:
    """One attempt; records its outcome and schedules the next one. True when delivered."""
    hook = delivery.webhook
    body = json.dumps(delivery.payload, ensure_ascii=False).encode()
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "Miasto-Webhooks/1",
        "X-Miasto-Event": str(delivery.payload.get("event", "")),
        "X-Miasto-Delivery": str(delivery.event_id),
        "X-Miasto-Timestamp": timestamp,
        "X-Miasto-Signature": signature(hook.secret, timestamp, body),
    }
    delivery.attempts += 1
    try:
        status = _post(resolve_target(hook.url), headers, body)
        delivery.response_status = status
        delivery.error = "" if 200 <= status < 300 else f"HTTP {status}"
    except (WebhookRefused, OSError, http.client.HTTPException) as exc:
        delivery.response_status = None
        delivery.error = str(exc)[:300] or type(exc).__name__
    ok = not delivery.error
    _schedule(delivery, ok)
    delivery.save()
    return ok


def _schedule(delivery: WebhookDelivery, ok: bool) -> None:
    backoff = list(settings.MIASTO_WEBHOOK_BACKOFF)
    if ok:
        delivery.status = WebhookDelivery.Status.DELIVERED
        delivery.delivered_at = timezone.now()
        delivery.next_attempt_at = None
    elif delivery.attempts > len(backoff):
        delivery.status = WebhookDelivery.Status.FAILED
        delivery.next_attempt_at = None
    else:
        wait = backoff[delivery.attempts - 1]
        delivery.next_attempt_at = timezone.now() + timedelta(seconds=wait)


def webhooks_deliver(limit: int = _BATCH) -> int:
    """Send the deliveries that are due (each taken by one worker only); their number."""
    sent = 0
    while sent < limit:
        with transaction.atomic():
            due = (
                WebhookDelivery.objects.select_for_update(skip_locked=True)
                .select_related("webhook")
                .filter(status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=timezone.now())
                .order_by("next_attempt_at")
                .first()
            )
            if due is None:
                break
            deliver(due)
        sent += 1
    return sent


def delivery_log(hook: Webhook, limit: int = 50) -> list[WebhookDelivery]:
    return list(hook.deliveries.all()[:limit])


def webhook_delete(hook: Webhook) -> None:
    hook.delete()


listener_registry.register("core.webhooks", on_event)
periodic("core.webhooks_deliver", every=timedelta(minutes=1))(webhooks_deliver)

"""Webhooks of datasets: only public datasets may be followed; a new version queues one
delivery per subscription, sent signed, retried with back-off, then given up."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from miasto.core import webhooks
from miasto.core.apikeys import api_key_create, api_key_revoke
from miasto.core.models import WebhookDelivery
from miasto.datahub import services
from tests.datahub.conftest import parcel_features, write_geojson

pytestmark = pytest.mark.django_db(transaction=True)


class Receiver:
    """A local HTTP server answering ``status`` and keeping what it received."""

    def __init__(self, status: int = 204) -> None:
        self.status = status
        self.received: list[dict[str, Any]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append({"headers": dict(self.headers), "body": body})
                self.send_response(receiver.status)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook?x=1"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(settings) -> Iterator[Receiver]:  # type: ignore[no-untyped-def]
    settings.MIASTO_WEBHOOK_ALLOW_PRIVATE = True
    r = Receiver()
    yield r
    r.close()


@pytest.fixture
def app_key():  # type: ignore[no-untyped-def]
    user = get_user_model().objects.create_user(username="dev")
    key, _raw = api_key_create(user, "App")
    return key


@pytest.fixture
def public_dataset(make_dataset):  # type: ignore[no-untyped-def]
    return make_dataset("generic", slug="drzewa", title_pl="Drzewa")


def test_only_public_datasets_may_be_followed(app_key, make_dataset, public_dataset) -> None:  # type: ignore[no-untyped-def]
    hidden = make_dataset("generic", slug="ukryty", access="restricted")
    with pytest.raises(webhooks.WebhookRefused):
        webhooks.webhook_subscribe(
            app_key, "dataset.version_published", hidden.slug, "https://a.pl/"
        )
    with pytest.raises(webhooks.WebhookRefused):
        webhooks.webhook_subscribe(
            app_key, "dataset.version_published", "nieznany", "https://a.pl/"
        )
    with pytest.raises(webhooks.WebhookRefused):
        webhooks.webhook_subscribe(app_key, "nope", public_dataset.slug, "https://a.pl/")


def _import(dataset, tmp_path, name="v.geojson", n=3):  # type: ignore[no-untyped-def]
    return services.version_import(
        dataset=dataset,
        path=write_geojson(tmp_path / name, parcel_features(range(n))),
        source_name=name,
    )


def test_a_new_version_is_delivered_signed(  # type: ignore[no-untyped-def]
    city, app_key, public_dataset, receiver, tmp_path
) -> None:
    hook = webhooks.webhook_subscribe(
        app_key, "dataset.version_published", public_dataset.slug, receiver.url
    )
    version = _import(public_dataset, tmp_path)
    assert version.status == "ready"
    assert WebhookDelivery.objects.filter(webhook=hook).count() == 1
    assert webhooks.webhooks_deliver() == 1
    [got] = receiver.received
    body = json.loads(got["body"])
    assert body["event"] == "dataset.version_published"
    assert body["data"]["dataset"] == "drzewa" and body["data"]["version"] == 1
    assert body["data"]["links"]["feed"].endswith("/dane/drzewa/zmiany.atom")
    expected = hmac.new(
        hook.secret.encode(),
        got["headers"]["X-Miasto-Timestamp"].encode() + b"." + got["body"],
        hashlib.sha256,
    ).hexdigest()
    assert got["headers"]["X-Miasto-Signature"] == f"sha256={expected}"
    assert got["headers"]["X-Miasto-Delivery"] == body["id"]
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "delivered" and delivery.response_status == 204
    assert webhooks.webhooks_deliver() == 0  # nothing left


def test_a_failed_delivery_is_retried_with_backoff_then_given_up(  # type: ignore[no-untyped-def]
    city, app_key, public_dataset, receiver, tmp_path, settings
) -> None:
    settings.MIASTO_WEBHOOK_BACKOFF = (60, 300)
    receiver.status = 500
    webhooks.webhook_subscribe(
        app_key, "dataset.version_published", public_dataset.slug, receiver.url
    )
    _import(public_dataset, tmp_path)
    assert webhooks.webhooks_deliver() == 1
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "pending" and delivery.attempts == 1
    assert delivery.error == "HTTP 500"
    wait = delivery.next_attempt_at - timezone.now()
    assert timedelta(seconds=50) < wait <= timedelta(seconds=60)
    assert webhooks.webhooks_deliver() == 0  # not due yet
    for attempts in (2, 3):
        WebhookDelivery.objects.update(next_attempt_at=timezone.now())
        assert webhooks.webhooks_deliver() == 1
        delivery.refresh_from_db()
        assert delivery.attempts == attempts
    assert delivery.status == "failed" and delivery.next_attempt_at is None
    assert len(receiver.received) == 3
    # the same event id on every attempt, so the receiver can drop duplicates
    ids = {r["headers"]["X-Miasto-Delivery"] for r in receiver.received}
    assert len(ids) == 1


def test_nothing_is_sent_for_hidden_datasets_or_revoked_keys(  # type: ignore[no-untyped-def]
    city, app_key, public_dataset, receiver, tmp_path
) -> None:
    webhooks.webhook_subscribe(
        app_key, "dataset.version_published", public_dataset.slug, receiver.url
    )
    public_dataset.access = "restricted"
    public_dataset.save()
    _import(public_dataset, tmp_path, "a.geojson")
    assert not WebhookDelivery.objects.exists()
    public_dataset.access = "public"
    public_dataset.save()
    api_key_revoke(app_key)
    _import(public_dataset, tmp_path, "b.geojson")
    assert not WebhookDelivery.objects.exists()


def test_an_address_that_becomes_private_is_not_called(  # type: ignore[no-untyped-def]
    city, app_key, public_dataset, receiver, tmp_path, settings
) -> None:
    webhooks.webhook_subscribe(
        app_key, "dataset.version_published", public_dataset.slug, receiver.url
    )
    _import(public_dataset, tmp_path)
    settings.MIASTO_WEBHOOK_ALLOW_PRIVATE = False  # e.g. its DNS now points inside the network
    webhooks.webhooks_deliver()
    delivery = WebhookDelivery.objects.get()
    assert receiver.received == []
    assert "sieci prywatnej" in delivery.error and delivery.status == "pending"

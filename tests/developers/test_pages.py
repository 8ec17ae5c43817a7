"""The developer portal and one's API keys: a key is shown once, belongs to its owner, and
can be revoked."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from miasto.core.apikeys import api_key_create, api_key_find
from miasto.core.models import ApiKey
from miasto.developers.forms import MAX_ACTIVE_KEYS

pytestmark = pytest.mark.django_db


@pytest.fixture
def me(client: Client):  # type: ignore[no-untyped-def]
    user = get_user_model().objects.create_user(username="me", password="pw-secret-123")
    client.force_login(user)
    return user


def test_portal_lists_the_services_and_examples(client: Client) -> None:
    page = client.get("/dla-deweloperow/").content.decode()
    for text in ("/ogcapi", "OAPIF:", "/wfs", "/catalog.ttl", "/api/3/action/", "RemoteCKAN"):
        assert text in page


def test_a_new_key_is_shown_once(client: Client, me) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/dla-deweloperow/aplikacje/", {"name": "Mapa drzew"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    raw = response.context["raw"]
    assert raw in response.content.decode()
    assert api_key_find(raw).user == me
    listing = client.get("/dla-deweloperow/aplikacje/").content.decode()
    assert "Mapa drzew" in listing and raw not in listing


def test_a_nameless_application_is_refused(client: Client, me) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/dla-deweloperow/aplikacje/", {"name": "   "})
    assert response.status_code == 400
    assert not ApiKey.objects.exists()


def test_the_number_of_active_keys_is_bounded(client: Client, me) -> None:  # type: ignore[no-untyped-def]
    for i in range(MAX_ACTIVE_KEYS):
        api_key_create(me, f"app {i}")
    response = client.post("/dla-deweloperow/aplikacje/", {"name": "one more"})
    assert response.status_code == 400
    assert ApiKey.objects.count() == MAX_ACTIVE_KEYS


def test_usage_page_and_revocation(client: Client, me) -> None:  # type: ignore[no-untyped-def]
    key, raw = api_key_create(me, "App")
    Client().get("/api/v1/layers", HTTP_AUTHORIZATION=f"Bearer {raw}")
    page = client.get(f"/dla-deweloperow/aplikacje/{key.pk}/").content.decode()
    assert "api-layers" in page
    response = client.post(f"/dla-deweloperow/aplikacje/{key.pk}/uniewaznij/")
    assert response.status_code == 302
    assert api_key_find(raw) is None
    assert Client().get("/api/v1/layers", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_another_persons_key_is_hidden(client: Client, me) -> None:  # type: ignore[no-untyped-def]
    other = get_user_model().objects.create_user(username="other")
    key, raw = api_key_create(other, "Theirs")
    assert client.get(f"/dla-deweloperow/aplikacje/{key.pk}/").status_code == 404
    assert client.post(f"/dla-deweloperow/aplikacje/{key.pk}/uniewaznij/").status_code == 404
    assert api_key_find(raw) is not None
    assert "Theirs" not in client.get("/dla-deweloperow/aplikacje/").content.decode()


def test_keys_go_with_a_deleted_account(me) -> None:  # type: ignore[no-untyped-def]
    api_key_create(me, "App")
    me.delete()
    assert not ApiKey.objects.exists()


@pytest.fixture
def trees():  # type: ignore[no-untyped-def]
    from miasto.datahub import services
    from tests.territory import factories as tf

    return services.dataset_create(
        owner=tf.OrgUnitFactory(code="GEO"), target="generic", slug="drzewa", title_pl="Drzewa"
    )


def test_subscribe_a_url_to_a_dataset(client: Client, me, trees, settings) -> None:  # type: ignore[no-untyped-def]
    settings.MIASTO_WEBHOOK_ALLOW_PRIVATE = True
    key, _raw = api_key_create(me, "App")
    page = f"/dla-deweloperow/aplikacje/{key.pk}/"
    assert "Drzewa" in client.get(page).content.decode()  # among the datasets to follow
    response = client.post(page, {"subject": "drzewa", "url": "http://127.0.0.1:9/hook"})
    assert response.status_code == 302
    hook = key.webhooks.get()
    listing = client.get(page).content.decode()
    assert hook.secret in listing and "http://127.0.0.1:9/hook" in listing
    assert client.get(f"{page}webhooki/{hook.pk}/").status_code == 200
    assert client.post(f"{page}webhooki/{hook.pk}/usun/").status_code == 302
    assert not key.webhooks.exists()


def test_a_private_address_is_refused_with_the_reason(client: Client, me, trees) -> None:  # type: ignore[no-untyped-def]
    key, _raw = api_key_create(me, "App")
    response = client.post(
        f"/dla-deweloperow/aplikacje/{key.pk}/",
        {"subject": "drzewa", "url": "http://169.254.169.254/latest/"},
    )
    assert response.status_code == 400
    assert not key.webhooks.exists()
    bad = client.post(
        f"/dla-deweloperow/aplikacje/{key.pk}/", {"subject": "nie-ma-takiego", "url": "x"}
    )
    assert bad.status_code == 400


def test_another_persons_webhook_is_hidden(client: Client, me, trees, settings) -> None:  # type: ignore[no-untyped-def]
    from miasto.core.webhooks import webhook_subscribe

    settings.MIASTO_WEBHOOK_ALLOW_PRIVATE = True
    other = get_user_model().objects.create_user(username="other")
    key, _raw = api_key_create(other, "Theirs")
    hook = webhook_subscribe(key, "dataset.version_published", "drzewa", "http://127.0.0.1:9/")
    base = f"/dla-deweloperow/aplikacje/{key.pk}/webhooki/{hook.pk}/"
    assert client.get(base).status_code == 404
    assert client.post(f"{base}usun/").status_code == 404
    assert key.webhooks.exists()

"""Only open data goes out through /ogcapi/, whoever asks: internal and restricted datasets,
archived ones, versions never accepted (rejected, failed) and personal data are invisible —
for anonymous visitors, residents, planners, stewards and administrators alike."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from miasto.datahub.models import DatasetVersion
from tests.datahub.test_api_permissions import login_as, make_version

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "resident", "planner", "steward_other_unit", "steward_owner_unit",
         "administrator"]  # fmt: skip
HIDDEN = ["ds-drzewa-internal", "ds-drzewa-restricted"]


def collection_ids(client) -> set[str]:  # type: ignore[no-untyped-def]
    return {c["id"] for c in client.get("/ogcapi/collections").json()["collections"]}


@pytest.mark.parametrize("who", ROLES)
def test_only_public_datasets_whoever_asks(client, town, make_user, who):
    login_as(who, client, make_user, town["hub"])
    ids = collection_ids(client)
    assert "ds-drzewa-public" in ids
    for hidden in HIDDEN:
        assert hidden not in ids
        for path in ("", "/items", "/items/1", "/queryables"):
            r = client.get(f"/ogcapi/collections/{hidden}{path}")
            assert r.status_code == 404, (who, hidden, path)
    api = client.get("/ogcapi/api").json()
    assert set(api["components"]["parameters"]["collectionId"]["schema"]["enum"]) == ids


def test_archived_datasets_are_gone(client, town):
    ds = town["hub"]["datasets"]["public"]
    ds.archived_at = timezone.now()
    ds.save()
    assert "ds-drzewa-public" not in collection_ids(client)
    assert client.get("/ogcapi/collections/ds-drzewa-public/items").status_code == 404


@pytest.mark.parametrize("status", ["rejected", "failed", "queued", "running"])
def test_versions_never_accepted_are_invisible(client, town, make_user, status):
    ds = town["hub"]["datasets"]["public"]
    version = make_version(ds, number=2, current=False)
    DatasetVersion.objects.filter(pk=version.pk).update(status=status)
    admin = make_user("administrator")
    for user in (None, admin):
        if user:
            client.force_login(user)
        for path in ("", "/items", "/items/1", "/queryables"):
            r = client.get(f"/ogcapi/collections/ds-drzewa-public{path}", {"version": 2})
            assert r.status_code == 404, (status, path)
        doc = client.get("/ogcapi/collections/ds-drzewa-public").json()
        assert not any("version=2" in link["href"] for link in doc["links"])


def test_a_dataset_without_an_accepted_version_is_not_a_collection(client, town):
    ds = town["hub"]["datasets"]["public"]
    DatasetVersion.objects.filter(dataset=ds).update(status="rejected")
    assert "ds-drzewa-public" not in collection_ids(client)


def test_personal_data_is_not_published(client, town):
    """The residents of a building are personal data: not a property, not a queryable, not
    a filter, not in the HTML."""
    building = town["buildings"][0]
    r = client.get("/ogcapi/collections/buildings/items", {"limit": 100})
    for feature in json.loads(r.content)["features"]:
        assert "residents" not in feature["properties"]
    assert (
        "residents"
        not in client.get("/ogcapi/collections/buildings/queryables").json()["properties"]
    )
    r = client.get("/ogcapi/collections/buildings/items", {"filter": "residents > 0"})
    assert r.status_code == 400
    r = client.get("/ogcapi/collections/buildings/items", {"properties": "residents"})
    assert r.status_code == 400
    building.residents = 987_654  # a number that appears nowhere else
    building.save()
    for path in (f"/ogcapi/collections/buildings/items/{building.identifier}",
                 "/ogcapi/collections/buildings/items"):  # fmt: skip
        for f in ("html", "json"):
            body = client.get(path, {"f": f}).content.decode()
            assert "987654" not in body and "987 654" not in body, (path, f)

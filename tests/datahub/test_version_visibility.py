"""Versions never accepted exist only for those who manage the dataset (issue #12, finding 9).

A rejected version's keys were shown to anyone by ``/dane/<slug>/roznice/?od=1&do=2``. Now
rejected, failed and queued versions answer 404 on every read path — the diff page and API,
the quality report page and API, the attribute table, downloads — and are left out of the
versions lists, for everyone but the owner unit's data stewards and administrators.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from miasto.datahub.models import DatasetVersion
from tests.datahub.test_api_permissions import hub, login_as, make_version  # noqa: F401
from tests.datahub.test_edit import MANAGERS, WHO
from tests.datahub.test_views import compile_datahub_messages

pytestmark = pytest.mark.django_db
# (hub: the fixture imported above)
# ruff: noqa: F811

SECRET_KEY = "tajny-klon-0001"
SECRET_ERROR = "klucz tajny-klon-0001 powtarza się"


@pytest.fixture(scope="module", autouse=True)
def _messages() -> None:
    compile_datahub_messages()


@pytest.fixture
def versions(hub: dict[str, Any]) -> Any:  # noqa: F811
    """drzewa-public: v1 ready and current; v2 rejected, with a key of its own; v3 failed;
    v4 queued. Both versions with data are keyed by ``species``."""
    ds = hub["datasets"]["public"]
    v2 = make_version(ds, 2, current=False)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {v2.table_name} (species, geom) VALUES "
            f"(%s, ST_SetSRID(ST_MakePoint(500030, 403730), 2180))",
            [SECRET_KEY],
        )
    keyed = {"key_columns": ["species"], "summary": {"invalid": 0}}
    DatasetVersion.objects.filter(dataset=ds, number=1).update(quality=keyed)
    DatasetVersion.objects.filter(pk=v2.pk).update(
        status="rejected",
        error=SECRET_ERROR,
        quality={**keyed, "checks": {"duplicate_keys": {"count": 1, "items": [SECRET_KEY]}}},
    )
    DatasetVersion.objects.create(
        dataset=ds, number=3, status="failed", source_name="zly.gpkg", error=SECRET_ERROR
    )
    DatasetVersion.objects.create(dataset=ds, number=4, status="queued", source_name="n.gpkg")
    return ds


@pytest.mark.parametrize("who", WHO)
def test_diff_of_a_rejected_version(
    who: str, client: Any, make_user: Any, hub: Any, versions: Any
) -> None:  # noqa: F811
    login_as(who, client, make_user, hub)
    manager = who in MANAGERS
    page = client.get(f"/dane/{versions.slug}/roznice/", {"od": 1, "do": 2})
    api = client.get(f"/api/v1/datasets/{versions.slug}/diff", {"from": 1, "to": 2})
    if manager:
        assert page.status_code == 200 and SECRET_KEY in page.content.decode()
        assert api.status_code == 200
        assert [i["key"] for i in api.json()["added"]] == [SECRET_KEY]
    else:
        assert page.status_code == 404 and SECRET_KEY not in page.content.decode()
        assert api.status_code == 404 and SECRET_KEY not in api.content.decode()
    # the default pair (no numbers) never picks a version the user may not see
    body = client.get(f"/dane/{versions.slug}/roznice/").content.decode()
    assert (SECRET_KEY in body) is False or manager
    for n in (3, 4):  # no data: a notice for managers, no such version for the others
        r = client.get(f"/dane/{versions.slug}/roznice/", {"od": 1, "do": n})
        assert r.status_code == (200 if manager else 404), (who, n)
        r = client.get(f"/api/v1/datasets/{versions.slug}/diff", {"from": 1, "to": n})
        assert r.status_code == (400 if manager else 404), (who, n)


@pytest.mark.parametrize("who", WHO)
def test_other_read_paths(who: str, client: Any, make_user: Any, hub: Any, versions: Any) -> None:  # noqa: F811
    login_as(who, client, make_user, hub)
    manager = who in MANAGERS
    slug = versions.slug
    for n in (2, 3, 4):
        expected = 200 if manager else 404
        assert client.get(f"/dane/{slug}/wersje/{n}/jakosc/").status_code == expected, n
        r = client.get(f"/api/v1/datasets/{slug}/versions/{n}/quality")
        assert r.status_code == expected, n
        assert (SECRET_KEY in r.content.decode()) is (manager and n == 2)
    features = client.get(f"/api/v1/datasets/{slug}/versions/2/features")
    assert features.status_code == (200 if manager else 404)
    assert client.get(f"/api/v1/datasets/{slug}/versions/3/features").status_code == 404
    download = client.get(f"/api/v1/datasets/{slug}/download", {"version": 3, "format": "csv"})
    assert download.status_code == 404
    # the versions lists
    listed = [v["number"] for v in client.get(f"/api/v1/datasets/{slug}").json()["versions"]]
    assert listed == ([4, 3, 2, 1] if manager else [1])
    page = client.get(f"/dane/{slug}/").content.decode()
    assert (SECRET_ERROR in page) is manager
    # a version number never used answers the same as one the user may not see
    assert client.get(f"/dane/{slug}/wersje/9/jakosc/").status_code == 404
    assert client.get(f"/api/v1/datasets/{slug}/versions/9/quality").status_code == 404


def test_hidden_dataset_hides_its_versions_from_stewards_of_other_units(
    client: Any,
    make_user: Any,
    hub: Any,  # noqa: F811
) -> None:
    ds = hub["datasets"]["restricted"]
    v = make_version(ds, 2, current=False)
    DatasetVersion.objects.filter(pk=v.pk).update(status="rejected")
    login_as("steward_other_unit", client, make_user, hub)
    assert client.get(f"/dane/{ds.slug}/roznice/", {"od": 1, "do": 2}).status_code == 404
    assert client.get(f"/api/v1/datasets/{ds.slug}/diff?from=1&to=2").status_code == 404
    login_as("steward_owner_unit", client, make_user, hub)
    assert client.get(f"/dane/{ds.slug}/roznice/", {"od": 1, "do": 2}).status_code == 200
    assert client.get(f"/api/v1/datasets/{ds.slug}/diff?from=1&to=2").status_code == 200

"""A small public catalogue beside datasets nobody outside may see."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from miasto.datahub.models import DATA_SCHEMA
from tests.opendata.factories import DatasetFactory, ready_version
from tests.territory import factories as tf


def make_hub() -> dict[str, Any]:
    tf.CityFactory()
    env = tf.OrgUnitFactory(
        code="WOS", name="Wydział Ochrony Środowiska", email="wos@miasto.example"
    )
    geo = tf.OrgUnitFactory(code="WGK", name="Wydział Geodezji")
    trees = DatasetFactory(
        slug="drzewa", title_pl="Drzewa", owner=env, keywords=["drzewa", "zieleń"]
    )
    ready_version(trees)
    roads = DatasetFactory(
        slug="drogi", title_pl="Drogi gminne", owner=geo, theme="TRAN", keywords=["drogi"],
        licence="CC0-1.0", frequency="MONTHLY", description_pl="Sieć dróg gminnych.",
    )  # fmt: skip
    ready_version(roads)
    empty = DatasetFactory(
        slug="plan-nasadzen", title_pl="Plan nasadzeń", owner=env, keywords=["zieleń"]
    )
    hidden = {
        "internal": DatasetFactory(slug="wewnetrzny", owner=env, access="internal"),
        "restricted": DatasetFactory(slug="tajny", owner=geo, access="restricted"),
        "archived": DatasetFactory(slug="archiwalny", owner=env, archived_at=timezone.now()),
    }
    for ds in hidden.values():
        ready_version(ds)
    return {"public": [trees, roads, empty], "hidden": hidden, "env": env, "geo": geo}


@pytest.fixture
def hub(db: Any) -> dict[str, Any]:
    return make_hub()


@pytest.fixture
def live_hub(transactional_db: Any) -> dict[str, Any]:
    """The same catalogue, committed, for a live server."""
    return make_hub()


@pytest.fixture(autouse=True)
def clean_data_schema(request: pytest.FixtureRequest) -> Any:
    """Drop the version tables a transactional test (live server) leaves behind."""
    yield
    if "live_server" not in request.fixturenames and "transactional_db" not in request.fixturenames:
        return
    with connection.cursor() as cur:
        cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s", [DATA_SCHEMA])
        for (table,) in cur.fetchall():
            cur.execute(f'DROP TABLE IF EXISTS {DATA_SCHEMA}."{table}" CASCADE')

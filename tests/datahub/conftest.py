"""Fixtures for the data hub: a city, datasets, generated source files, schema clean-up.

Imports load through ``ogr2ogr`` (its own connection), so tests that import use
``@pytest.mark.django_db(transaction=True)``; :func:`clean_data_schema` drops the version tables
they leave in ``datahub_data``.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from miasto.datahub import services
from miasto.datahub.models import DATA_SCHEMA
from tests.territory import factories as tf

X0, Y0 = 500_000.0, 403_700.0
UNIT, PRECINCT = "106401_1", "0001"
CRS2180 = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::2180"}}


def data_tables() -> list[str]:
    with connection.cursor() as cur:
        cur.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = %s ORDER BY 1", [DATA_SCHEMA]
        )
        return [r[0] for r in cur.fetchall()]


@pytest.fixture(autouse=True)
def clean_data_schema(request: pytest.FixtureRequest) -> Any:
    yield
    if "django_db_setup" not in request.fixturenames:
        return
    try:
        tables = data_tables()
    except Exception:  # noqa: BLE001 — no database in this test
        return
    with connection.cursor() as cur:
        for t in tables:
            cur.execute(f'DROP TABLE IF EXISTS {DATA_SCHEMA}."{t}" CASCADE')


@pytest.fixture(autouse=True)
def work_dir(settings: Any, tmp_path: Path) -> Path:
    path = tmp_path / "work"
    path.mkdir()
    settings.MIASTO_WORK_DIR = path
    return path


def square(x: float, y: float, size: float = 25.0) -> list[list[list[float]]]:
    return [[[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]]


def parcel_features(
    numbers: list[int] | range, *, size: float = 25.0, step: float = 25.0, **props: Any
) -> list[dict[str, Any]]:
    """Parcels on a 10-wide grid of ``step`` m near the city centre (EPSG:2180)."""
    out = []
    for n in numbers:
        x = X0 + (n % 10) * step
        y = Y0 + (n // 10) * step
        out.append(
            {
                "type": "Feature",
                "properties": {
                    "identifier": f"{UNIT}.{PRECINCT}.{n + 1}",
                    "land_use": "B",
                    **props,
                },
                "geometry": {"type": "Polygon", "coordinates": square(x, y, size)},
            }
        )
    return out


def write_geojson(path: Path, features: list[dict[str, Any]], crs: dict | None = CRS2180) -> Path:
    doc: dict[str, Any] = {"type": "FeatureCollection", "features": features}
    if crs:
        doc["crs"] = crs
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def ogr(*args: str) -> None:
    subprocess.run(["ogr2ogr", *args], check=True, capture_output=True)


def to_format(src: Path, out: Path, driver: str, *extra: str) -> Path:
    ogr("-f", driver, str(out), str(src), *extra)
    return out


@pytest.fixture
def city(db: Any) -> Any:
    return tf.CityFactory()


@pytest.fixture
def owner(db: Any) -> Any:
    return tf.OrgUnitFactory(code="GEO", name="Wydział Geodezji")


@pytest.fixture
def make_dataset(owner: Any) -> Any:
    counter = {"n": 0}

    def make(target: str = "generic", **kw: Any) -> Any:
        counter["n"] += 1
        kw.setdefault("slug", f"{target}-{counter['n']}")
        kw.setdefault("title_pl", f"Zbiór {target} {counter['n']}")
        return services.dataset_create(owner=owner, target=target, **kw)

    return make


@pytest.fixture
def parcels_geojson(tmp_path: Path) -> Path:
    return write_geojson(tmp_path / "dzialki.geojson", parcel_features(range(20)))

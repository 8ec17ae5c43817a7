"""``miasto backup`` and ``miasto restore`` (docs/deploy.md, "Backups").

A backup of a database holding the spine, a data hub version, a plan with zones and the audit
log, plus an uploaded file and a media file, is restored by the app's role (no superuser) into
a fresh database copied from the template, through the command line as an operator would; all
of it comes back. A database that is not fresh is refused.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
import shapely
from django.core.management import CommandError, call_command
from django.db import connection

from miasto.core.models import AuditEntry
from miasto.datahub import services as datahub
from miasto.datahub.models import DATA_SCHEMA
from miasto.planning.services import plan_create, plan_set_zones
from miasto.planning.validation import ZoneInput
from tests.territory import factories as tf

pytestmark = pytest.mark.django_db(transaction=True)

GEOJSON = {
    "type": "FeatureCollection",
    "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::2180"}},
    "features": [
        {
            "type": "Feature",
            "properties": {"nazwa": f"Punkt {n}"},
            "geometry": {"type": "Point", "coordinates": [500_000 + n, 400_000 + n]},
        }
        for n in range(3)
    ],
}


def maintenance(sql: str) -> None:
    params = connection.get_connection_params()
    params["dbname"] = "postgres"
    with psycopg.connect(**params, autocommit=True) as conn:
        conn.execute(sql)


@pytest.fixture
def fresh_database() -> Iterator[str]:
    """A database as provisioning makes one: a copy of the template, not migrated."""
    name = f"{connection.settings_dict['NAME']}_restored"[:63]
    template = connection.settings_dict["TEST"].get("TEMPLATE")
    maintenance(f'DROP DATABASE IF EXISTS "{name}"')
    maintenance(f'CREATE DATABASE "{name}" TEMPLATE "{template or "template1"}"')
    if not template:  # (no provisioned template: a superuser role, see tests/database.py)
        params = connection.get_connection_params()
        params["dbname"] = name
        with psycopg.connect(**params, autocommit=True) as conn:
            for extension in ("postgis", "pgrouting", "pg_trgm", "unaccent"):
                conn.execute(f"CREATE EXTENSION {extension}")
    try:
        yield name
    finally:
        maintenance(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def miasto(args: list[str], database: str, root: Path) -> subprocess.CompletedProcess[str]:
    s = connection.settings_dict
    env = dict(
        os.environ,
        DATABASE_URL=f"postgis://{s['USER']}:{s['PASSWORD']}@{s['HOST'] or '127.0.0.1'}:"
        f"{s['PORT'] or 5432}/{database}",
        MIASTO_MEDIA_ROOT=str(root / "media"),
        MIASTO_WORK_DIR=str(root / "work"),
    )
    return subprocess.run(
        [sys.executable, "-m", "miasto", *args], env=env, capture_output=True, text=True
    )


def state(dbname: str) -> dict[str, Any]:
    """What must come back, read with plain SQL."""
    params = connection.get_connection_params()
    params["dbname"] = dbname
    with psycopg.connect(**params) as conn:

        def rows(sql: str) -> list[tuple[Any, ...]]:
            return conn.execute(sql).fetchall()

        (version_table,) = rows("SELECT 'v' || id FROM datahub_datasetversion")[0]
        return {
            "city": rows("SELECT name, teryt FROM territory_city"),
            "parcels": rows("SELECT identifier, ST_AsText(geom) FROM territory_parcel ORDER BY 1"),
            "versions": rows(
                "SELECT d.slug, v.number, v.status, v.is_current, v.feature_count "
                "FROM datahub_datasetversion v JOIN datahub_dataset d ON d.id = v.dataset_id"
            ),
            "version_rows": rows(f"SELECT nazwa FROM {DATA_SCHEMA}.{version_table} ORDER BY 1"),
            "plans": rows("SELECT title, kind, local_id FROM planning_plan"),
            "zones": rows("SELECT designation FROM planning_zone ORDER BY 1"),
            "audit": rows(
                "SELECT model, object_id, action, changes::text FROM core_auditentry ORDER BY id"
            ),
            "migrations": rows("SELECT count(*) FROM django_migrations"),
        }


def test_backup_restores_into_a_fresh_database(settings, tmp_path, fresh_database):  # type: ignore[no-untyped-def]
    before_root = tmp_path / "before"
    settings.MEDIA_ROOT = before_root / "media"
    settings.MIASTO_WORK_DIR = before_root / "work"
    media = settings.MEDIA_ROOT / "plans" / "uchwała.pdf"
    media.parent.mkdir(parents=True)
    media.write_bytes(b"%PDF-1.4 uchwala")
    upload = settings.MIASTO_WORK_DIR / "uploads" / ("b" * 32) / "punkty.geojson"
    upload.parent.mkdir(parents=True)
    upload.write_text(json.dumps(GEOJSON), encoding="utf-8")

    tf.CityFactory()
    tf.ParcelFactory()
    tf.ParcelFactory()
    dataset = datahub.dataset_create(
        owner=tf.OrgUnitFactory(code="GEO"), target="generic", slug="punkty", title_pl="Punkty"
    )
    version = datahub.version_import(dataset=dataset, path=upload, source_name="punkty.geojson")
    assert version.status == "ready"
    plan = plan_create(
        kind="mpzp",
        title="Plan do kopii",
        local_id="K1",
        geom=shapely.box(500_000, 400_000, 500_200, 400_100),
    )
    plan_set_zones(
        plan=plan,
        zones=[
            ZoneInput(
                local_id="K1-1MN", designation="1MN", category="plan_area", params={},
                geom=shapely.box(500_000, 400_000, 500_200, 400_100),
            )
        ],
    )  # fmt: skip
    assert AuditEntry.objects.exists()
    before = state(connection.settings_dict["NAME"])
    try:
        backup = tmp_path / "kopia"
        out = io.StringIO()
        call_command("backup", str(backup), stdout=out)
        assert "Backup in" in out.getvalue()
        assert {p.name for p in backup.iterdir()} == {"database.dump", "files.tar", "manifest.json"}
        with pytest.raises(CommandError, match="not an empty folder"):
            call_command("backup", str(backup))

        after_root = tmp_path / "after"
        done = miasto(["restore", str(backup)], fresh_database, after_root)
        assert done.returncode == 0, done.stderr
        assert state(fresh_database) == before
        assert (after_root / "media" / "plans" / "uchwała.pdf").read_bytes() == b"%PDF-1.4 uchwala"
        restored_upload = after_root / "work" / "uploads" / ("b" * 32) / "punkty.geojson"
        assert json.loads(restored_upload.read_text(encoding="utf-8")) == GEOJSON

        # the restored database works for the app: nothing to migrate, the spine's triggers fire
        check = miasto(["migrate", "--check"], fresh_database, after_root)
        assert check.returncode == 0, check.stdout + check.stderr
        # a database that is not fresh is refused, and left as it was
        again = miasto(["restore", str(backup)], fresh_database, after_root)
        assert again.returncode != 0 and "fresh" in again.stderr
        assert state(fresh_database) == before
    finally:
        with connection.cursor() as cur:
            cur.execute(f"DROP TABLE IF EXISTS {DATA_SCHEMA}.v{version.pk}")

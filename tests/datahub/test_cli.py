"""CLI: ``miasto import``, ``miasto export``, ``miasto datasets`` — exit codes and messages."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from miasto.datahub.models import Dataset
from miasto.territory.models import Parcel
from tests.datahub.conftest import parcel_features, write_geojson

pytestmark = pytest.mark.django_db(transaction=True)


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out, verbosity=0)
    return out.getvalue()


def test_import_create_export_and_list(city, owner, tmp_path):
    feats = parcel_features(range(5))
    for f in feats:
        f["properties"] = {"ID": f["properties"]["identifier"], "uzytek": "B"}
    path = write_geojson(tmp_path / "dzialki.geojson", feats)
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({"identifier": "ID", "land_use": "uzytek"}))
    out = run(
        "import",
        str(path),
        "--dataset",
        "dzialki",
        "--layer",
        "parcels",
        "--mapping",
        str(mapping),
        "--create",
        "--title",
        "Działki EGiB",
        "--owner",
        "GEO",
    )
    assert "Wersja 1 zbioru dzialki jest bieżąca: 5 obiektów" in out and "+5" in out
    ds = Dataset.objects.get(slug="dzialki")
    assert ds.target == "parcels" and ds.field_mapping == {"identifier": "ID", "land_use": "uzytek"}
    assert Parcel.objects.count() == 5
    run("import", str(path), "--dataset", "dzialki")  # the saved mapping is reused
    gpkg = tmp_path / "out.gpkg"
    out = run("export", "dzialki", "--format", "gpkg", "--out", str(gpkg), "--version", "1")
    assert gpkg.exists() and "5 obiektów" in out
    listing = run("datasets")
    assert "dzialki" in listing and "*v2" in listing and " v1" in listing


def test_import_errors_are_one_message(city, owner, tmp_path):
    path = write_geojson(tmp_path / "d.geojson", parcel_features(range(3)))
    with pytest.raises(CommandError, match="Nie ma zbioru danych „brak”"):
        run("import", str(path), "--dataset", "brak")
    with pytest.raises(CommandError, match="Nie ma pliku"):
        run("import", str(tmp_path / "nie.geojson"), "--dataset", "brak")
    run("import", str(path), "--dataset", "d", "--create", "--owner", "GEO", "--layer", "parcels")
    bad = tmp_path / "d.kml"
    bad.write_text("nie xml")
    with pytest.raises(CommandError, match="Import nie powiódł się: Zawartość pliku nie pasuje"):
        run("import", str(bad), "--dataset", "d")
    dup = parcel_features(range(2))
    dup[1]["properties"]["identifier"] = dup[0]["properties"]["identifier"]
    with pytest.raises(CommandError, match="odrzucona przez reguły jakości: Powtórzone klucze"):
        run("import", str(write_geojson(tmp_path / "dup.geojson", dup)), "--dataset", "d")
    with pytest.raises(CommandError, match="nie ma wersji 7"):
        run("export", "d", "--format", "csv", "--out", str(tmp_path / "x.csv"), "--version", "7")


def test_console_script_exit_codes(city, owner, tmp_path):
    """``miasto import`` (a Python keyword as a command name) through the real console script."""
    path = write_geojson(tmp_path / "d.geojson", parcel_features(range(3)))
    cfg = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgis://{cfg['USER']}:{cfg['PASSWORD']}@{cfg['HOST']}:{cfg['PORT']}/{cfg['NAME']}",
        "MIASTO_WORK_DIR": str(tmp_path / "work"),
    }
    miasto = str(Path(sys.executable).with_name("miasto"))
    ok = subprocess.run(
        [miasto, "import", str(path), "--dataset", "cli", "--create", "--owner", "GEO"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ok.returncode == 0, ok.stderr
    assert "Wersja 1 zbioru cli jest bieżąca" in ok.stdout
    bad = tmp_path / "zly.gpkg"
    bad.write_bytes(b"to nie jest geopackage")
    fail = subprocess.run(
        [miasto, "import", str(bad), "--dataset", "cli"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert fail.returncode != 0
    lines = [line for line in fail.stderr.splitlines() if line.strip() and "Import" in line]
    assert len(lines) == 1 and "GeoPackage" in lines[0] and "Traceback" not in fail.stderr
    listing = subprocess.run([miasto, "datasets"], env=env, capture_output=True, text=True)
    assert listing.returncode == 0 and "*v1" in listing.stdout

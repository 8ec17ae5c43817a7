"""The import pipeline's steps, each run alone on an :class:`ImportRun` (and the declared list:
its order, a step inserted, what a failing step leaves)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from miasto.core.jobs import JobError
from miasto.datahub import cleanup
from miasto.datahub.models import DATA_SCHEMA, Dataset, DatasetVersion
from miasto.datahub.services import ImportRequest, ImportRun, pipeline, steps
from miasto.datahub.services.sources import CsvLayout
from tests.datahub.conftest import X0, Y0, data_tables, parcel_features, write_geojson


def new_run(path: Path, target: str = "generic", **request: Any) -> ImportRun:
    """A run of an import of ``path`` into an unsaved dataset, its work folder made."""
    dataset = Dataset(slug="x", title_pl="x", target=target, **request.pop("dataset", {}))
    run = ImportRun.new(ImportRequest(dataset, path, path.name, **request))
    run.workdir.mkdir(parents=True)
    return run


def write_csv(path: Path, rows: list[str], header: str = "nazwa;x;y") -> Path:
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def test_steps_are_declared_in_order() -> None:
    assert [step.name for step in pipeline.STEPS] == [
        "inspect",
        "describe",
        "preset",
        "detect_crs",
        "load",
        "name_columns",
        "preset_fields",
        "check_geometry",
        "map_fields",
        "baseline",
        "quality",
        "prepare",
        "publish",
    ]
    assert pipeline.step_index("describe") == 1


def test_inspect_describe_and_detect_crs_of_a_csv(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "punkty.csv", [f"a;{X0};{Y0}", f"b;{X0 + 5};{Y0 + 5}"])
    run = new_run(path)
    steps.inspect(run)
    assert run.source is not None and run.source.format == "csv"
    assert run.open_path is not None and run.open_path.is_relative_to(run.workdir)
    steps.describe(run)
    assert run.csv_layout is not None and (run.csv_layout.x, run.csv_layout.y) == ("x", "y")
    assert "X_POSSIBLE_NAMES=x" in run.options and not run.promote
    steps.detect_crs(run)
    assert run.source_crs == "EPSG:2180"  # guessed from the coordinates


def test_detect_crs_declared_wins_and_none_found_stops(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "punkty.csv", ["a;1e9;1e9"])
    run = new_run(path, crs="2178")
    run.csv_layout = CsvLayout(path)
    steps.detect_crs(run)
    assert run.source_crs == "EPSG:2178"
    run = new_run(path)
    run.csv_layout = CsvLayout(path)
    with pytest.raises(JobError, match="Nie rozpoznano układu współrzędnych pliku CSV"):
        steps.detect_crs(run)


def test_a_bad_declared_crs_stops_before_any_work(tmp_path: Path) -> None:
    with pytest.raises(JobError, match="Nieznany układ współrzędnych"):
        ImportRun.new(ImportRequest(Dataset(target="generic"), tmp_path / "a.csv", "a", crs="x"))


def test_describe_a_layer_and_its_crs(tmp_path: Path) -> None:
    path = write_geojson(tmp_path / "dzialki.geojson", parcel_features(range(2)))
    run = new_run(path, target="parcels")
    steps.inspect(run)
    steps.describe(run)
    assert run.layer is not None and "identifier" in run.layer.fields
    assert run.promote  # a polygon layer into a spine target: multi-part while loading
    steps.detect_crs(run)
    assert run.source_crs == "EPSG:2180"


def test_ogr2ogr_args_assign_the_storage_crs_and_transform_others(tmp_path: Path) -> None:
    run = new_run(tmp_path / "a.geojson")
    run.open_path = tmp_path / "a.geojson"
    run.source_crs = "EPSG:2180"
    args = steps.ogr2ogr_args(run)
    assert args[0] == str(run.open_path)
    assert args[args.index("-nln") + 1] == f"{DATA_SCHEMA}.stg_{run.token}"
    assert "-a_srs" in args and "-t_srs" not in args
    run.source_crs = "EPSG:4326"
    args = steps.ogr2ogr_args(run)
    assert args[args.index("-s_srs") + 1] == "EPSG:4326" and "-a_srs" not in args


def test_map_fields_names_a_missing_key_attribute(tmp_path: Path) -> None:
    run = new_run(tmp_path / "a.geojson", dataset={"key_field": "NUMER"})
    run.columns = {"fid": "integer", "geom": "geometry", "Numer": "text", "nazwa": "text"}
    steps.map_fields(run)
    assert run.attributes == ["Numer", "nazwa"] and run.key_columns == ["Numer"]
    run = new_run(tmp_path / "a.geojson", dataset={"key_field": "id"})
    run.columns = {"fid": "integer", "geom": "geometry", "nazwa": "text"}
    with pytest.raises(JobError, match="Atrybut klucza „id” nie występuje w pliku"):
        steps.map_fields(run)


@pytest.mark.django_db(transaction=True)
def test_load_and_check_geometry(city, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = write_geojson(tmp_path / "dzialki.geojson", parcel_features(range(3)))
    run = new_run(path, target="parcels")
    for step in (steps.inspect, steps.describe, steps.detect_crs, steps.load):
        step(run)
    assert f"stg_{run.token}" in data_tables()
    steps.check_geometry(run)
    assert run.feature_count == 3 and run.geometry_type == "MULTIPOLYGON"
    assert {"fid", "geom", "identifier", "land_use"} <= set(run.columns)
    assert set(run.timings) == {"inspect", "load"}


@pytest.mark.django_db(transaction=True)
def test_check_geometry_refuses_mixed_types(tmp_path: Path) -> None:
    run = new_run(tmp_path / "a.geojson")
    with connection.cursor() as cur:
        cur.execute(
            f"CREATE TABLE {run.staging} (fid serial PRIMARY KEY, geom geometry(Geometry, 2180))"
        )
        cur.execute(
            f"INSERT INTO {run.staging} (geom) VALUES (ST_GeomFromText('POINT(1 1)', 2180)), "
            "(ST_GeomFromText('POINT(2 2)', 2180)), "
            "(ST_GeomFromText('LINESTRING(0 0, 1 1)', 2180))"
        )
    with pytest.raises(JobError, match="mieszane typy geometrii: obiekt nr 3 ma geometrię"):
        steps.check_geometry(run)


@pytest.mark.django_db(transaction=True)
def test_an_inserted_step_sees_the_layer_and_a_failing_one_leaves_nothing(
    city, make_dataset, tmp_path, work_dir
):  # type: ignore[no-untyped-def]
    ds = make_dataset("parcels")
    path = write_geojson(tmp_path / "dzialki.geojson", parcel_features(range(4)))
    seen: list[Any] = []
    preset = pipeline.Step("preset", lambda run: seen.append(run.layer.fields))
    at = pipeline.step_index("describe") + 1
    with_preset = [*pipeline.STEPS[:at], preset, *pipeline.STEPS[at:]]
    version = pipeline.run_import(ImportRequest(ds, path, path.name), with_preset)
    assert version.status == "ready" and seen and "identifier" in seen[0]

    def fail(run: ImportRun) -> None:
        raise JobError("stop")

    failing = [*pipeline.STEPS[: pipeline.step_index("quality")], pipeline.Step("fail", fail)]
    with pytest.raises(JobError, match="stop"):
        pipeline.run_import(ImportRequest(ds, path, path.name), failing)
    assert DatasetVersion.objects.filter(dataset=ds).count() == 1
    assert [t for t in data_tables() if t.startswith("stg_")] == []
    assert [p for p in work_dir.iterdir() if p.name.startswith("import-")] == []
    with connection.cursor() as cur:
        cur.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = %s::oid "
            "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
            [cleanup.LOCK_NAMESPACE],
        )
        assert cur.fetchone()[0] == 0


@pytest.mark.django_db(transaction=True)
def test_progress_messages_of_an_import(city, make_dataset, tmp_path):  # type: ignore[no-untyped-def]
    path = write_geojson(tmp_path / "dzialki.geojson", parcel_features(range(3)))
    reported: list[tuple[float, str]] = []
    version = pipeline.version_import(
        dataset=make_dataset("generic"),
        path=path,
        source_name=path.name,
        progress=lambda p, m: reported.append((p, m)),
    )
    assert version.status == "ready"
    stages = [(p, m) for p, m in reported if not m.startswith("Wczytywanie danych (")]
    assert stages == [
        (1, "Sprawdzanie pliku"),
        (5, "Wczytywanie danych"),
        (68, "Kontrola jakości"),
        (88, "Zapisywanie wersji"),
        (100, "Gotowe"),
    ]
    assert set(version.quality["timings"]) == {"inspect", "load", "quality", "publish"}

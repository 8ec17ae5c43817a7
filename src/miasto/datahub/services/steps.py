"""The steps of an import, in the order :data:`miasto.datahub.services.pipeline.STEPS` runs
them. Each takes the :class:`~miasto.datahub.services.run.ImportRun`, reads what earlier steps
found and records what it finds; a bad file stops it with a :class:`JobError` (Polish). Why the
steps are shaped as they are: docs/datahub.md, "Import: why the steps are shaped as they are".
"""

from __future__ import annotations

import os
import re
import time
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DataError, transaction
from django.db.models import Max
from django.utils import timezone
from psycopg import sql

from miasto.core import db
from miasto.core.audit import acting_as
from miasto.core.db import run_beside
from miasto.core.jobs import JobError
from miasto.datahub import files, gdal, quality
from miasto.datahub.columns import launder, rename_loaded, with_plain_names
from miasto.datahub.columns import ogr_args as column_args
from miasto.datahub.columns import plan as columns_plan
from miasto.datahub.importers import PARCEL_ID_SQL
from miasto.datahub.models import DATA_SCHEMA, Dataset, DatasetVersion
from miasto.datahub.presets import detect
from miasto.datahub.services.baseline import baseline_for, spine_holds
from miasto.datahub.services.current import make_current
from miasto.datahub.services.datasets import actor_source
from miasto.datahub.services.geometry import (
    check_csv_geometry,
    check_geometry_types,
    geometry_families,
    pretty_type,
    promote_to_multi,
)
from miasto.datahub.services.run import ImportRun
from miasto.datahub.services.sources import (
    CsvLayout,
    choose_layers,
    csv_in_utf8,
    guess_crs,
    guess_from_layer,
    layer_column,
    shapefile_encoding,
)
from miasto.datahub.services.tables import table_columns

SRID = settings.MIASTO_SRID
#: formats whose coordinates are lon/lat by definition
LONLAT_FORMATS = ("geojson", "geojsonseq", "kml")
#: drivers of files whose attributes people named on desktops: their columns get plain names
PLAIN_NAMED = ("KML", "ESRI Shapefile")


def _source(run: ImportRun) -> files.SourceFile:
    assert run.source is not None and run.open_path is not None, "inspect runs first"
    return run.source


# --------------------------------------------------------------------------- inspect


def inspect(run: ImportRun) -> None:
    """Check the upload (size, content, ZIP and XML guards: :func:`files.inspect_upload`)."""
    run.progress(1, "Sprawdzanie pliku")
    request = run.request
    run.source = files.inspect_upload(Path(request.path), request.source_name, run.workdir)
    run.open_path = _inside_workdir(run.source.path, request.source_name, run.workdir)


def _inside_workdir(path: Path, source_name: str, workdir: Path) -> Path:
    """``path``, or a link to it in ``workdir`` when it lies outside: GDAL writes side files
    (.gfs for GML) next to what it opens."""
    if path.resolve().is_relative_to(workdir.resolve()):
        return path
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", Path(source_name).name) or "source"
    link = workdir / "source" / safe
    link.parent.mkdir()
    os.symlink(path.resolve(), link)
    return link


# --------------------------------------------------------------------------- describe


def describe(run: ImportRun) -> None:
    """Read the layer (or the CSV's layout): its attributes, the options to open it with, and
    whether its geometries are made multi-part while loading."""
    if _source(run).format == "csv":
        _describe_csv(run)
    else:
        _describe_layer(run)


def _describe_csv(run: ImportRun) -> None:
    assert run.open_path is not None
    layout = CsvLayout(run.open_path)
    run.csv_layout = layout
    run.open_path = csv_in_utf8(run.open_path, run.workdir)
    # (GDAL names an empty header field_<n>; its CSV geometry is GEOMETRY in -sql)
    fields = [h or f"field_{i + 1}" for i, h in enumerate(layout.header)]
    run.columns_plan = columns_plan(fields)
    run.options += layout.open_options()
    run.options += column_args(
        run.columns_plan, run.open_path, run.open_path.stem, geometry="GEOMETRY"
    )
    run.promote = False


def _describe_layer(run: ImportRun) -> None:
    source, request = _source(run), run.request
    assert run.open_path is not None
    run.layers, run.skipped_layers = choose_layers(
        gdal.describe(run.open_path, source.driver).layers,
        request.chosen_layers,
        all_layers=request.all_layers,
        refuse=not _preset_chooses(run),  # (a preset picks its feature type's layer)
    )
    if len(run.layers) > 1:
        _use_layers(run)
    else:
        use_layer(run, run.layers[0])


def _preset_chooses(run: ImportRun) -> bool:
    """A national schema's GML: the ``preset`` step picks the layer for the dataset's target
    (:mod:`.presets`), so a file of several feature types is not refused here."""
    key = run.request.preset
    if _source(run).driver != "GML" or key == "none" or run.open_path is None:
        return False
    return bool(key) or any(run.target.key in m.preset.targets() for m in detect(run.open_path))


def _use_layers(run: ImportRun) -> None:
    """Several layers into one table with a layer column (each layer's renamed attributes are
    read in the load)."""
    layer = run.layer = run.layers[0]
    run.promote = run.target.promote_to_multi and any(
        t in layer.geometry_type for t in ("Polygon", "LineString")
    )
    run.layer_column = layer_column(run.layers)
    run.columns_plan = columns_plan(
        list(dict.fromkeys(f for lyr in run.layers for f in lyr.fields))
    )


def use_layer(run: ImportRun, layer: gdal.LayerInfo) -> None:
    """Import ``layer``: its columns, the options reading it, whether it is made multi-part
    (also when a preset picks the layer, :mod:`.presets`)."""
    source = _source(run)
    assert run.open_path is not None
    run.layer = layer
    # promote only known line/polygon layers; unknown ones are normalised after loading
    run.promote = run.target.promote_to_multi and any(
        t in layer.geometry_type for t in ("Polygon", "LineString")
    )
    run.columns_plan = columns_plan(layer.fields)
    run.options += column_args(run.columns_plan, run.open_path, layer.name)
    if source.driver in PLAIN_NAMED:
        run.columns_plan = with_plain_names(run.columns_plan)
    if source.driver == "ESRI Shapefile" and (encoding := shapefile_encoding(run.open_path)):
        run.options += ["-oo", f"ENCODING={encoding}"]


# --------------------------------------------------------------------------- detect_crs


def detect_crs(run: ImportRun) -> None:
    """The source's CRS: the one declared with the import, else the file's own (its EPSG code;
    ``None`` — GDAL reads it — for an SRS without one), lon/lat for GeoJSON and KML, else one
    guessed from the coordinates; without any, the import stops."""
    if run.declared_crs is not None:
        run.source_crs = run.declared_crs
    elif run.csv_layout is not None:
        run.source_crs = guess_crs(run.csv_layout.sample)
        if run.source_crs is None:
            raise JobError(
                "Nie rozpoznano układu współrzędnych pliku CSV; podaj go (np. --crs EPSG:2178)."
            )
    else:
        run.source_crs = _layer_crs(run)


def _layer_crs(run: ImportRun) -> str | None:
    layer = run.layer
    assert layer is not None, "describe runs first"
    if layer.epsg:
        return f"EPSG:{layer.epsg}"
    if layer.srs_wkt:
        return None  # GDAL uses the layer's own SRS
    if _source(run).format in LONLAT_FORMATS:
        return "EPSG:4326"
    guessed = guess_from_layer(layer)
    if guessed is None:
        raise JobError(
            "Plik nie określa układu współrzędnych i nie da się go rozpoznać; "
            "podaj go (np. --crs EPSG:2180)."
        )
    return guessed


# --------------------------------------------------------------------------- load


def load(run: ImportRun) -> None:
    """Load the source into the staging table with ``ogr2ogr`` (COPY, no index): its one
    layer, or each chosen layer appended, its name in :attr:`ImportRun.layer_column`; then the
    column types the steward chose."""
    run.progress(5, "Wczytywanie danych")
    run.lap("inspect")
    pg, env = gdal.pg_connection()
    assert run.open_path is not None
    if run.layer_column is None:
        gdal.ogr2ogr(
            ["-f", "PostgreSQL", pg, *ogr2ogr_args(run)],
            env=env,
            progress=lambda p, m: run.progress(5 + p * 0.6, f"Wczytywanie danych ({p:.0f}%)"),
            source=_source_file(run),
        )
    else:
        _load_layers(run, pg, env)
    _retype(run)


def _source_file(run: ImportRun) -> gdal.SourceFile:
    """The file ``ogr2ogr`` reads (a preset's options; a CSV's column types are set before
    the load)."""
    assert run.open_path is not None
    if run.preset is not None:
        return run.preset.source_file(run.open_path)
    types = (run.request.column_types or {}) if run.csv_layout is not None else {}
    return gdal.SourceFile(run.open_path, _source(run).driver, column_types=types)


def _load_layers(run: ImportRun, pg: str, env: dict[str, str]) -> None:
    """Each chosen layer appended to the staging table, its name in the layer column."""
    assert run.layer_column is not None
    column = sql.Identifier(run.layer_column)
    share = 60 / len(run.layers)
    for i, layer in enumerate(run.layers):
        gdal.ogr2ogr(
            ["-f", "PostgreSQL", pg, *ogr2ogr_args(run, layer, append=i > 0)],
            env=env,
            progress=_layer_progress(run, 5 + i * share, share, i + 1),
            source=_source_file(run),
        )
        if i == 0:
            db.execute(
                sql.SQL("ALTER TABLE {} ADD COLUMN {} text").format(run.work_table(), column)
            )
        db.execute(
            sql.SQL("UPDATE {t} SET {c} = %s WHERE {c} IS NULL").format(
                t=run.work_table(), c=column
            ),
            [layer.name],
        )


def _layer_progress(run: ImportRun, start: float, share: float, number: int) -> gdal.Progress:
    """The progress of loading one of several layers (``share`` percent from ``start``)."""

    def progress(percent: float, _message: str) -> None:
        run.progress(
            start + percent * share / 100, f"Wczytywanie warstwy {number} ({percent:.0f}%)"
        )

    return progress


def _retype(run: ImportRun) -> None:
    """The column types the steward chose (``{attribute: text | integer | decimal |
    date}``), for formats whose types are not set before the load; a value that is no such
    type stops the import naming the column."""
    wanted = run.request.column_types
    if not wanted or run.csv_layout is not None:
        return
    columns = dict(table_columns(run.staging))
    types: dict[str, str] = {}
    for name, kind in wanted.items():
        column = name if name in columns else run.columns_plan.renamed.get(name, launder(name))
        if column not in columns:
            raise JobError(f"Nie ma kolumny „{name}”, której typ wybrano.")
        types[column] = kind
    try:
        with transaction.atomic():
            gdal.retype_columns(run.staging, types)
    except DataError as exc:
        raise JobError(
            f"Nie da się zmienić typów kolumn ({', '.join(f'{c}: {k}' for c, k in types.items())})"
            f": {str(exc).splitlines()[0]}"
        ) from None


def ogr2ogr_args(
    run: ImportRun, layer: gdal.LayerInfo | None = None, *, append: bool = False
) -> list[str]:
    """The arguments of ``ogr2ogr -f PostgreSQL <connection>`` after the connection: the
    source, its options, the staging table, the CRS. ``layer``: one of several layers loaded
    into one table (``append``: after the first) — a table of any geometry type, promoted to
    multi-part after loading where the target wants it."""
    assert run.open_path is not None
    if layer is None:
        name = run.layer.name if run.layer is not None else None
        renamed, options = bool(run.columns_plan.renamed), run.options
    else:
        plan = columns_plan(layer.fields)
        name, renamed = layer.name, bool(plan.renamed)
        options = [*run.options, *column_args(plan, run.open_path, layer.name)]
    args = [
        str(run.open_path),
        *([name] if name and not renamed else []),
        *options,
        *("--config", "PG_USE_COPY", "YES", "-nln", run.staging),
    ]
    if append:
        args += ["-append", "-addfields"]
    else:
        args += ["-lco", "GEOMETRY_NAME=geom", "-lco", "FID=fid", "-lco", "SPATIAL_INDEX=NONE"]
        args += ["-lco", "PRECISION=NO"]
    args += ["-dim", "XY", "-gt", "65536"]
    source_crs = run.source_crs if layer is None else _crs_of(run, layer)
    if source_crs == f"EPSG:{SRID}":
        # already in it: assigned, not transformed (docs/datahub.md)
        args += ["-a_srs", source_crs]
    else:
        args += [*(["-s_srs", source_crs] if source_crs else []), "-t_srs", f"EPSG:{SRID}"]
    if layer is not None:
        args += ["-nlt", "GEOMETRY"]
    elif run.promote:
        args += ["-nlt", "PROMOTE_TO_MULTI"]
    return args


def _crs_of(run: ImportRun, layer: gdal.LayerInfo) -> str | None:
    """The CRS of one of several layers: the declared one, else the layer's own, else the
    one found for the first layer (lon/lat of KML, guessed)."""
    if run.declared_crs is None and layer.epsg:
        return f"EPSG:{layer.epsg}"
    if run.declared_crs is None and layer.srs_wkt:
        return None
    return run.source_crs


# --------------------------------------------------------------------------- name_columns


def name_columns(run: ImportRun) -> None:
    """The plain column names of a KML's or Shapefile's attributes (:mod:`datahub.columns`:
    ``Parkingi Leśne`` → ``parkingi_lesne``, the file's name kept as the field's label)."""
    rename_loaded(run.work_table(), run.columns_plan)


# --------------------------------------------------------------------------- check_geometry


def check_geometry(run: ImportRun) -> None:
    """What was loaded: attributes and a geometry, one geometry family (the target's), at
    least one feature; polygons and lines made multi-part for spine targets."""
    columns = dict(table_columns(run.staging))
    if not columns:
        raise JobError("GDAL nie wczytał żadnych danych z pliku (pusta warstwa?).")
    if "geom" not in columns:
        raise JobError("Plik nie zawiera geometrii (warstwa bez współrzędnych).")
    if run.csv_layout is not None:
        check_csv_geometry(run.staging, run.csv_layout, columns, run.columns_plan.renamed)
    run.columns = columns
    groups = geometry_families(run.staging)
    run.feature_count = sum(n for _t, n, _f in groups)
    if run.feature_count == 0:
        raise JobError("Plik nie zawiera żadnych obiektów.")
    gtype = check_geometry_types([g for g in groups if g[0] is not None], run.target)
    if run.target.promote_to_multi and any(t in ("POLYGON", "LINESTRING") for t, _n, _f in groups):
        promote_to_multi(run.staging)
        gtype = gtype if gtype.startswith("MULTI") else f"MULTI{gtype}"
    run.geometry_type = gtype
    run.lap("load")


# --------------------------------------------------------------------------- map_fields


def map_fields(run: ImportRun) -> None:
    """The target's fields mapped to the loaded attributes (the request's mapping, else the
    dataset's saved one) and the key columns."""
    dataset = run.request.dataset
    run.attributes = [c for c in run.columns if c not in ("fid", "geom")]
    saved = run.request.mapping if run.request.mapping is not None else dataset.field_mapping
    if not saved and run.preset_mapping:  # (a national schema's, :mod:`.presets`)
        saved = run.preset_mapping
    # (an attribute named as in the file, or as its column was before it got a plain name)
    plan = run.columns_plan
    saved = {k: plan.column_for(str(v)) or v for k, v in (saved or {}).items()}
    run.mapping = run.target.resolve_mapping(saved, run.attributes)
    key = (plan.column_for(dataset.key_field) or dataset.key_field) if dataset.key_field else ""
    key_field = match_column(key, run.attributes) if key else ""
    run.key_columns = run.target.key_columns(run.mapping, key_field)


def match_column(name: str, columns: list[str]) -> str:
    """The loaded attribute called ``name`` (case aside)."""
    for c in columns:
        if c.lower() == name.lower():
            return c
    raise JobError(
        f"Atrybut klucza „{name}” nie występuje w pliku. Atrybuty pliku: {', '.join(columns)}."
    )


# --------------------------------------------------------------------------- baseline


def baseline(run: ImportRun) -> None:
    """The quality rules and the earlier version the checks compare with; for the first
    parcels, the overlap check's edge matching starts beside what follows."""
    run.rules = quality.rules_for(run.target.is_spine, run.request.dataset.quality_rules)
    run.baseline = baseline_for(run.request.dataset, run.target, run.rules)
    if run.target.key == "parcels" and run.baseline.version is None:
        run.edges = quality.start_edge_match(run.staging)


# --------------------------------------------------------------------------- quality


def check_quality(run: ImportRun) -> None:
    """The quality report (:func:`quality.quality_check`), with the GiST index built and —
    for spine targets — the rows classified for publishing, both beside the checks."""
    run.restart_clock()
    run.progress(68, "Kontrola jakości")
    db.execute(sql.SQL("ANALYZE {}").format(run.work_table()))  # statistics for the plans
    index = _start_index(run)
    # spine targets: the rows are classified for publishing beside the checks, too — or,
    # where the spine holds the baseline exactly, after them, from what changed
    same_columns, spine_rows = spine_holds(
        run.baseline.version, run.target, run.mapping, run.columns
    )
    if run.target.is_spine and not same_columns:
        run.ahead = run.target.plan_ahead(run.staging, run.mapping)
    report = _quality_report(run, index, same_columns)
    if index is not None:
        index.result()
    # waited for before publishing: the rename of the staging table would queue behind a
    # statement of that thread still reading it, and the thread's next statement behind it
    run.plan = result_of(run.ahead)
    if same_columns and _changes_tell_all(run, report):
        run.plan = run.target.plan_from_changes(
            run.staging, run.mapping, f"{run.staging}_diff", spine_rows
        )
    report["key_columns"] = run.key_columns
    report["mapping"] = run.mapping
    if run.skipped_layers or run.layer_column:
        report["layers"] = layers_report(run)
    _notes(run, report)
    run.report = report
    run.lap("quality")


def layers_report(run: ImportRun) -> dict[str, Any]:
    """The layers of a file with several: those loaded (with the features loaded from each)
    and those skipped (with GDAL's count)."""
    if run.layer_column is None:
        loaded = {run.layers[0].name: run.feature_count} if run.layers else {}
    else:
        rows = db.fetch_all(
            sql.SQL("SELECT {c}, count(*) FROM {t} GROUP BY 1").format(
                c=sql.Identifier(run.layer_column), t=run.work_table()
            )
        )
        counts = dict(rows)
        loaded = {lyr.name: counts.get(lyr.name, 0) for lyr in run.layers}
    return {
        "column": run.layer_column,
        "loaded": [{"name": n, "count": c} for n, c in loaded.items()],
        "skipped": [{"name": lyr.name, "count": lyr.feature_count} for lyr in run.skipped_layers],
    }


def _notes(run: ImportRun, report: dict[str, Any]) -> None:
    """What the report says of how the file was read: the preset, and an SRS without an EPSG
    code taken from the layer (not declared with the import) — in the CRS check's message."""
    if run.preset is not None:
        report["preset"] = run.preset.preset.key
    note = run.layer.srs_note if run.layer is not None and run.declared_crs is None else None
    if note:
        report["srs_note"] = note
        crs = report.get("checks", {}).get("crs")
        if crs is not None:
            crs["message"] = " ".join(m for m in (crs.get("message"), note) if m)


def _start_index(run: ImportRun) -> Future[Any] | None:
    """Build the GiST index beside the checks that do not need it (or now, in a
    transaction); its future."""
    gist = sql.SQL("CREATE INDEX ON {} USING GIST (geom)").format(run.work_table())
    index = run_beside(lambda: db.execute(gist), "gist")
    if index is None:
        db.execute(gist)
    return index


def _quality_report(
    run: ImportRun, index: Future[Any] | None, same_columns: list[str]
) -> dict[str, Any]:
    parcels = run.target.key == "parcels"
    base = run.baseline
    report: dict[str, Any] = quality.quality_check(
        run.staging,
        key_columns=run.key_columns,
        rules=run.rules,
        parcels=parcels,
        key_regex=PARCEL_ID_SQL if parcels else None,
        previous_table=base.table,
        previous_key=base.key,
        previous_city=base.city,
        previous_unique=base.unique,
        edges=run.edges,
        index=index,
        same_columns=same_columns,
    )
    return report


def _changes_tell_all(run: ImportRun, report: dict[str, Any]) -> bool:
    """Can the rows be classified from what changed since the baseline (its table of changes
    kept, nothing blocking; every row counts as changed or not: it has a geometry, one row a
    key)?"""
    checks = report["checks"]
    return bool(
        not report["blocking"]
        and not checks["null_geometries"]["count"] + checks["empty_geometries"]["count"]
        and not (checks.get("duplicate_keys") or {}).get("count")
        and db.fetch_value("SELECT to_regclass(%s)", [f"{run.staging}_diff"])
    )


def result_of(future: Future[Any] | None) -> Any:
    """What work done beside returned; ``None`` if it failed (the caller does it itself)."""
    if future is None:
        return None
    try:
        return future.result()
    except Exception:  # noqa: BLE001 — e.g. the table was dropped under it by a failure
        return None


# --------------------------------------------------------------------------- prepare


def prepare(run: ImportRun) -> None:
    """Spine targets classified while publishing (no plan ahead): the lookup rows publishing
    would make first (new precincts) are made now, on both cores."""
    if run.target.is_spine and run.plan is None and not run.blocked:
        run.progress(85, "Przygotowanie publikacji")
        run.lookups = run.target.lookups_ahead(run.staging, run.mapping)
        run.lap("prepare")


# --------------------------------------------------------------------------- publish


def publish(run: ImportRun) -> None:
    """In one transaction: the version, its table (the staging table renamed) and — unless a
    blocking rule failed — the version made current (published into the spine)."""
    run.report["timings"] = run.timings
    run.progress(88, "Zapisywanie wersji")
    request = run.request
    with transaction.atomic(), acting_as(request.user, actor_source()):
        locked = Dataset.objects.select_for_update().get(pk=request.dataset.pk)
        version = _create_version(run, locked)
        rename_staging(run, version.pk)
        if not run.blocked:
            make_current(version, run.mapping, plan=run.plan, lookups=run.lookups)
            if request.mapping is not None and request.mapping != locked.field_mapping:
                Dataset.objects.filter(pk=locked.pk).update(field_mapping=request.mapping)
        _finish_version(run, version)
    run.version = version
    run.progress(100, "Gotowe" if not run.blocked else "Odrzucono przez reguły jakości")


def _create_version(run: ImportRun, dataset: Dataset) -> DatasetVersion:
    """The new version of ``dataset`` (locked), numbered after its last one."""
    request, source, report = run.request, _source(run), run.report
    number = (dataset.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    labels = run.columns_plan.labels
    return DatasetVersion.objects.create(
        dataset=dataset,
        number=number,
        status=DatasetVersion.Status.REJECTED if run.blocked else DatasetVersion.Status.READY,
        created_by=request.user if getattr(request.user, "pk", None) else None,
        source_name=Path(request.source_name).name[:255],
        source_sha256=source.sha256,
        source_size=source.size,
        format=source.format,
        source_crs=(run.source_crs or "wg pliku")[:40],
        feature_count=run.feature_count,
        geometry_type=pretty_type(run.geometry_type),
        attributes=[attribute(c, run.columns[c], labels) for c in run.attributes],
        quality=report,
        quality_score=report["score"],
        progress=100,
        note=request.note[:250],
        error="; ".join(b["message"] for b in report["blocking"])[:5000],
    )


def attribute(column: str, data_type: str, labels: dict[str, str]) -> dict[str, str]:
    """A field of the version's schema; ``label``: the file's name of an attribute that got
    a column of its own (:mod:`miasto.datahub.columns`)."""
    field = {"name": column, "type": data_type}
    if column in labels:
        field["label"] = labels[column]
    return field


def rename_staging(run: ImportRun, version_pk: int) -> None:
    """The staging table (with its index and primary key) becomes the version's ``v<pk>``."""
    short = run.staging_name
    db.execute(
        sql.SQL("ALTER TABLE {} RENAME TO {}").format(
            run.work_table(), sql.Identifier(f"v{version_pk}")
        )
    )
    for suffix in ("_geom_idx", "_pkey"):
        db.execute(
            sql.SQL("ALTER INDEX IF EXISTS {} RENAME TO {}").format(
                sql.Identifier(DATA_SCHEMA, f"{short}{suffix}"),
                sql.Identifier(f"v{version_pk}{suffix}"),
            )
        )


def _finish_version(run: ImportRun, version: DatasetVersion) -> None:
    """The version's duration, finish time and the timings of every phase."""
    version.duration = round(time.monotonic() - run.started, 3)
    run.lap("publish")
    DatasetVersion.objects.filter(pk=version.pk).update(
        quality={**version.quality, "timings": run.timings}
    )
    version.refresh_from_db(fields=["quality"])
    version.finished_at = timezone.now()
    version.save(update_fields=["duration", "finished_at"])

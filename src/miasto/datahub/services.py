"""Data hub writes: datasets, versioned imports, current version / rollback, diffs.

:func:`version_import` is the whole import pipeline: check the upload (size, content,
ZIP/XML guards), load it with ``ogr2ogr`` (COPY) into a staging table in ``datahub_data``,
check and repair it (:mod:`miasto.datahub.quality`), then — atomically — create the
:class:`DatasetVersion`, rename the staging table to the version's table and, unless a blocking
quality rule failed, make it current (publishing it into the spine for spine targets).
On any failure nothing is left behind: no version, no table, no temporary file; the previous
version stays current, and a :class:`~miasto.core.jobs.JobError` carries a Polish message.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import shutil
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case, Max, When
from django.utils import timezone

from miasto.core import db
from miasto.core.audit import acting_as, audit_record_bulk, current_actor
from miasto.core.db import run_beside
from miasto.core.jobs import JobError
from miasto.core.sql import execute, quote_ident, quote_table
from miasto.datahub import cleanup, files, gdal, quality
from miasto.datahub.columns import launder
from miasto.datahub.columns import ogr_args as column_args
from miasto.datahub.columns import plan as columns_plan
from miasto.datahub.importers import (
    PARCEL_ID_SQL,
    ImportTarget,
    PublishOptions,
    PublishPlan,
    get_target,
)
from miasto.datahub.models import DATA_SCHEMA, Dataset, DatasetVersion

SRID = settings.MIASTO_SRID
Progress = Callable[[float, str], None]

CSV_GEOM_NAMES = ("wkt", "geom", "geometry", "the_geom", "wkt_geom", "geometria", "shape")
CSV_X_NAMES = ("lon", "lng", "long", "longitude", "x", "dlugosc", "długość", "easting")
CSV_Y_NAMES = ("lat", "latitude", "y", "szerokosc", "szerokość", "northing")
GEOMETRY_FAMILY = {
    "POINT": "POINT",
    "MULTIPOINT": "POINT",
    "LINESTRING": "LINESTRING",
    "MULTILINESTRING": "LINESTRING",
    "POLYGON": "POLYGON",
    "MULTIPOLYGON": "POLYGON",
}
FAMILY_PL = {"POINT": "punktowa", "LINESTRING": "liniowa", "POLYGON": "powierzchniowa"}


# --------------------------------------------------------------------------- datasets


def dataset_create(*, user: Any = None, **fields: Any) -> Dataset:
    """Create a dataset (validated with ``full_clean``)."""
    with transaction.atomic(), acting_as(user, _source()):
        dataset = Dataset(**fields)
        if dataset.target != "generic":
            get_target(dataset.target)
        dataset.full_clean()
        dataset.save()
    return dataset


def dataset_update(dataset: Dataset, *, user: Any = None, **fields: Any) -> Dataset:
    """Change a dataset's metadata, mapping or rules (validated with ``full_clean``)."""
    with transaction.atomic(), acting_as(user, _source()):
        for name, value in fields.items():
            setattr(dataset, name, value)
        get_target(dataset.target)
        dataset.full_clean()
        dataset.save()
    return dataset


def _source() -> str:
    actor = current_actor.get()
    return actor.source if actor.source != "system" else "cli"


# --------------------------------------------------------------------------- helpers


def _columns(table: str) -> list[tuple[str, str]]:
    schema, name = table.split(".")
    return db.fetch_all(
        "SELECT column_name, CASE WHEN data_type = 'USER-DEFINED' THEN udt_name "
        "ELSE data_type END FROM information_schema.columns WHERE table_schema = %s "
        "AND table_name = %s ORDER BY ordinal_position",
        [schema, name],
    )


def drop_table(table: str) -> None:
    db.execute(f"DROP TABLE IF EXISTS {table}")


def _guess_crs(pairs: list[tuple[float, float]]) -> str | None:
    """A CRS from sample coordinates: lon/lat, PUWG 1992 or a PL-2000 zone."""
    if not pairs:
        return None
    if all(abs(x) <= 180 and abs(y) <= 90 for x, y in pairs):
        return "EPSG:4326"
    if all(100_000 <= x <= 900_000 and 100_000 <= y <= 900_000 for x, y in pairs):
        return "EPSG:2180"
    zones = {int(x // 1_000_000) for x, y in pairs if 5_000_000 <= y <= 6_200_000}
    if (
        len(zones) == 1
        and zones <= {5, 6, 7, 8}
        and len(pairs) == sum(1 for x, y in pairs if 5_000_000 <= y <= 6_200_000)
    ):
        return f"EPSG:{2171 + zones.pop()}"  # zone 5 → 2176 … 8 → 2179
    return None


_NUM_PAIR = re.compile(r"(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)\s+(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)")


class _CsvLayout:
    def __init__(self, path: Path) -> None:
        with path.open("rb") as fh:
            head = fh.read(256 * 1024)
        for enc in ("utf-8-sig", "cp1250"):
            try:
                text = head.decode(enc)
                break
            except UnicodeDecodeError as exc:
                failed = exc
        else:
            raise _not_utf8_nor_cp1250(failed)
        lines = text.splitlines()
        if not lines:
            raise JobError("Plik CSV jest pusty.")
        first = lines[0]
        self.delimiter = max((",", ";", "\t", "|"), key=first.count)
        rows = list(csv.reader(io.StringIO("\n".join(lines[:102])), delimiter=self.delimiter))
        header = [h.strip() for h in rows[0]]
        lower = [h.lower() for h in header]
        self.header = header
        self.geom = next((header[lower.index(n)] for n in CSV_GEOM_NAMES if n in lower), None)
        self.x = next((header[lower.index(n)] for n in CSV_X_NAMES if n in lower), None)
        self.y = next((header[lower.index(n)] for n in CSV_Y_NAMES if n in lower), None)
        if self.geom is None and not (self.x and self.y):
            raise JobError(
                "Plik CSV nie ma kolumny z geometrią: potrzebna kolumna WKT (np. „wkt”, "
                "„geometry”) albo para kolumn współrzędnych (np. „lon” i „lat”, „x” i „y”). "
                f"Kolumny pliku: {', '.join(header)}."
            )
        self.sample: list[tuple[float, float]] = []
        for row in rows[1:-1]:  # the last line may be cut by the 256 kB read
            try:
                if self.geom:
                    m = _NUM_PAIR.search(row[header.index(self.geom)])
                    if m:
                        self.sample.append((float(m.group(1)), float(m.group(2))))
                else:
                    x = float(row[header.index(self.x)].replace(",", "."))  # type: ignore[arg-type]
                    y = float(row[header.index(self.y)].replace(",", "."))  # type: ignore[arg-type]
                    self.sample.append((x, y))
            except (ValueError, IndexError):
                continue

    def open_options(self) -> list[str]:
        opts = ["-oo", "AUTODETECT_TYPE=YES", "-oo", "KEEP_GEOM_COLUMNS=YES"]
        if self.geom:
            opts += ["-oo", f"GEOM_POSSIBLE_NAMES={self.geom}"]
        else:
            opts += ["-oo", f"X_POSSIBLE_NAMES={self.x}", "-oo", f"Y_POSSIBLE_NAMES={self.y}"]
        return opts


def _not_utf8_nor_cp1250(exc: UnicodeDecodeError) -> JobError:
    return JobError(
        f"Plik CSV nie jest zapisany ani w UTF-8, ani w CP1250 (bajt nr {exc.start + 1} "
        "nie pasuje do żadnego z nich); zapisz go w UTF-8."
    )


def _csv_in_utf8(path: Path, workdir: Path) -> Path:
    """The CSV file as UTF-8, which GDAL's CSV driver expects: ``path`` itself, or — when it
    is not UTF-8 — a copy of it transcoded from CP1250 in ``workdir`` (what Excel saves as
    "CSV (rozdzielany średnikami)" on a Polish Windows), with its ``.csvt`` and ``.prj``."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        return path
    except UnicodeDecodeError:
        pass
    folder = workdir / "csv-utf8"
    folder.mkdir(exist_ok=True)
    out = folder / f"{path.stem}.csv"
    try:
        with (
            path.open("r", encoding="cp1250", newline="") as src,
            out.open("w", encoding="utf-8", newline="") as dst,
        ):
            shutil.copyfileobj(src, dst, 1 << 20)
    except UnicodeDecodeError as exc:
        raise _not_utf8_nor_cp1250(exc) from None
    for ext in (".csvt", ".prj"):
        side = path.with_suffix(ext)
        if side.is_file():
            shutil.copyfile(side, out.with_suffix(ext))
    return out


def _shapefile_encoding(shp: Path) -> str | None:
    """Encoding for a .dbf without .cpg and without a code page byte: UTF-8 or CP1250."""
    for ext in (".cpg", ".CPG"):
        if shp.with_suffix(ext).exists():
            return None  # GDAL honours it
    dbf = next((p for p in (shp.with_suffix(".dbf"), shp.with_suffix(".DBF")) if p.exists()), None)
    if dbf is None:
        return None
    with dbf.open("rb") as fh:
        header = fh.read(32)
        if len(header) < 32:
            return None
        if header[29] not in (0,):
            return None  # language driver id set: GDAL maps it
        header_len = int.from_bytes(header[8:10], "little")
        fh.seek(header_len)
        data = fh.read(4 * 1024 * 1024)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        # a multi-byte char cut at the end of the sample is fine
        if exc.start < len(data) - 4:
            return "CP1250"
    return "UTF-8"


def _geometry_families(table: str) -> list[tuple[str | None, int, int]]:
    """(geometry type, count, first fid) of every feature, one scan; ``None``: no geometry or
    an empty one (in a column of one type, its features count as that type)."""
    schema, name = table.split(".")
    live = "geom IS NOT NULL AND NOT ST_IsEmpty(geom)"
    with connection.cursor() as cur:
        cur.execute(
            "SELECT upper(type) FROM geometry_columns WHERE f_table_schema = %s "
            "AND f_table_name = %s AND f_geometry_column = 'geom'",
            [schema, name],
        )
        row = cur.fetchone()
        declared = row[0] if row else "GEOMETRY"
        if declared in GEOMETRY_FAMILY:
            # a column of one type (ogr2ogr made it so): no other type can be in it; the count
            # of all features and the first with a geometry (by the primary key) are enough
            cur.execute(
                f"SELECT count(*), (SELECT min(fid) FROM {table} WHERE {live}) FROM {table}"
            )
            n, first = cur.fetchone()
            return [(declared if first is not None else None, n, first)]
        cur.execute(
            f"SELECT CASE WHEN {live} THEN upper(GeometryType(geom)) END, count(*), min(fid) "
            f"FROM {table} GROUP BY 1 ORDER BY 2 DESC"
        )
        return list(cur.fetchall())


def _check_geometry_types(groups: list[tuple[Any, int, int]], target: ImportTarget) -> str:
    """One geometry family per layer (and the target's); return the dominant type name.

    ``groups``: :func:`_geometry_families` of the features that have a geometry."""
    if not groups:
        return ""
    fams: dict[str, tuple[int, int, str]] = {}
    for gtype, count, first in groups:
        fam = GEOMETRY_FAMILY.get(gtype, gtype)
        n, f, t = fams.get(fam, (0, first, gtype))
        fams[fam] = (n + count, min(f, first), t)
    ordered = sorted(fams.items(), key=lambda kv: -kv[1][0])
    if len(ordered) > 1 or ordered[0][0] not in FAMILY_PL:
        main_fam, (main_n, _f, _t) = ordered[0]
        odd_fam, (odd_n, odd_first, odd_type) = ordered[-1] if len(ordered) > 1 else ordered[0]
        raise JobError(
            f"Warstwa ma mieszane typy geometrii: obiekt nr {odd_first} ma geometrię "
            f"{odd_type} ({odd_n} takich obiektów), a {main_n} obiektów — "
            f"{main_fam}. Warstwa musi mieć jeden rodzaj geometrii (punkty, linie albo "
            "powierzchnie); podziel plik na warstwy."
        )
    fam = ordered[0][0]
    if target.geometry and fam != target.geometry:
        raise JobError(
            f"Warstwa „{target.label}” wymaga geometrii {FAMILY_PL[target.geometry]}, a plik "
            f"zawiera geometrię {FAMILY_PL.get(fam, fam)} (np. obiekt nr {ordered[0][1][1]})."
        )
    return max(groups, key=lambda g: g[1])[0]


def _pretty_type(gtype: str) -> str:
    names = {
        "POINT": "Point",
        "MULTIPOINT": "MultiPoint",
        "LINESTRING": "LineString",
        "MULTILINESTRING": "MultiLineString",
        "POLYGON": "Polygon",
        "MULTIPOLYGON": "MultiPolygon",
    }
    return names.get(gtype, gtype.title())


# --------------------------------------------------------------------------- import


def version_import(
    *,
    dataset: Dataset,
    path: str | Path,
    source_name: str,
    user: Any = None,
    crs: str | None = None,
    layer: str | None = None,
    progress: Progress | None = None,
    mapping: dict[str, str] | None = None,
    note: str = "",
) -> DatasetVersion:
    """Import a file as a new version of ``dataset`` (see the module docstring).

    ``mapping`` (``{target_field: source_column}``) overrides the dataset's saved mapping
    and, when the import succeeds, is saved on the dataset.
    """
    started = time.monotonic()
    report = progress or (lambda p, m: None)
    path = Path(path)
    target = get_target(dataset.target)
    declared = gdal.crs_option(crs)
    # One token names the work folder and the staging table; it holds the time (so a clean-up
    # knows their age) and is locked while the import runs (see miasto.datahub.cleanup).
    token = cleanup.work_token()
    workdir = Path(settings.MIASTO_WORK_DIR) / f"import-{token}"
    staging = f"{DATA_SCHEMA}.stg_{token}"
    ahead: Future[Any] | None = None
    lookups: str | None = None
    cleanup.import_lock(token)
    try:
        workdir.mkdir(parents=True, exist_ok=False)
        report(1, "Sprawdzanie pliku")
        src = files.inspect_upload(path, source_name, workdir)
        open_path = src.path
        if not open_path.resolve().is_relative_to(workdir.resolve()):
            # GDAL writes side files (.gfs for GML) next to what it opens: open a link here
            safe = re.sub(r"[^A-Za-z0-9_.-]", "_", Path(source_name).name) or "source"
            link = workdir / "source" / safe
            link.parent.mkdir()
            os.symlink(open_path.resolve(), link)
            open_path = link
        opts: list[str] = []
        source_crs = declared
        promote = target.promote_to_multi
        csv_layout: _CsvLayout | None = None
        renamed = columns_plan([])  # (attributes given a column of their own: datahub.columns)
        if src.format == "csv":
            csv_layout = _CsvLayout(open_path)
            open_path = _csv_in_utf8(open_path, workdir)
            opts += csv_layout.open_options()
            # (GDAL names an empty header field_<n>; its CSV geometry is GEOMETRY in -sql)
            fields = [h or f"field_{i + 1}" for i, h in enumerate(csv_layout.header)]
            renamed = columns_plan(fields)
            opts += column_args(renamed, open_path, open_path.stem, geometry="GEOMETRY")
            promote = False
            if source_crs is None:
                source_crs = _guess_crs(csv_layout.sample)
                if source_crs is None:
                    raise JobError(
                        "Nie rozpoznano układu współrzędnych pliku CSV; podaj go "
                        "(np. --crs EPSG:2178)."
                    )
            layer_name = None
        else:
            info = gdal.describe(open_path, src.driver)
            chosen = info.layer(layer)
            layer_name = chosen.name
            # promote only known line/polygon layers; unknown ones are normalised after loading
            if not any(t in chosen.geometry_type for t in ("Polygon", "LineString")):
                promote = False
            renamed = columns_plan(chosen.fields)
            opts += column_args(renamed, open_path, layer_name)
            if src.driver == "ESRI Shapefile":
                enc = _shapefile_encoding(open_path)
                if enc:
                    opts += ["-oo", f"ENCODING={enc}"]
            if source_crs is None:
                if chosen.epsg:
                    source_crs = f"EPSG:{chosen.epsg}"
                elif chosen.srs_wkt:
                    source_crs = None  # GDAL uses the layer's own SRS
                elif src.format in ("geojson", "geojsonseq", "kml"):
                    source_crs = "EPSG:4326"
                else:
                    source_crs = _guess_from_layer(chosen)
                    if source_crs is None:
                        raise JobError(
                            "Plik nie określa układu współrzędnych i nie da się go rozpoznać; "
                            "podaj go (np. --crs EPSG:2180)."
                        )
        report(5, "Wczytywanie danych")
        timings: dict[str, float] = {"inspect": round(time.monotonic() - started, 3)}
        mark = time.monotonic()
        pg, env = gdal.pg_connection()
        args = [
            "-f",
            "PostgreSQL",
            pg,
            str(open_path),
            *([layer_name] if layer_name and not renamed.renamed else []),
            *opts,
            "--config",
            "PG_USE_COPY",
            "YES",
            "-nln",
            staging,
            "-lco",
            "GEOMETRY_NAME=geom",
            "-lco",
            "FID=fid",
            "-lco",
            "SPATIAL_INDEX=NONE",
            "-lco",
            "PRECISION=NO",
            "-dim",
            "XY",
            "-gt",
            "65536",
        ]
        if source_crs == f"EPSG:{SRID}":
            # already in it: assigned (a transformation would still run every coordinate
            # through PROJ and change nothing, 0.25 s a million parcels)
            args += ["-a_srs", source_crs]
        else:
            args += [*(["-s_srs", source_crs] if source_crs else []), "-t_srs", f"EPSG:{SRID}"]
        if promote:
            args += ["-nlt", "PROMOTE_TO_MULTI"]
        gdal.ogr2ogr(
            args,
            env=env,
            progress=lambda p, m: report(5 + p * 0.6, f"Wczytywanie danych ({p:.0f}%)"),
            source=(open_path, src.driver),
        )
        columns = dict(_columns(staging))
        if not columns:
            raise JobError("GDAL nie wczytał żadnych danych z pliku (pusta warstwa?).")
        if "geom" not in columns:
            raise JobError("Plik nie zawiera geometrii (warstwa bez współrzędnych).")
        if csv_layout is not None:
            _check_csv_geometry(staging, csv_layout, columns, renamed.renamed)
        groups = _geometry_families(staging)
        count = sum(n for _t, n, _f in groups)
        if count == 0:
            raise JobError("Plik nie zawiera żadnych obiektów.")
        gtype = _check_geometry_types([g for g in groups if g[0] is not None], target)
        if target.promote_to_multi and any(t in ("POLYGON", "LINESTRING") for t, _n, _f in groups):
            db.execute(
                f"UPDATE {staging} SET geom = ST_Multi(geom) "
                f"WHERE GeometryType(geom) IN ('POLYGON', 'LINESTRING')"
            )
            gtype = gtype if gtype.startswith("MULTI") else f"MULTI{gtype}"
        timings["load"] = round(time.monotonic() - mark, 3)
        rules = quality.rules_for(target.is_spine, dataset.quality_rules)
        baseline = _baseline(dataset, target, rules)
        # parcels: the overlap check's edge matching starts now, beside the index and the checks
        edges = (
            quality.start_edge_match(staging)
            if target.key == "parcels" and baseline.version is None
            else None
        )
        mark = time.monotonic()
        report(68, "Kontrola jakości")
        attrs = [c for c in columns if c not in ("fid", "geom")]
        resolved = target.resolve_mapping(
            mapping if mapping is not None else dataset.field_mapping, attrs
        )
        key_cols = target.key_columns(
            resolved, _match_column(dataset.key_field, attrs) if dataset.key_field else ""
        )
        db.execute(f"ANALYZE {staging}")  # statistics for the quality checks' plans
        # the GiST index is built beside the checks that do not need it
        gist = f"CREATE INDEX ON {staging} USING GIST (geom)"
        index = run_beside(lambda: db.execute(gist), "gist")
        if index is None:
            db.execute(gist)
        # spine targets: the rows are classified for publishing beside the checks, too — or,
        # where the spine holds the baseline exactly, after them, from what changed
        same_columns, spine_rows = _spine_holds(baseline.version, target, resolved, columns)
        ahead = (
            target.plan_ahead(staging, resolved) if target.is_spine and not same_columns else None
        )
        qreport = quality.quality_check(
            staging,
            key_columns=key_cols,
            rules=rules,
            parcels=target.key == "parcels",
            key_regex=PARCEL_ID_SQL if target.key == "parcels" else None,
            previous_table=baseline.table,
            previous_key=baseline.key,
            previous_city=baseline.city,
            previous_unique=baseline.unique,
            edges=edges,
            index=index,
            same_columns=same_columns,
        )
        if index is not None:
            index.result()
        # waited for before the transaction below: the rename of the staging table would queue
        # behind a statement of that thread still reading it, and the thread's next statement
        # behind the rename
        plan = _result(ahead)
        checks = qreport["checks"]
        if (
            same_columns
            and not qreport["blocking"]
            # (every row counts as changed or not: it has a geometry; one row a key)
            and not checks["null_geometries"]["count"] + checks["empty_geometries"]["count"]
            and not (checks.get("duplicate_keys") or {}).get("count")
            and db.fetch_one("SELECT to_regclass(%s)", [f"{staging}_diff"])[0]  # type: ignore[index]
        ):
            plan = target.plan_from_changes(staging, resolved, f"{staging}_diff", spine_rows)
        qreport["key_columns"] = key_cols
        qreport["mapping"] = resolved
        timings["quality"] = round(time.monotonic() - mark, 3)
        mark = time.monotonic()
        if target.is_spine and plan is None and not qreport["blocking"]:
            # lookups publishing would make first (new precincts): made now, on both cores
            report(85, "Przygotowanie publikacji")
            lookups = target.lookups_ahead(staging, resolved)
            timings["prepare"] = round(time.monotonic() - mark, 3)
            mark = time.monotonic()
        qreport["timings"] = timings
        report(88, "Zapisywanie wersji")
        with transaction.atomic(), acting_as(user, _source()):
            locked = Dataset.objects.select_for_update().get(pk=dataset.pk)
            number = (locked.versions.aggregate(n=Max("number"))["n"] or 0) + 1
            blocked = bool(qreport["blocking"])
            version = DatasetVersion.objects.create(
                dataset=locked,
                number=number,
                status=DatasetVersion.Status.REJECTED if blocked else DatasetVersion.Status.READY,
                created_by=user if getattr(user, "pk", None) else None,
                source_name=Path(source_name).name[:255],
                source_sha256=src.sha256,
                source_size=src.size,
                format=src.format,
                source_crs=(source_crs or "wg pliku")[:40],
                feature_count=count,
                geometry_type=_pretty_type(gtype),
                attributes=[_attribute(c, columns[c], renamed.labels) for c in attrs],
                quality=qreport,
                quality_score=qreport["score"],
                progress=100,
                note=note[:250],
                error="; ".join(b["message"] for b in qreport["blocking"])[:5000],
            )
            short = staging.split(".")[1]
            db.execute(f"ALTER TABLE {staging} RENAME TO v{version.pk}")
            db.execute(
                f"ALTER INDEX IF EXISTS {DATA_SCHEMA}.{short}_geom_idx "
                f"RENAME TO v{version.pk}_geom_idx"
            )
            db.execute(
                f"ALTER INDEX IF EXISTS {DATA_SCHEMA}.{short}_pkey RENAME TO v{version.pk}_pkey"
            )
            if not blocked:
                _make_current(version, resolved, plan=plan, lookups=lookups)
                if mapping is not None and mapping != locked.field_mapping:
                    Dataset.objects.filter(pk=locked.pk).update(field_mapping=mapping)
            version.duration = round(time.monotonic() - started, 3)
            timings["publish"] = round(time.monotonic() - mark, 3)
            DatasetVersion.objects.filter(pk=version.pk).update(
                quality={**version.quality, "timings": timings}
            )
            version.refresh_from_db(fields=["quality"])
            version.finished_at = timezone.now()
            version.save(update_fields=["duration", "finished_at"])
        report(100, "Gotowe" if not blocked else "Odrzucono przez reguły jakości")
        return version
    except Exception:
        drop_table(staging)
        raise
    finally:
        if ahead is not None:
            _result(ahead)  # (its table exists once it ends)
        if target.is_spine:  # (also what a failed lookups_ahead left)
            drop_table(f"{staging}_plan")
            drop_table(f"{staging}_lookups")
            drop_table(f"{staging}_lookups_keys")
            drop_table(f"{staging}_diff")  # (kept by the check for plan_from_changes)
        files.cleanup(workdir)
        cleanup.import_unlock(token)


def _result(future: Future[Any] | None) -> Any:
    """What work done beside returned; ``None`` if it failed (the caller does it itself)."""
    if future is None:
        return None
    try:
        return future.result()
    except Exception:  # noqa: BLE001 — e.g. the table was dropped under it by a failure
        return None


@dataclass(frozen=True)
class Baseline:
    """An earlier parcels version a new one is checked against (:func:`_baseline`)."""

    version: DatasetVersion | None = None
    key: str | None = None  # its key column, if every key there was valid by today's pattern
    city: str | None = None  # the city's fingerprint, if nothing there lay outside the city
    unique: bool = False  # no geometry was there twice

    @property
    def table(self) -> str | None:
        return self.version.table_name if self.version else None


def _baseline(dataset: Dataset, target: ImportTarget, rules: dict[str, Any]) -> Baseline:
    """The earlier parcels version to check a new one against (see
    :func:`quality.quality_check`): this dataset's current version, else the newest current
    version of another parcels dataset, whose report found no overlaps (at a tolerance not
    above today's) and no geometry left invalid. Version tables never change once made, so
    the geometries (and keys) found there unchanged are valid and do not overlap each other.

    ``Baseline()`` (no version: every geometry checked) when there is none, for other targets,
    or when the dataset's rule ``incremental_check`` is off."""
    if target.key != "parcels" or not rules.get("incremental_check", True):
        return Baseline()
    tol = float(rules.get("overlap_tolerance_m2") or 0)
    candidates = DatasetVersion.objects.filter(
        is_current=True, status=DatasetVersion.Status.READY, dataset__target=target.key
    ).order_by(Case(When(dataset_id=dataset.pk, then=0), default=1), "-finished_at", "-pk")
    fields = ("pk", "quality", "attributes", "feature_count")
    for version in candidates.only(*fields)[:20]:
        report = version.quality or {}
        checks = report.get("checks", {})
        overlaps = checks.get("overlaps") or {}
        invalid = checks.get("invalid_geometries") or {}
        keys = checks.get("invalid_keys") or {}
        if (
            overlaps.get("count") == 0
            and float(overlaps.get("tolerance_m2") or 0) <= tol
            and invalid.get("unrepairable") == 0
        ):
            key_columns = report.get("key_columns") or []
            valid_keys = (
                keys.get("count") == 0
                and keys.get("pattern") == PARCEL_ID_SQL
                and len(key_columns) == 1
            )
            outside = checks.get("outside_city") or {}
            return Baseline(
                version,
                key_columns[0] if valid_keys else None,
                outside.get("city") if outside.get("count") == 0 else None,
                (checks.get("duplicate_geometries") or {}).get("count") == 0,
            )
    return Baseline()


def _spine_holds(
    baseline: DatasetVersion | None,
    target: ImportTarget,
    mapping: dict[str, str],
    columns: dict[str, str],
) -> tuple[list[str], int]:
    """The mapped columns of the version being imported, and the number of rows of the
    ``baseline``, when the spine holds exactly that version — published from it and not
    written since (its report's ``published_state`` is the spine's state now), with the same
    mapping and column types — so that publishing can be classified from what changed since
    (:meth:`~miasto.datahub.importers.SpineTarget.plan_from_changes`); else ``[], 0``."""
    if baseline is None or not target.is_spine:
        return [], 0
    report = baseline.quality or {}
    if not report.get("published_state") or report.get("mapping") != mapping:
        return [], 0
    mapped = sorted(set(mapping.values()))
    types = {a["name"]: a["type"] for a in baseline.attributes or []}
    if any(types.get(c) != columns.get(c) for c in mapped):
        return [], 0
    if report["published_state"] != target.published_state():
        return [], 0
    return mapped, int(baseline.feature_count or 0)


def _attribute(column: str, data_type: str, labels: dict[str, str]) -> dict[str, str]:
    """A field of the version's schema; ``label``: the file's name of an attribute that got
    a column of its own (:mod:`miasto.datahub.columns`)."""
    field = {"name": column, "type": data_type}
    if column in labels:
        field["label"] = labels[column]
    return field


def _match_column(name: str, columns: list[str]) -> str:
    for c in columns:
        if c.lower() == name.lower():
            return c
    raise JobError(
        f"Atrybut klucza „{name}” nie występuje w pliku. Atrybuty pliku: {', '.join(columns)}."
    )


def _guess_from_layer(layer: gdal.LayerInfo) -> str | None:
    if layer.extent is None:
        return None
    x0, y0, x1, y1 = layer.extent
    return _guess_crs([(x0, y0), (x1, y1)])


def _check_csv_geometry(
    staging: str, layout: _CsvLayout, columns: dict[str, str], renamed: dict[str, str]
) -> None:
    """Name the first row whose geometry could not be read, then drop the source columns
    (``renamed``: the header names given a column of their own, :mod:`~miasto.datahub.columns`)."""

    def column(name: str) -> str:
        return renamed.get(name) or launder(name)

    kept = [c for c in (layout.geom, layout.x, layout.y) if c]
    laundered = [column(c) for c in kept]
    present = [c for c in laundered if c in columns]
    if layout.geom and column(layout.geom) in columns:
        col = quote_ident(column(layout.geom))
        row = db.fetch_one(
            f"SELECT fid, left({col}::text, 80) FROM {staging} WHERE geom IS NULL "
            f"AND NULLIF(trim({col}::text), '') IS NOT NULL ORDER BY fid LIMIT 1"
        )
        if row:
            raise JobError(
                f"Błędna geometria WKT w wierszu danych nr {row[0]} (wiersz {row[0] + 1} pliku, "
                f"licząc nagłówek): „{row[1]}” — nie da się jej odczytać."
            )
    elif layout.x and layout.y:
        cx, cy = column(layout.x), column(layout.y)
        if cx in columns and cy in columns:
            x, y = quote_ident(cx), quote_ident(cy)
            row = db.fetch_one(
                f"SELECT fid FROM {staging} WHERE geom IS NULL AND (NULLIF(trim({x}::text), "
                f"'') IS NOT NULL OR NULLIF(trim({y}::text), '') IS NOT NULL) "
                f"ORDER BY fid LIMIT 1"
            )
            if row:
                raise JobError(
                    f"Błędne współrzędne w wierszu danych nr {row[0]} (wiersz {row[0] + 1} "
                    "pliku): nie są liczbami."
                )
    if present:
        drops = ", ".join(f"DROP COLUMN {quote_ident(c)}" for c in present)
        db.execute(f"ALTER TABLE {staging} {drops}")
        for c in present:
            columns.pop(c, None)


# --------------------------------------------------------------------------- current / rollback


def _make_current(
    version: DatasetVersion,
    mapping: dict[str, str] | None = None,
    plan: PublishPlan | None = None,
    lookups: str | None = None,
) -> dict[str, int]:
    """Inside a transaction: flag ``version`` current and publish it to the spine (``plan``:
    its rows classified ahead, see :meth:`~miasto.datahub.importers.SpineTarget.plan_ahead`;
    ``lookups``: the table of lookup rows made ahead,
    :meth:`~miasto.datahub.importers.SpineTarget.lookups_ahead`)."""
    DatasetVersion.objects.filter(dataset_id=version.dataset_id, is_current=True).exclude(
        pk=version.pk
    ).update(is_current=False)
    DatasetVersion.objects.filter(pk=version.pk).update(is_current=True)
    version.is_current = True
    target = get_target(version.dataset.target)
    counts: dict[str, int] = {}
    if target.is_spine:
        if mapping is None:
            mapping = version.quality.get("mapping") or target.resolve_mapping(
                version.dataset.field_mapping, [a["name"] for a in version.attributes]
            )
        rules = quality.rules_for(True, version.dataset.quality_rules)
        # checks of the quality report that found nothing on the same key columns need not
        # be repeated while publishing
        report = version.quality or {}
        passed = (
            {
                name
                for name, check in (report.get("checks") or {}).items()
                if isinstance(check, dict) and check.get("count") == 0
            }
            if report.get("key_columns") == target.key_columns(mapping)
            else set()
        )
        # source columns filled in every row: their required fields need no check either
        passed |= {
            f"filled:{column}"
            for column, n in (report.get("filled") or {}).items()
            if n == version.feature_count
        }
        db.execute(f"SET LOCAL work_mem = '{quality.BATCH_WORK_MEM}'")  # whole-layer hash joins
        counts = target.publish(
            version.table_name,
            mapping,
            PublishOptions(
                max_removed_share=float(rules["max_removed_share"]),
                passed=passed,
                plan=plan,
                lookups=lookups,
            ),
        )
        assert target.model is not None
        audit_record_bulk(
            model=target.model,
            action="bulk_load",
            count=sum(counts.values()),
            note=f"{version}: +{counts.get('added', 0)} ~{counts.get('changed', 0)} "
            f"-{counts.get('removed', 0)}",
        )
    audit_record_bulk(
        model=DatasetVersion,
        action="update",
        count=version.feature_count or 0,
        note=f"{version} jest bieżącą wersją",
    )
    if counts:  # (and the spine's state it leaves: see _spine_holds)
        version.quality = {
            **version.quality,
            "published": counts,
            "published_state": target.published_state(),
        }
        DatasetVersion.objects.filter(pk=version.pk).update(quality=version.quality)
    return counts


def version_set_current(version: DatasetVersion, user: Any = None) -> DatasetVersion:
    """Make an earlier (or any ready) version current — a rollback; publishes spine targets."""
    if version.status != DatasetVersion.Status.READY:
        raise JobError(
            f"Wersja {version.number} ma status „{version.get_status_display()}” — "
            "bieżącą może zostać tylko wersja gotowa."
        )
    with transaction.atomic(), acting_as(user, _source()):
        Dataset.objects.select_for_update().get(pk=version.dataset_id)
        _make_current(version)
    return version


# --------------------------------------------------------------------------- diff


def _hash_select(table: str, key_cols: list[str]) -> tuple[str, str]:
    """SQL of a feature's key and of a hash of its row; every column name is quoted (they
    come from the imported file: see :mod:`miasto.core.sql`)."""
    attrs = [c for c, _t in _columns(table) if c not in ("fid", "geom")]
    row = ", ".join([*(quote_ident(c) for c in attrs), "ST_AsEWKB(geom)"])
    h = f"md5(ROW({row})::text)"
    if key_cols:
        key = "concat_ws(' / ', " + ", ".join(f"{quote_ident(c)}::text" for c in key_cols) + ")"
    else:
        key = "md5(ST_AsEWKB(geom))"
    return key, h


def version_diff(a: DatasetVersion, b: DatasetVersion, *, limit: int = 100) -> dict[str, Any]:
    """What changed from ``a`` to ``b``: added / removed / changed features.

    Features are paired by key (the dataset's key columns, if both versions have them), else
    by geometry equality (then "changed" means same geometry, different attributes).
    """
    if a.dataset_id != b.dataset_id:
        raise JobError("Porównywać można tylko wersje tego samego zbioru danych.")
    for v in (a, b):
        if v.status not in (DatasetVersion.Status.READY, DatasetVersion.Status.REJECTED):
            raise JobError(f"Wersja {v.number} nie ma danych do porównania.")
    ka = a.quality.get("key_columns") or []
    kb = b.quality.get("key_columns") or []
    cols_a = {c for c, _t in _columns(a.table_name)}
    cols_b = {c for c, _t in _columns(b.table_name)}
    by_key = bool(ka) and ka == kb and set(ka) <= cols_a and set(ka) <= cols_b
    keys = ka if by_key else []
    key_a, hash_a = _hash_select(a.table_name, keys)
    key_b, hash_b = _hash_select(b.table_name, keys)
    table_a, table_b = quote_table(a.table_name), quote_table(b.table_name)
    with transaction.atomic(), connection.cursor() as cur:
        # (inside an outer transaction — a savepoint — an earlier diff's table is still there)
        cur.execute("DROP TABLE IF EXISTS _diff")
        execute(
            cur,
            f"CREATE TEMP TABLE _diff ON COMMIT DROP AS SELECT a.k AS ka, a.fid AS fa, "
            f"b.k AS kb, b.fid AS fb, a.h IS DISTINCT FROM b.h AS changed FROM "
            f"(SELECT {key_a} k, fid, {hash_a} h FROM {table_a}) a FULL JOIN "
            f"(SELECT {key_b} k, fid, {hash_b} h FROM {table_b}) b ON a.k = b.k",
        )
        cur.execute(
            "SELECT count(*) FILTER (WHERE ka IS NULL), count(*) FILTER (WHERE kb IS NULL), "
            "count(*) FILTER (WHERE ka IS NOT NULL AND kb IS NOT NULL AND changed), "
            "count(*) FILTER (WHERE ka IS NOT NULL AND kb IS NOT NULL AND NOT changed) FROM _diff"
        )
        added, removed, changed, same = cur.fetchone()

        def items(where: str, cols: str) -> list[tuple[Any, ...]]:
            cur.execute(f"SELECT {cols} FROM _diff WHERE {where} ORDER BY 1 LIMIT {int(limit)}")
            return list(cur.fetchall())

        added_items = items("ka IS NULL", "fb, kb")
        removed_items = items("kb IS NULL", "fa, ka")
        changed_items = items("ka IS NOT NULL AND kb IS NOT NULL AND changed", "fa, fb, ka")
    show_key = bool(keys)
    return {
        "from": a.number,
        "to": b.number,
        "by": "key" if by_key else "geometry",
        "key_columns": keys,
        "counts": {"added": added, "removed": removed, "changed": changed, "unchanged": same},
        "added": [{"fid": f, **({"key": k} if show_key else {})} for f, k in added_items],
        "removed": [{"fid": f, **({"key": k} if show_key else {})} for f, k in removed_items],
        "changed": [
            {"fid_from": fa, "fid_to": fb, **({"key": k} if show_key else {})}
            for fa, fb, k in changed_items
        ],
        "limit": limit,
    }

"""Exports of a version: GeoPackage, GeoJSON, CSV (WKT), Shapefile (ZIP), in a chosen CRS.

Never built whole in memory: GeoJSON and CSV are streamed from ``ogr2ogr`` writing to
``/vsistdout/`` (it reads PostGIS with a cursor); GeoPackage and Shapefile are written by
``ogr2ogr`` to a temporary file which is streamed in chunks and removed when the stream is
closed (Django closes a ``StreamingHttpResponse``'s iterator at the end of the request).
Spine targets export the version's own table, not the live spine.
"""

from __future__ import annotations

import shutil
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from miasto.core.jobs import JobError
from miasto.datahub import gdal
from miasto.datahub.models import DatasetVersion

CHUNK = 256 * 1024

#: format → (file extension, content type, GDAL driver)
EXPORT_FORMATS = {
    "gpkg": (".gpkg", "application/geopackage+sqlite3", "GPKG"),
    "geojson": (".geojson", "application/geo+json", "GeoJSON"),
    "csv": (".csv", "text/csv; charset=utf-8", "CSV"),
    "shp": (".zip", "application/zip", "ESRI Shapefile"),
}
EXPORT_CRS = {2180, 2176, 2177, 2178, 2179, 4326, 3857}


@dataclass
class Export:
    chunks: Iterator[bytes]
    filename: str
    content_type: str


def parse_export_crs(crs: str | int | None) -> str:
    """``EPSG:2180``/``2180``/``CRS84`` → a GDAL CRS string among the allowed ones."""
    option = gdal.crs_option(crs) or "EPSG:4326"
    epsg = gdal.epsg_of(option)
    if epsg not in EXPORT_CRS:
        allowed = ", ".join(f"EPSG:{c}" for c in sorted(EXPORT_CRS))
        raise JobError(f"Nieobsługiwany układ eksportu {crs}; dozwolone: {allowed}, CRS84.")
    return option


def _file_chunks(path: Path, cleanup: Path) -> Iterator[bytes]:
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(CHUNK):
                yield chunk
    finally:
        shutil.rmtree(cleanup, ignore_errors=True)


def export_version(version: DatasetVersion, fmt: str, crs: str | int | None = None) -> Export:
    """Stream a version in ``fmt`` (gpkg, geojson, csv, shp) and ``crs`` (default CRS84)."""
    if fmt not in EXPORT_FORMATS:
        raise JobError(
            f"Nieobsługiwany format eksportu „{fmt}”; dozwolone: gpkg, geojson, csv, shp."
        )
    if version.status not in (DatasetVersion.Status.READY, DatasetVersion.Status.REJECTED):
        raise JobError(f"Wersja {version.number} nie ma danych do eksportu.")
    t_srs = parse_export_crs(crs)
    ext, content_type, driver = EXPORT_FORMATS[fmt]
    slug = version.dataset.slug
    code = "crs84" if t_srs == "OGC:CRS84" else t_srs.split(":")[1]
    filename = f"{slug}-v{version.number}-{code}{ext}"
    pg, env = gdal.pg_connection()
    table = version.table_name
    pg = f"{pg} tables={table}"
    common = [pg, table, "-t_srs", t_srs, "-nln", slug.replace("-", "_")]
    if fmt in ("geojson", "csv"):
        lco = ["-lco", "RFC7946=NO"] if fmt == "geojson" else ["-lco", "GEOMETRY=AS_WKT"]
        args = ["-f", driver, "/vsistdout/", *common, *lco]
        return Export(gdal.ogr2ogr_stream(args, env=env), filename, content_type)
    workdir = Path(settings.MIASTO_WORK_DIR) / f"export-{uuid.uuid4().hex}"
    workdir.mkdir(parents=True)
    try:
        if fmt == "gpkg":
            out = workdir / filename
            gdal.ogr2ogr(["-f", driver, str(out), *common], env=env, what="Eksport nie powiódł się")
        else:
            shpdir = workdir / "shp"
            shpdir.mkdir()
            gdal.ogr2ogr(
                ["-f", driver, str(shpdir / f"{slug}.shp"), *common, "-lco", "ENCODING=UTF-8"],
                env=env,
                what="Eksport nie powiódł się",
            )
            out = workdir / filename
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
                for part in sorted(shpdir.iterdir()):
                    archive.write(part, part.name)
            shutil.rmtree(shpdir)
    except BaseException:
        shutil.rmtree(workdir, ignore_errors=True)
        raise
    return Export(_file_chunks(out, workdir), filename, content_type)

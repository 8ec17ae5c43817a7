"""Reading an uploaded source before it is loaded: a CSV's layout and encoding, a Shapefile's
encoding, and a CRS guessed from coordinates when the file declares none."""

from __future__ import annotations

import codecs
import csv
import io
import re
import shutil
from pathlib import Path

from miasto.core.jobs import JobError
from miasto.datahub import gdal
from miasto.datahub.columns import launder

CSV_GEOM_NAMES = ("wkt", "geom", "geometry", "the_geom", "wkt_geom", "geometria", "shape")
CSV_X_NAMES = ("lon", "lng", "long", "longitude", "x", "dlugosc", "długość", "easting")
CSV_Y_NAMES = ("lat", "latitude", "y", "szerokosc", "szerokość", "northing")
#: bytes of a CSV read to find its layout and sample coordinates
CSV_HEAD_BYTES = 256 * 1024

_NUM_PAIR = re.compile(r"(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)\s+(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)")


def guess_crs(pairs: list[tuple[float, float]]) -> str | None:
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


def guess_from_layer(layer: gdal.LayerInfo) -> str | None:
    """A CRS guessed from the corners of a layer's extent (:func:`guess_crs`)."""
    if layer.extent is None:
        return None
    x0, y0, x1, y1 = layer.extent
    return guess_crs([(x0, y0), (x1, y1)])


def not_utf8_nor_cp1250(exc: UnicodeDecodeError) -> JobError:
    return JobError(
        f"Plik CSV nie jest zapisany ani w UTF-8, ani w CP1250 (bajt nr {exc.start + 1} "
        "nie pasuje do żadnego z nich); zapisz go w UTF-8."
    )


def _decoded_head(path: Path) -> str:
    """The first :data:`CSV_HEAD_BYTES` of a CSV file as text (UTF-8, else CP1250)."""
    with path.open("rb") as fh:
        head = fh.read(CSV_HEAD_BYTES)
    try:
        return head.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return head.decode("cp1250")
    except UnicodeDecodeError as exc:
        raise not_utf8_nor_cp1250(exc) from None


def _named(header: list[str], names: tuple[str, ...]) -> str | None:
    """The first column of ``header`` called one of ``names`` (case aside)."""
    lower = [h.lower() for h in header]
    return next((header[lower.index(n)] for n in names if n in lower), None)


class CsvLayout:
    """A CSV file's delimiter, header, geometry column(s) and sample coordinates."""

    def __init__(self, path: Path) -> None:
        lines = _decoded_head(path).splitlines()
        if not lines:
            raise JobError("Plik CSV jest pusty.")
        self.delimiter = max((",", ";", "\t", "|"), key=lines[0].count)
        rows = list(csv.reader(io.StringIO("\n".join(lines[:102])), delimiter=self.delimiter))
        header = [h.strip() for h in rows[0]]
        self.header = header
        self.geom = _named(header, CSV_GEOM_NAMES)
        self.x = _named(header, CSV_X_NAMES)
        self.y = _named(header, CSV_Y_NAMES)
        if self.geom is None and not (self.x and self.y):
            raise JobError(
                "Plik CSV nie ma kolumny z geometrią: potrzebna kolumna WKT (np. „wkt”, "
                "„geometry”) albo para kolumn współrzędnych (np. „lon” i „lat”, „x” i „y”). "
                f"Kolumny pliku: {', '.join(header)}."
            )
        # (the last line may be cut by the read of the file's head)
        self.sample = [pair for row in rows[1:-1] if (pair := self._pair(row)) is not None]

    def _pair(self, row: list[str]) -> tuple[float, float] | None:
        """The coordinates of one row's geometry (its first for WKT), if readable."""
        try:
            if self.geom:
                found = _NUM_PAIR.search(row[self.header.index(self.geom)])
                return (float(found.group(1)), float(found.group(2))) if found else None
            assert self.x is not None and self.y is not None
            x = float(row[self.header.index(self.x)].replace(",", "."))
            y = float(row[self.header.index(self.y)].replace(",", "."))
            return (x, y)
        except (ValueError, IndexError):
            return None

    def open_options(self) -> list[str]:
        opts = ["-oo", "AUTODETECT_TYPE=YES", "-oo", "KEEP_GEOM_COLUMNS=YES"]
        if self.geom:
            opts += ["-oo", f"GEOM_POSSIBLE_NAMES={self.geom}"]
        else:
            opts += ["-oo", f"X_POSSIBLE_NAMES={self.x}", "-oo", f"Y_POSSIBLE_NAMES={self.y}"]
        return opts


def csv_in_utf8(path: Path, workdir: Path) -> Path:
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
        raise not_utf8_nor_cp1250(exc) from None
    for ext in (".csvt", ".prj"):
        side = path.with_suffix(ext)
        if side.is_file():
            shutil.copyfile(side, out.with_suffix(ext))
    return out


def shapefile_encoding(shp: Path) -> str | None:
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


# --------------------------------------------------------------------------- layers


def with_geometry(layers: list[gdal.LayerInfo]) -> list[gdal.LayerInfo]:
    """The layers that have a geometry (a GML's or GeoPackage's attribute tables have none)."""
    return [lyr for lyr in layers if lyr.geometry_type not in ("None", "")]


def layer_list(layers: list[gdal.LayerInfo]) -> str:
    """Layers as a Polish message lists them: „name” (type, obiektów: count)."""
    return ", ".join(
        f"„{lyr.name}” ({lyr.geometry_type}, obiektów: {lyr.feature_count})" for lyr in layers
    )


def choose_layers(
    layers: list[gdal.LayerInfo], names: tuple[str, ...], *, all_layers: bool, refuse: bool = True
) -> tuple[list[gdal.LayerInfo], list[gdal.LayerInfo]]:
    """The layers of a file to load and those left out: the ones named in ``names``, every
    layer with a geometry (``all_layers``), or the file's only one. A file with several layers
    with a geometry and no choice is refused (``refuse``), naming them — reading only its first
    would lose the others without a word."""
    info = gdal.SourceInfo(layers)
    if names:
        chosen = [info.layer(name) for name in dict.fromkeys(names)]
    elif all_layers:
        chosen = with_geometry(layers) or [info.layer(None)]
    else:
        candidates = with_geometry(layers)
        if refuse and len(candidates) > 1:
            raise JobError(
                f"Plik zawiera kilka warstw: {layer_list(candidates)}. Wskaż, które wczytać — "
                "jedną, kilka albo wszystkie (w wierszu poleceń: --source-layer NAZWA, "
                "powtórzone dla kilku warstw, albo --all-layers)."
            )
        chosen = [info.layer(None)]
    loaded = {lyr.name for lyr in chosen}
    return chosen, [lyr for lyr in layers if lyr.name not in loaded]


def layer_column(layers: list[gdal.LayerInfo]) -> str:
    """The column naming each feature's source layer: ``layer`` (``layer_2``… when the file
    has an attribute called so)."""
    taken = {launder(f) for lyr in layers for f in lyr.fields} | {"fid", "geom"}
    name, n = "layer", 1
    while name in taken:
        n += 1
        name = f"layer_{n}"
    return name

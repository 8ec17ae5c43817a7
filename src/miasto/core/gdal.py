"""The one way to let GDAL read a file someone uploaded.

GDAL opens whatever a name or a file's content asks for: an OGR VRT file (whatever its
extension) can read other files, ``/vsicurl/`` URLs or a ``PG:`` database with the rights of
our own role; a GeoJSON ``crs`` of type ``link`` is downloaded; a GeoPackage is an SQLite
database whose views and triggers call SQL functions. So every GDAL open of user input — the
description of an upload's layers, ``ogr2ogr``, any later module — goes through here:

* :func:`check_content` (once, when the upload is checked): the content matches the declared
  format (magic bytes, XML root element), XML has no DTD, entities, XInclude or links to local
  files, a GeoJSON names its CRS (no ``link``), a GeoPackage has no views, triggers, generated
  columns or virtual tables calling anything but the few harmless functions of the standard.
* :func:`checked_path` (at every open): a plain, absolute path of a regular file (no
  ``/vsi…``, no ``PG:``, no connection string), a driver of the allow-list, the quick content
  checks again (the first element, the magic bytes, the GeoPackage schema).
* :func:`describe` and :func:`tool_env`: GDAL runs in a separate process whose environment
  registers no driver but the declared one (``GDAL_SKIP``: no VRT, no PostgreSQL, no LIBKML…)
  and sends any HTTP request GDAL might still make to a port nothing listens on (port 0 of
  the loopback), with GML link resolution and schema download off. The process also keeps a
  crash of GDAL on a hostile file away from the web worker.

Every refusal is an :class:`UnsafeSource` with a Polish sentence for the user.
"""

from __future__ import annotations

import functools
import json
import os
import re
import sqlite3
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote
from xml.parsers import expat

from miasto.core.jobs import JobError


class UnsafeSource(JobError):
    """A file GDAL must not open; the message is Polish."""


#: The only drivers user files are opened with (none reads other files, URLs or databases).
ALLOWED_DRIVERS = frozenset(
    {"GPKG", "GeoJSON", "GeoJSONSeq", "ESRI Shapefile", "CSV", "GML", "KML"}
)

#: GDAL configuration for a process that reads user input: nothing leaves the machine.
#: There is no single switch for GDAL's network access; HTTP(S) (curl: ``/vsicurl/``, a
#: GeoJSON CRS link, a schema download) goes through a proxy at port 0, where no connection
#: can be made, and the drivers are told not to resolve links nor download schemas.
NO_NETWORK = {
    "GDAL_HTTP_PROXY": "127.0.0.1:0",
    "GDAL_HTTPS_PROXY": "127.0.0.1:0",
    "GDAL_HTTP_MAX_RETRY": "0",
    "GDAL_HTTP_TIMEOUT": "1",
    "GDAL_HTTP_CONNECTTIMEOUT": "1",
    "CPL_VSIL_CURL_ALLOWED_EXTENSIONS": ".miasto-no-network",
    "GML_SKIP_RESOLVE_ELEMS": "ALL",
    "GML_DOWNLOAD_WFS_SCHEMA": "NO",
    "GDAL_VRT_ENABLE_PYTHON": "NO",
    "ALLOW_VIRTUAL_OGR_FROM_TRIGGER_AND_VIEW": "NO",
    "OGR_SQLITE_PRAGMA": "trusted_schema=OFF",
    "PROJ_NETWORK": "OFF",
}
#: environment variables that would let curl bypass the proxy above, or steer GDAL
_DROPPED_ENV = ("NO_PROXY", "no_proxy", "GDAL_DATA_OVERRIDE", "OGR_SQLITE_LOAD_EXTENSIONS")

PROBE_TIMEOUT = 600  # seconds; describing a 200 MB GML takes a few

#: Codes keep their zeros: GDAL's GML driver guesses a field's type from its values when it
#: cannot read the schema (never downloaded here), and ``TERYTGminy 0807043`` became the
#: integer 807043, ``rodzaj 01`` became 1. So GML is read as text unless a caller says
#: otherwise (:class:`ReadOptions` ``config``); the field mapping casts what must be a number.
DRIVER_CONFIG: dict[str, dict[str, str]] = {"GML": {"GML_FIELDTYPES": "ALWAYS_STRING"}}

#: Open options a caller may pass (``-oo NAME=VALUE``), per driver. Left out on purpose: the
#: options naming another file or a URL (GML ``XSD``, ``GFS_TEMPLATE``, ``REGISTRY``…).
OPEN_OPTIONS_ALLOWED: dict[str, frozenset[str]] = {
    "GML": frozenset(
        {
            "GML_ATTRIBUTES_TO_OGR_FIELDS", "EXPOSE_GML_ID", "EXPOSE_FID", "WRITE_GFS",
            "EMPTY_AS_NULL", "INVERT_AXIS_ORDER_IF_LAT_LONG", "CONSIDER_EPSG_AS_URN",
            "SWAP_COORDINATES", "FORCE_SRS_DETECTION", "READ_MODE",
        }
    ),
    "CSV": frozenset(
        {
            "AUTODETECT_TYPE", "AUTODETECT_WIDTH", "AUTODETECT_SIZE_LIMIT", "KEEP_SOURCE_COLUMNS",
            "QUOTED_FIELDS_AS_STRING", "KEEP_GEOM_COLUMNS", "GEOM_POSSIBLE_NAMES",
            "X_POSSIBLE_NAMES", "Y_POSSIBLE_NAMES", "Z_POSSIBLE_NAMES", "EMPTY_STRING_AS_NULL",
            "SEPARATOR", "HEADERS", "MAX_LINE_SIZE",
        }
    ),
    "ESRI Shapefile": frozenset({"ENCODING", "DBF_DATE_LAST_UPDATE", "ADJUST_TYPE"}),
    "GPKG": frozenset({"LIST_ALL_TABLES"}),
    "GeoJSON": frozenset({"FLATTEN_NESTED_ATTRIBUTES", "DATE_AS_STRING"}),
    "GeoJSONSeq": frozenset(),
    "KML": frozenset(),
}  # fmt: skip
#: GDAL configuration a caller may set, and the values it may take (``AUTO``: GDAL's default)
CONFIG_ALLOWED: dict[str, frozenset[str]] = {
    "GML_FIELDTYPES": frozenset({"ALWAYS_STRING", "AUTO"}),
}
_OPTION = re.compile(r"^([A-Z][A-Z0-9_]*)=([^\x00\n\r]*)$")


@dataclass(frozen=True)
class ReadOptions:
    """How GDAL reads a user file beyond its driver: open options (``NAME=VALUE``, as
    ``-oo``) and configuration (``GML_FIELDTYPES``…). Declared by code (an import preset),
    never taken from a user; :meth:`checked` refuses anything outside the allow-lists."""

    open_options: tuple[str, ...] = ()
    config: tuple[tuple[str, str], ...] = ()

    def checked(self, driver: str) -> ReadOptions:
        allowed = OPEN_OPTIONS_ALLOWED.get(driver, frozenset())
        for option in self.open_options:
            m = _OPTION.match(option)
            if m is None or m.group(1) not in allowed:
                raise UnsafeSource(f"Opcja odczytu „{option[:60]}” nie jest dozwolona.")
        for key, value in self.config:
            if value not in CONFIG_ALLOWED.get(key, frozenset()):
                raise UnsafeSource(f"Ustawienie GDAL „{key[:60]}” nie jest dozwolone.")
        return self

    def args(self) -> list[str]:
        """``ogr2ogr`` arguments: ``-oo`` for each open option (the configuration goes through
        :func:`tool_env`)."""
        return [arg for option in self.open_options for arg in ("-oo", option)]


#: Polish grids an SRS without an EPSG code may equal: PROJ ``tmerc`` parameters on GRS 1980
#: (central meridian, scale, false easting, false northing) → EPSG code and name.
POLISH_GRIDS: dict[tuple[float, float, float, float], tuple[int, str]] = {
    (19.0, 0.9993, 500000.0, -5300000.0): (2180, "PL-1992"),
    **{
        (float(meridian), 0.999923, zone * 1_000_000.0 + 500_000.0, 0.0): (
            2171 + zone,
            f"PL-2000 strefa {zone}",
        )
        for zone, meridian in ((5, 15), (6, 18), (7, 21), (8, 24))
    },
}
_PROJ_NAMES = {
    "tmerc": "Transverse Mercator",
    "utm": "UTM",
    "longlat": "współrzędne geograficzne",
    "merc": "Mercator",
    "sterea": "stereograficzne",
    "lcc": "stożkowe Lamberta",
}


def _proj_params(proj4: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for part in proj4.split():
        key, _, value = part.lstrip("+").partition("=")
        out[key] = value
    return out


def _number(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def srs_description(name: str | None, proj4: str | None) -> str:
    """A human-readable name of an SRS: its own name unless GDAL calls it ``unnamed`` or
    ``unknown``, else the projection and its parameters read from the PROJ string."""
    if name and name.strip().lower() not in ("unnamed", "unknown", ""):
        return name.strip()
    params = _proj_params(proj4 or "")
    proj = params.get("proj", "")
    parts = []
    if (meridian := params.get("lon_0")) is not None:
        parts.append(f"południk osiowy {meridian}°")
    if (scale := params.get("k", params.get("k_0"))) is not None:
        parts.append(f"skala {scale}")
    if "x_0" in params or "y_0" in params:
        parts.append(f"przesunięcie {params.get('x_0', '0')} m / {params.get('y_0', '0')} m")
    if ellps := params.get("ellps") or params.get("datum"):
        parts.append(f"elipsoida {ellps}")
    label = _PROJ_NAMES.get(proj, proj or "nieznane odwzorowanie")
    return f"{label} ({', '.join(parts)})" if parts else label


def polish_grid(proj4: str | None) -> tuple[int, str] | None:
    """The Polish grid an SRS without an EPSG code equals (by its PROJ parameters), if any."""
    params = _proj_params(proj4 or "")
    if params.get("proj") != "tmerc" or params.get("ellps", params.get("datum")) not in (
        "GRS80",
        None,
    ):
        return None
    values = tuple(_number(params.get(k, "0")) for k in ("lon_0", "k", "x_0", "y_0"))
    for key, grid in POLISH_GRIDS.items():
        if all(
            v is not None and abs(v - k) < 1e-6 * max(1.0, abs(k))
            for v, k in zip(values, key, strict=True)
        ):
            return grid
    return None


@dataclass
class LayerInfo:
    name: str
    geometry_type: str
    feature_count: int
    fields: list[str]
    srs_wkt: str | None = None
    epsg: int | None = None
    extent: tuple[float, float, float, float] | None = None  # min x, min y, max x, max y
    #: each field's OGR type (``String``, ``Integer``, ``Real(Float32)``…), as ``fields``
    field_types: list[str] = field(default_factory=list)
    srs_name: str | None = None  # the SRS's own name (``unknown``, ``unnamed`` when it has none)
    srs_proj4: str | None = None

    @property
    def srs_label(self) -> str | None:
        """A human-readable name of the layer's SRS (``None``: it has none)."""
        if not self.srs_wkt:
            return None
        return srs_description(self.srs_name, self.srs_proj4)

    @property
    def srs_note(self) -> str | None:
        """For an SRS without an EPSG code, the Polish note for the quality report (the import
        uses the layer's own SRS, which ``ogr2ogr`` transforms; ``--crs`` overrides it)."""
        if self.epsg or not self.srs_wkt:
            return None
        note = f"układ współrzędnych bez kodu EPSG — rozpoznany jako {self.srs_label}"
        if grid := polish_grid(self.srs_proj4):
            note += f"; parametry jak EPSG:{grid[0]} ({grid[1]})"
        return note + "."


# --------------------------------------------------------------------------- paths


def checked_path(path: str | Path, driver: str) -> Path:
    """``path`` if GDAL may open it with ``driver``; :class:`UnsafeSource` otherwise.

    Only a plain absolute path of a regular file is passed to GDAL (never a name GDAL would
    read as ``/vsicurl/…``, ``PG:…``, ``GPKG:…`` or a connection string); the quick content
    checks run again, so what was checked at upload is still what is opened."""
    if driver not in ALLOWED_DRIVERS:
        raise UnsafeSource(f"Format „{driver}” nie jest dozwolony dla przesyłanych plików.")
    text = str(path)
    if (
        not text.startswith("/")
        or text.lower().startswith("/vsi")
        or any(c in text for c in "\x00\n\r")
    ):
        raise UnsafeSource("Nieprawidłowa ścieżka pliku — dozwolone są tylko zwykłe pliki.")
    real = Path(text).resolve()
    if not real.is_file():
        raise UnsafeSource("Plik nie istnieje albo nie jest zwykłym plikiem.")
    _quick_content(real, driver)
    return Path(text)


# --------------------------------------------------------------------------- content


def check_content(path: Path, driver: str) -> None:
    """All content checks of ``path`` declared as ``driver`` (XML and JSON read in full)."""
    checked_path(path, driver)
    if driver in ("GML", "KML"):
        _scan_xml(path, driver)
    elif driver in ("GeoJSON", "GeoJSONSeq"):
        _scan_json(path, driver)


def _head(path: Path, n: int = 4096) -> bytes:
    with path.open("rb") as fh:
        return fh.read(n)


def _wrong(path: Path, what: str) -> UnsafeSource:
    return UnsafeSource(
        f"Zawartość pliku „{path.name}” nie pasuje do rozszerzenia: to nie jest {what}."
    )


def _quick_content(path: Path, driver: str) -> None:
    head = _head(path)
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if driver == "GPKG":
        if not head.startswith(b"SQLite format 3\x00"):
            raise _wrong(path, "GeoPackage (SQLite)")
        check_geopackage(path)
    elif driver == "ESRI Shapefile":
        if path.suffix.lower() == ".shp" and not head.startswith(b"\x00\x00\x27\x0a"):
            raise _wrong(path, "plik .shp")
    elif driver in ("GML", "KML"):
        if not text.startswith(b"<"):
            raise _wrong(path, "XML")
        _root_element(path, driver)
    elif driver in ("GeoJSON", "GeoJSONSeq"):
        if text[:1] not in (b"{", b"\x1e") or (driver == "GeoJSON" and text[:1] != b"{"):
            raise _wrong(path, "GeoJSON")
    elif driver == "CSV" and (b"\x00" in head or text.startswith(b"<")):
        raise _wrong(path, "CSV (tekst rozdzielany przecinkami lub średnikami)")


_XML_SAFETY = (
    "Plik XML zawiera deklarację DTD lub encje (np. zewnętrzne odwołania) — "
    "ze względów bezpieczeństwa takie pliki są odrzucane."
)


def _root_element(path: Path, driver: str) -> None:
    """The first element: ``kml`` for KML; for GML anything in a namespace but a VRT."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import iterparse

    try:
        for _event, element in iterparse(str(path), events=("start",), forbid_dtd=True):
            _check_root(path, element.tag, driver)
            return
    except DefusedXmlException:
        raise UnsafeSource(_XML_SAFETY) from None
    except UnsafeSource:
        raise
    except Exception as exc:  # ParseError and friends
        raise UnsafeSource(f"Plik nie jest poprawnym XML: {exc}.") from None


def _check_root(path: Path, tag: str, driver: str) -> None:
    ns, _, local = tag[1:].partition("}") if tag.startswith("{") else ("", "", tag)
    if local.startswith("OGRVRT") or local in ("VRTDataset", "OGRVRTDataSource"):
        raise UnsafeSource(
            f"Plik „{path.name}” to plik wirtualny GDAL (VRT), który może odczytywać inne "
            "pliki, adresy i bazy danych — takie pliki są odrzucane."
        )
    if driver == "KML" and local != "kml":
        raise _wrong(path, "KML (element główny <kml>)")
    if driver == "GML" and not ns:
        raise _wrong(path, "GML (element główny bez przestrzeni nazw)")


XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
XSI_SCHEMA = "{http://www.w3.org/2001/XMLSchema-instance}schemaLocation"
XSI_NO_NS_SCHEMA = "{http://www.w3.org/2001/XMLSchema-instance}noNamespaceSchemaLocation"
XINCLUDE = "{http://www.w3.org/2001/XInclude}"
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")


def _local_reference(value: str) -> bool:
    """A reference that could lead GDAL to another file: a ``file:`` (or any scheme but
    http(s) and urn) address, an absolute path, a path with folders or ``..``. Allowed:
    ``#id``, http(s) URLs, URNs and a bare name (GDAL writes ``schemaLocation="ns x.xsd"``
    for the schema beside the GML; beside an upload there is nothing but the upload)."""
    value = value.strip()
    if m := _SCHEME.match(value):
        return m.group(1).lower() not in ("http", "https", "urn") or len(m.group(1)) == 1
    path = value.split("#", 1)[0]
    return path.startswith(("/", "\\", "~")) or "/" in path or "\\" in path or ".." in path


class _Refused(Exception):
    pass


def _safe_parser() -> Any:
    """An expat parser (namespace URIs joined to names by ``}``) that stops at any DTD,
    entity declaration or external entity — what ``defusedxml`` forbids — with
    :class:`_Refused`."""
    parser = expat.ParserCreate(namespace_separator="}")

    def refuse(*_args: object) -> None:
        raise _Refused(_XML_SAFETY)

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.UnparsedEntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse  # type: ignore[assignment]
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    return parser


def _scan_xml(path: Path, driver: str) -> None:
    """Stream the whole document: no DTD/entities, no XInclude, no reference to a local file
    (``xlink:href``, ``xsi:schemaLocation``). Links to http(s) are left: GDAL never follows
    them here (no resolution, no schema download, no network), and APP GML is full of them.

    Plain expat with handlers that stop at any DTD or entity (what ``defusedxml`` forbids),
    building no tree: a 63 MB GML in about a second."""
    parser = _safe_parser()
    first = [True]

    def start(tag: str, attrs: dict[str, str]) -> None:
        name = "{" + tag if "}" in tag else tag
        if first[0]:
            first[0] = False
            _check_root(path, name, driver)
        if name.startswith(XINCLUDE):
            raise UnsafeSource("Plik XML zawiera dołączenie innego pliku (XInclude) — odrzucono.")
        if not attrs:
            return
        href = attrs.get(XLINK_HREF[1:])
        if href is not None and _local_reference(href):
            raise UnsafeSource(
                f"Plik zawiera odwołanie do pliku lokalnego („{href[:80]}”) — dozwolone są "
                "tylko odwołania wewnątrz pliku (#id), adresy http(s) i URN."
            )
        for attr in (XSI_SCHEMA, XSI_NO_NS_SCHEMA):
            locations = (attrs.get(attr[1:]) or "").split()
            if attr == XSI_SCHEMA:
                locations = locations[1::2]  # namespace, location pairs
            if any(_local_reference(loc) for loc in locations):
                raise UnsafeSource(
                    "Plik wskazuje schemat XSD w pliku lokalnym (xsi:schemaLocation) — "
                    "dozwolone są adresy http(s) schematów."
                )

    parser.StartElementHandler = start
    try:
        with path.open("rb") as fh:
            parser.ParseFile(fh)
    except _Refused as exc:
        raise UnsafeSource(str(exc)) from None
    except expat.ExpatError as exc:
        raise UnsafeSource(f"Plik nie jest poprawnym XML: {exc}.") from None


#: GeoJSON files parsed whole to look at every ``crs``; larger ones are scanned as bytes
JSON_PARSE_LIMIT = 50 * 1024**2
_CRS_REFUSED = (
    "Plik GeoJSON wskazuje układ współrzędnych przez odwołanie (crs typu „{kind}”), które GDAL "
    "próbowałby pobrać — podaj układ nazwą, np. „urn:ogc:def:crs:EPSG::2180”."
)
_ESCAPED_ASCII = re.compile(rb"\\u00[2-7][0-9a-fA-F]")
_CRS_WINDOW = re.compile(rb'"crs"\s*:\s*\{[^{}]*')
_CRS_BAD = re.compile(rb'"(href|link|url)"|"type"\s*:\s*"(?!name"|EPSG")', re.IGNORECASE)


def _scan_json(path: Path, driver: str) -> None:
    """Refuse a ``crs`` other than ``{"type": "name"}``/``EPSG`` anywhere in the document
    (GDAL reads a ``crs`` of the collection and of every geometry; a ``link`` is fetched)."""
    if path.stat().st_size <= JSON_PARSE_LIMIT:
        try:
            if driver == "GeoJSON":
                _check_crs_tree(json.loads(path.read_bytes()))
            else:  # one object a line, maybe after a record separator
                with path.open("rb") as fh:
                    for line in fh:
                        if line := line.strip(b"\x1e \t\r\n"):
                            _check_crs_tree(json.loads(line))
        except (ValueError, UnicodeDecodeError) as exc:
            raise UnsafeSource(f"Plik GeoJSON jest uszkodzony: {exc}.") from None
        return
    # large: a byte scan, refusing escaped ASCII (which could hide a key) too
    tail = b""
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            data = tail + chunk
            if _ESCAPED_ASCII.search(data):
                raise UnsafeSource(
                    "Plik GeoJSON zawiera znaki ASCII zapisane jako sekwencje \\u00XX — "
                    "zapisz go zwykłym tekstem UTF-8."
                )
            for match in _CRS_WINDOW.finditer(data):
                if _CRS_BAD.search(match.group(0)):
                    raise UnsafeSource(_CRS_REFUSED.format(kind="link"))
            tail = data[-4096:]


def _first_byte(path: Path) -> bytes:
    return _head(path, 4096).lstrip(b"\xef\xbb\xbf").lstrip()[:1]


def _check_crs_tree(node: Any) -> None:
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            crs = item.get("crs")
            if crs is not None:
                kind = str(crs.get("type", "")) if isinstance(crs, dict) else "?"
                if kind not in ("name", "EPSG"):
                    raise UnsafeSource(_CRS_REFUSED.format(kind=kind[:20]))
            # coordinates hold only numbers: not walked (a million parcels' rings)
            stack.extend(
                v for k, v in item.items() if k != "coordinates" and isinstance(v, (dict, list))
            )
        elif isinstance(item, list):
            stack.extend(v for v in item if isinstance(v, (dict, list)))


# --------------------------------------------------------------------------- GeoPackage

#: What views and triggers of a GeoPackage may call: SQL words followed by "(" and the
#: pure functions of the GeoPackage standard's own triggers (R-tree upkeep, feature counts).
SQL_CALLS_ALLOWED = frozenset(
    {
        # SQL syntax that looks like a call
        "values", "in", "not", "and", "or", "where", "when", "on", "exists", "as", "then",
        "else", "select", "from", "is", "between", "like", "using", "over", "filter", "key",
        "unique", "check", "references", "default", "end",
        # the GeoPackage standard's triggers (GDAL, QGIS)
        "raise", "st_isempty", "st_minx", "st_maxx", "st_miny", "st_maxy", "lower", "upper",
        # pure core functions
        "coalesce", "ifnull", "nullif", "abs", "round", "length", "substr", "trim", "cast",
        "min", "max", "count", "sum", "avg", "total", "typeof", "strftime", "julianday",
    }
)  # fmt: skip
_STRINGS = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|`[^`]*`|\[[^\]]*\]")
_CALL = re.compile(r"([A-Za-z_][A-Za-z0-9_$]*)\s*\(")
_VIRTUAL = re.compile(r"^\s*CREATE\s+VIRTUAL\s+TABLE\s.*?\bUSING\s+(\w+)", re.I | re.S)


def sql_calls(sql: str) -> set[str]:
    """Names followed by ``(`` in ``sql`` once literals and quoted identifiers are removed."""
    return {m.group(1).lower() for m in _CALL.finditer(_STRINGS.sub(" ", sql))}


def check_geopackage(path: Path) -> None:
    """Refuse what would run SQL functions when GDAL reads the GeoPackage (or writes it).

    Read with Python's ``sqlite3`` read-only and immutable (no journal, no lock, nothing
    written), with no function of GDAL registered: the schema is only read, never run."""
    uri = f"file:{quote(str(path.resolve()))}?mode=ro&immutable=1"
    try:
        db = sqlite3.connect(uri, uri=True)
    except sqlite3.Error:
        raise UnsafeSource("GeoPackage jest uszkodzony (nie da się go otworzyć).") from None
    try:
        db.execute("PRAGMA trusted_schema = OFF")
        rows = db.execute("SELECT type, name, coalesce(sql, '') FROM sqlite_master").fetchall()
        for kind, name, sql in rows:
            _check_schema_object(kind, name, sql)
        for kind, name, _sql in rows:
            if kind == "table" and not _VIRTUAL.match(_sql):
                hidden = db.execute("SELECT * FROM pragma_table_xinfo(?)", [name]).fetchall()
                if any(col[6] in (2, 3) for col in hidden):
                    raise UnsafeSource(
                        f"GeoPackage zawiera kolumnę wyliczaną w tabeli „{name[:60]}” — "
                        "odrzucono ze względów bezpieczeństwa (wyrażenia SQL)."
                    )
            elif kind == "index":
                columns = db.execute("SELECT * FROM pragma_index_xinfo(?)", [name]).fetchall()
                if any(col[1] == -2 for col in columns):
                    raise UnsafeSource(
                        f"GeoPackage zawiera indeks na wyrażeniu SQL („{name[:60]}”) — odrzucono."
                    )
    except sqlite3.DatabaseError:
        raise UnsafeSource(
            "GeoPackage jest uszkodzony (nie da się odczytać jego schematu)."
        ) from None
    finally:
        db.close()


def _check_schema_object(kind: str, name: str, sql: str) -> None:
    if kind == "table" and (m := _VIRTUAL.match(sql)):
        if m.group(1).lower() != "rtree":
            raise UnsafeSource(
                f"GeoPackage zawiera tabelę wirtualną „{name[:60]}” ({m.group(1)[:30]}), która "
                "może odczytywać inne pliki lub bazy danych — odrzucono."
            )
        return
    if kind in ("view", "trigger"):
        calls = sql_calls(sql) - SQL_CALLS_ALLOWED
        # a view's or trigger's own name and the tables it writes may precede "("
        calls.discard(name.lower())
        if calls:
            what = "widok" if kind == "view" else "wyzwalacz"
            listed = ", ".join(sorted(calls)[:5])
            raise UnsafeSource(
                f"GeoPackage zawiera {what} „{name[:60]}” wywołujący funkcje SQL ({listed}) — "
                "ze względów bezpieczeństwa takie pliki są odrzucane; zapisz warstwę jako "
                "zwykłą tabelę."
            )


# --------------------------------------------------------------------------- processes


@functools.lru_cache(maxsize=1)
def _all_drivers() -> tuple[str, ...]:
    from django.contrib.gis.gdal import Driver
    from django.contrib.gis.gdal.prototypes import ds as capi

    Driver.ensure_registered()
    names = [
        capi.get_driver_description(capi.get_driver(i)) for i in range(capi.get_driver_count())
    ]
    return tuple(n.decode() if isinstance(n, bytes) else str(n) for n in names)


def tool_env(
    driver: str,
    *,
    output: str | None = None,
    env: Mapping[str, str] | None = None,
    options: ReadOptions | None = None,
) -> dict[str, str]:
    """The environment of a GDAL process reading a user file with ``driver``.

    Every other driver is skipped (``GDAL_SKIP``, before GDAL registers them), except
    ``output``, the driver the process writes with (``PostgreSQL`` for an import). The
    driver's reading defaults (:data:`DRIVER_CONFIG`: GML as text) apply unless ``options``
    sets them otherwise (``AUTO``: GDAL's own default)."""
    if driver not in ALLOWED_DRIVERS:
        raise UnsafeSource(f"Format „{driver}” nie jest dozwolony dla przesyłanych plików.")
    keep = {driver, *([output] if output else [])}
    out = {k: v for k, v in (env if env is not None else os.environ).items()}
    for key in _DROPPED_ENV:
        out.pop(key, None)
    config = {
        **DRIVER_CONFIG.get(driver, {}),
        **dict(options.checked(driver).config if options else ()),
    }
    for key in CONFIG_ALLOWED:
        out.pop(key, None)
    out.update({k: v for k, v in config.items() if v != "AUTO"})
    out.update(NO_NETWORK)
    out["GDAL_SKIP"] = ",".join(d for d in _all_drivers() if d not in keep)
    return out


def describe(
    path: Path, driver: str, *, encoding: str = "utf-8", options: ReadOptions | None = None
) -> list[LayerInfo]:
    """Layers of a user file: name, geometry type, count, fields and their types, SRS (EPSG
    code, or the WKT, name and PROJ string of one without a code), extent.

    Read in a child process (:mod:`miasto.core.gdal_probe`) opened with ``driver`` only, with
    ``options`` (open options and configuration, as the import will read it)."""
    path = checked_path(path, driver)
    options = (options or ReadOptions()).checked(driver)
    env = tool_env(driver, options=options)
    env.pop("DJANGO_SETTINGS_MODULE", None)  # the probe needs no settings, only GDAL
    from django.conf import settings

    library = getattr(settings, "GDAL_LIBRARY_PATH", None)
    if library:
        env["MIASTO_GDAL_LIBRARY_PATH"] = str(library)
    cmd = [sys.executable, "-m", "miasto.core.gdal_probe", driver, str(path), encoding]
    if options.open_options:
        cmd.append(json.dumps(list(options.open_options)))
    try:
        proc = subprocess.run(  # noqa: S603 — argument list, no shell
            cmd, capture_output=True, env=env, timeout=PROBE_TIMEOUT, check=False
        )
    except subprocess.TimeoutExpired:
        raise UnsafeSource("Odczyt pliku trwał zbyt długo — przerwano.") from None
    if proc.returncode != 0:
        message = proc.stdout.decode("utf-8", "replace").strip()
        raise UnsafeSource(
            message
            if proc.returncode == 2 and message
            else "GDAL nie potrafi otworzyć pliku — jest uszkodzony, niekompletny albo ma "
            "inny format, niż wskazuje rozszerzenie."
        )
    layers = [_layer(d) for d in json.loads(proc.stdout)]
    for layer in layers:
        if layer.name.startswith("-") or any(c in layer.name for c in "\x00\n\r"):
            # a layer's name becomes an argument of ogr2ogr, which would read it as an option
            raise UnsafeSource(
                f"Nazwa warstwy „{layer.name[:60]}” jest niedozwolona (zaczyna się od „-” "
                "lub zawiera znaki sterujące) — zmień ją."
            )
    return layers


def _layer(data: dict[str, Any]) -> LayerInfo:
    extent = data.get("extent")
    return LayerInfo(
        name=data["name"],
        geometry_type=data["geometry_type"],
        feature_count=int(data["feature_count"]),
        fields=list(data["fields"]),
        srs_wkt=data.get("srs_wkt"),
        epsg=data.get("epsg"),
        extent=tuple(extent) if extent else None,
        field_types=[str(t) for t in data.get("field_types", [])],
        srs_name=data.get("srs_name"),
        srs_proj4=data.get("srs_proj4"),
    )


# --------------------------------------------------------------------------- XML outline

GML_NAMESPACES = frozenset(
    {"http://www.opengis.net/gml", "http://www.opengis.net/gml/3.2", "http://www.opengis.net/wfs"}
)
OUTLINE_BYTES = 4 * 1024**2  # a file's head: the namespaces and the first features


@dataclass(frozen=True)
class XmlOutline:
    """A GML file's head: its root element, every namespace it declares (URI → prefixes) and
    the feature types of its first features (``{namespace}LocalName``, in order of appearance)."""

    root: str
    namespaces: dict[str, tuple[str, ...]]
    feature_types: tuple[str, ...]

    def local_names(self) -> set[str]:
        return {t.rpartition("}")[2] for t in self.feature_types}


class _OutlineDone(Exception):
    pass


def _member(tag: str) -> bool:
    local = tag.rpartition("}")[2]
    return local in ("featureMember", "featureMembers", "member", "members")


def xml_outline(path: Path, driver: str = "GML", *, limit: int = OUTLINE_BYTES) -> XmlOutline:
    """The namespaces and first feature types of a GML file, read from its first ``limit``
    bytes with the same safety as :func:`check_content` (no DTD, no entities, nothing
    fetched; a refusal is :class:`UnsafeSource`) — for choosing an import preset before GDAL
    reads the file. The root may be a feature collection (features inside ``featureMember``,
    ``featureMembers``, ``member``) or hold the features directly."""
    path = checked_path(path, driver)
    parser = _safe_parser()
    namespaces: dict[str, list[str]] = {}
    stack: list[str] = []
    types: list[str] = []
    roots: list[str] = []

    def start_ns(prefix: str | None, uri: str) -> None:
        namespaces.setdefault(uri, []).append(prefix or "")

    def start(tag: str, _attrs: dict[str, str]) -> None:
        name = "{" + tag if "}" in tag else tag
        if (
            len(stack) == 1
            and not _member(name)
            and name.partition("}")[0][1:] not in GML_NAMESPACES
        ):
            types.append(name)  # a feature right under the root
        elif len(stack) == 2 and _member(stack[1]):
            types.append(name)
        if not roots:
            _check_root(path, name, driver)
            roots.append(name)
        stack.append(name)
        if len(types) >= 200:
            raise _OutlineDone

    def end(_tag: str) -> None:
        stack.pop()

    parser.StartNamespaceDeclHandler = start_ns
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        with path.open("rb") as fh:
            read = 0
            while read < limit and (chunk := fh.read(min(1 << 16, limit - read))):
                read += len(chunk)
                parser.Parse(chunk, False)
    except _OutlineDone:
        pass
    except _Refused as exc:
        raise UnsafeSource(str(exc)) from None
    except expat.ExpatError as exc:
        raise UnsafeSource(f"Plik nie jest poprawnym XML: {exc}.") from None
    return XmlOutline(
        root=roots[0] if roots else "",
        namespaces={uri: tuple(prefixes) for uri, prefixes in namespaces.items()},
        feature_types=tuple(dict.fromkeys(types)),
    )

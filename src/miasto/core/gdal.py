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
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

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


@dataclass
class LayerInfo:
    name: str
    geometry_type: str
    feature_count: int
    fields: list[str]
    srs_wkt: str | None = None
    epsg: int | None = None
    extent: tuple[float, float, float, float] | None = None  # min x, min y, max x, max y


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


def _scan_xml(path: Path, driver: str) -> None:
    """Stream the whole document: no DTD/entities, no XInclude, no reference to a local file
    (``xlink:href``, ``xsi:schemaLocation``). Links to http(s) are left: GDAL never follows
    them here (no resolution, no schema download, no network), and APP GML is full of them.

    Plain expat with handlers that stop at any DTD or entity (what ``defusedxml`` forbids),
    building no tree: a 63 MB GML in about a second."""
    from xml.parsers import expat

    parser = expat.ParserCreate(namespace_separator="}")
    first = [True]

    def refuse(*_args: object) -> None:
        raise _Refused(_XML_SAFETY)

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
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.UnparsedEntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse  # type: ignore[assignment]
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
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
    driver: str, *, output: str | None = None, env: dict[str, str] | None = None
) -> dict[str, str]:
    """The environment of a GDAL process reading a user file with ``driver``.

    Every other driver is skipped (``GDAL_SKIP``, before GDAL registers them), except
    ``output``, the driver the process writes with (``PostgreSQL`` for an import)."""
    if driver not in ALLOWED_DRIVERS:
        raise UnsafeSource(f"Format „{driver}” nie jest dozwolony dla przesyłanych plików.")
    keep = {driver, *([output] if output else [])}
    out = {k: v for k, v in (env if env is not None else os.environ).items()}
    for key in _DROPPED_ENV:
        out.pop(key, None)
    out.update(NO_NETWORK)
    out["GDAL_SKIP"] = ",".join(d for d in _all_drivers() if d not in keep)
    return out


def describe(path: Path, driver: str, *, encoding: str = "utf-8") -> list[LayerInfo]:
    """Layers of a user file: name, geometry type, count, fields, SRS, EPSG code, extent.

    Read in a child process (:mod:`miasto.core.gdal_probe`) opened with ``driver`` only."""
    path = checked_path(path, driver)
    env = tool_env(driver)
    env.pop("DJANGO_SETTINGS_MODULE", None)  # the probe needs no settings, only GDAL
    from django.conf import settings

    library = getattr(settings, "GDAL_LIBRARY_PATH", None)
    if library:
        env["MIASTO_GDAL_LIBRARY_PATH"] = str(library)
    cmd = [sys.executable, "-m", "miasto.core.gdal_probe", driver, str(path), encoding]
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
    )

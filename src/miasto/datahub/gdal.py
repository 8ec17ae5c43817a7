"""Thin wrappers around the GDAL command-line tools (``ogr2ogr``) and Django's GDAL bindings.

Every tool runs with an argument list (never through a shell). The PostgreSQL password goes
through the environment (``PGPASSWORD``), not the command line, so it does not show in process
lists. GDAL's English error lines are turned into :class:`GdalError` carrying a Polish sentence.

A user's file is opened only through :mod:`miasto.core.gdal`: :func:`describe` and
:func:`ogr2ogr` with ``source=`` run GDAL with the file's declared driver only, on a checked
plain path, without network access.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import re
import subprocess
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import connections
from psycopg import sql

from miasto.core import db
from miasto.core import gdal as untrusted
from miasto.core.jobs import JobError

Progress = Callable[[float, str], None]

OGR2OGR = os.environ.get("MIASTO_OGR2OGR", "ogr2ogr")


class GdalError(JobError):
    """A GDAL tool failed; the message is Polish and names the feature when GDAL does."""


# --------------------------------------------------------------------------- connection


def pg_connection(alias: str = "default") -> tuple[str, dict[str, str]]:
    """``PG:`` connection string of a Django database and the environment holding its password.

    Uses the live connection settings (so under pytest it points at the test database).
    """
    cfg = connections[alias].settings_dict
    parts = [f"dbname='{cfg['NAME']}'"]
    if cfg.get("HOST"):
        parts.append(f"host='{cfg['HOST']}'")
    if cfg.get("PORT"):
        parts.append(f"port='{cfg['PORT']}'")
    if cfg.get("USER"):
        parts.append(f"user='{cfg['USER']}'")
    env = dict(os.environ)
    if cfg.get("PASSWORD"):
        env["PGPASSWORD"] = str(cfg["PASSWORD"])
    # no parallel plans, as for web requests; application name for pg_stat_activity
    env["PGOPTIONS"] = "-c max_parallel_workers_per_gather=0"
    env["PGAPPNAME"] = "miasto-datahub"
    return "PG:" + " ".join(parts), env


# --------------------------------------------------------------------------- metadata


#: a layer of a user file (see :func:`miasto.core.gdal.describe`)
LayerInfo = untrusted.LayerInfo
#: open options and configuration of a read (see :class:`miasto.core.gdal.ReadOptions`)
ReadOptions = untrusted.ReadOptions


@dataclass
class SourceInfo:
    layers: list[LayerInfo] = field(default_factory=list)

    def layer(self, name: str | None) -> LayerInfo:
        if not self.layers:
            raise GdalError("Plik nie zawiera żadnej warstwy danych.")
        if name is None:
            with_geom = [lyr for lyr in self.layers if lyr.geometry_type not in ("None", "")]
            return (with_geom or self.layers)[0]
        for lyr in self.layers:
            if lyr.name == name:
                return lyr
        names = ", ".join(lyr.name for lyr in self.layers)
        raise GdalError(f"W pliku nie ma warstwy „{name}”. Dostępne warstwy: {names}.")


def describe(
    path: Path, driver: str, encoding: str = "utf-8", options: ReadOptions | None = None
) -> SourceInfo:
    """Layers, fields and their types, geometry type, SRS, feature count and extent of a user
    file, read with ``options`` (an import preset's open options; GML as text by default).

    Opened only with ``driver``, in a separate process without network access
    (:func:`miasto.core.gdal.describe`)."""
    return SourceInfo(untrusted.describe(path, driver, encoding=encoding, options=options))


# --------------------------------------------------------------------------- codes as text

#: Names of columns holding codes and identifiers (TERYT, SIMC, ULIC, EGiB…): read as text
#: whatever their values look like.
CODE_NAME = re.compile(
    r"teryt|terc|simc|ulic|sym_?ul|^sym$|^kod|_kod|identyfikator|^id_?(dzialk|budynk|obreb|"
    r"miejsc|ulic|adres)|nr_?dzialk|numer_?dzialk|obreb|egib|regon|^nip$|pkob|^kst$|^pna$",
    re.IGNORECASE,
)
#: values that would lose something as numbers: leading zeros, more digits than a double holds
_CODE_VALUE = re.compile(r"^\s*(0\d+|[+-]?\d{16,})\s*$")
#: the types a column may be given by hand (the field mapping) → the CSV driver's names
COLUMN_TYPES = {"text": "String", "integer": "Integer64", "decimal": "Real", "date": "Date"}
CSV_SAMPLE_BYTES = 1024 * 1024  # GDAL's AUTODETECT_SIZE_LIMIT default


def is_code_column(name: str, values: Sequence[str] = ()) -> bool:
    """A column to keep as text: its name says it holds codes or identifiers, or one of its
    ``values`` would lose its leading zeros (or digits) as a number."""
    return bool(CODE_NAME.search(name.strip())) or any(_CODE_VALUE.match(v) for v in values)


def csv_sample(path: Path, limit: int = CSV_SAMPLE_BYTES) -> tuple[list[str], list[list[str]]]:
    """The header and the first rows of a CSV file in UTF-8 (the delimiter from the header,
    as :mod:`miasto.datahub.services` chooses it; the last, maybe cut, line left out)."""
    with path.open("rb") as fh:
        head = fh.read(limit)
    text = head.decode("utf-8-sig", "replace")
    lines = text.splitlines()
    if not lines:
        return [], []
    delimiter = max((",", ";", "\t", "|"), key=lines[0].count)
    whole = lines if len(head) < limit else lines[:-1]
    rows = list(csv.reader(io.StringIO("\n".join(whole)), delimiter=delimiter))
    return [h.strip() for h in rows[0]], rows[1:]


def csv_column_types(
    path: Path, detected: Sequence[str], column_types: Mapping[str, str] | None = None
) -> list[str] | None:
    """The ``.csvt`` types of a CSV file: GDAL's ``detected`` ones (``AUTODETECT_TYPE``), but
    codes as text (:func:`is_code_column`) and ``column_types`` (``{column: text | integer |
    decimal | date}``, from the field mapping) as given. ``None``: nothing to change."""
    header, rows = csv_sample(path)
    if len(header) != len(detected):
        return None  # (GDAL read other columns than the header: leave it to GDAL)
    wanted = dict(column_types or {})
    unknown = [t for t in wanted.values() if t not in COLUMN_TYPES]
    if unknown:
        raise JobError(
            f"Nieznany typ kolumny „{unknown[0]}”; dozwolone: {', '.join(COLUMN_TYPES)}."
        )
    types = list(detected)
    for i, name in enumerate(header):
        values = [r[i] for r in rows if i < len(r)]
        if name in wanted:
            types[i] = COLUMN_TYPES[wanted[name]]
        elif types[i] != "String" and is_code_column(name, values):
            types[i] = "String"
    return types if types != list(detected) else None


def keep_codes_as_text(
    path: Path, open_options: Sequence[str], column_types: Mapping[str, str] | None = None
) -> Path | None:
    """Write a ``.csvt`` beside the CSV ``path`` (in the import's work folder) so that GDAL
    reads its codes as text, and ``column_types`` as given (GDAL 3.6 has no ``COLUMN_TYPES``
    open option; a ``.csvt`` takes precedence over ``AUTODETECT_TYPE``). A ``.csvt`` that came
    with the file is left as it is. Returns the file written, if any."""
    csvt = path.with_suffix(".csvt")
    if csvt.exists() or "AUTODETECT_TYPE=YES" not in open_options:
        return None
    info = untrusted.describe(path, "CSV", options=ReadOptions(open_options=tuple(open_options)))
    if len(info) != 1:
        return None
    types = csv_column_types(path, info[0].field_types, column_types)
    if types is None:
        return None
    csvt.write_text(",".join(f'"{t}"' for t in types) + "\n", encoding="ascii")
    return csvt


def retype_columns(table: str, column_types: Mapping[str, str]) -> None:
    """Give columns of a loaded table the types chosen in the field mapping (``{column: text |
    integer | decimal | date}``) — for formats whose types cannot be set before the load
    (GML is read as text). An empty value becomes NULL."""
    casts = {"text": "text", "integer": "bigint", "decimal": "numeric", "date": "date"}
    schema, _, name = table.rpartition(".")
    parts = []
    for column, kind in column_types.items():
        if kind not in casts:
            raise JobError(f"Nieznany typ kolumny „{kind}”; dozwolone: {', '.join(casts)}.")
        parts.append(
            sql.SQL("ALTER COLUMN {c} TYPE {t} USING NULLIF(trim({c}::text), '')::{t}").format(
                c=sql.Identifier(column), t=sql.SQL(casts[kind])
            )
        )
    if parts:
        target = sql.Identifier(schema, name) if schema else sql.Identifier(name)
        db.execute(sql.SQL("ALTER TABLE {} ").format(target) + sql.SQL(", ").join(parts))


# --------------------------------------------------------------------------- ogr2ogr

_ERROR_RE = re.compile(r"^(ERROR \d+|FAILURE):\s*(.*)$")
_REPROJECT_RE = re.compile(r"Failed to reproject feature (\d+)")
_FEATURE_RE = re.compile(r"feature (\d+)", re.IGNORECASE)


def _polish(errors: list[str], what: str) -> str:
    text = " ".join(errors) or "nieznany błąd"
    if m := _REPROJECT_RE.search(text):
        return (
            f"Nie udało się przeliczyć współrzędnych obiektu nr {m.group(1)} do układu docelowego: "
            "współrzędne nie pasują do układu źródłowego (sprawdź deklarowany układ, np. --crs "
            "EPSG:2180, i kolejność osi)."
        )
    if "Unable to open datasource" in text or "not recognized as a supported" in text:
        return (
            "GDAL nie potrafi otworzyć pliku — jest uszkodzony, niekompletny albo ma inny "
            "format, niż wskazuje rozszerzenie."
        )
    if "Unterminated" in text or "corrupt" in text.lower() or "malformed" in text.lower():
        return f"Plik jest uszkodzony: {text[:300]}"
    if m := _FEATURE_RE.search(text):
        return f"{what}: błąd przy obiekcie nr {m.group(1)}: {text[:300]}"
    return f"{what}: {text[:400]}"


@dataclass(frozen=True)
class SourceFile:
    """A user file ``ogr2ogr`` reads: its path and driver, how GDAL reads it (an import
    preset's :class:`ReadOptions`) and the types chosen for its columns in the field mapping
    (``{column: text | integer | decimal | date}``; a CSV's are set before the load)."""

    path: Path
    driver: str
    options: ReadOptions = field(default_factory=ReadOptions)
    column_types: Mapping[str, str] = field(default_factory=dict)


def _open_options(args: Sequence[str]) -> list[str]:
    return [args[i + 1] for i, a in enumerate(args[:-1]) if a == "-oo"]


def _source_env(
    args: Sequence[str], source: SourceFile | tuple[Path, str], env: dict[str, str] | None
) -> tuple[list[str], dict[str, str]]:
    """The arguments (with the source's open options) and environment of an ``ogr2ogr``
    reading a user file; the file, its open options and configuration checked first."""
    src = source if isinstance(source, SourceFile) else SourceFile(*source)
    checked = str(untrusted.checked_path(src.path, src.driver))
    if checked not in args:
        raise GdalError("Wewnętrzny błąd: sprawdzony plik nie jest źródłem ogr2ogr.")
    given = ReadOptions(open_options=tuple(_open_options(args))).checked(src.driver)
    options = src.options.checked(src.driver)
    if src.driver == "CSV":
        # (a folder we may not write to: GDAL guesses the types as before)
        with contextlib.suppress(OSError):
            keep_codes_as_text(
                src.path, [*given.open_options, *options.open_options], src.column_types
            )
    output = args[args.index("-f") + 1] if "-f" in args else None
    return [*args, *options.args()], untrusted.tool_env(
        src.driver, output=output, env=env, options=options
    )


def ogr2ogr(
    args: Sequence[str],
    *,
    env: dict[str, str] | None = None,
    progress: Progress | None = None,
    what: str = "Wczytanie danych nie powiodło się",
    source: SourceFile | tuple[Path, str] | None = None,
) -> None:
    """Run ``ogr2ogr -progress ARGS``; report progress; raise :class:`GdalError` on failure.

    ``source``: the user file among ``ARGS`` and its driver (a :class:`SourceFile`, or a
    ``(path, driver)`` pair). Its path and open options are checked and the process runs with
    that driver only (and the output's), without network access
    (:func:`miasto.core.gdal.tool_env`); a CSV's codes stay text (:func:`keep_codes_as_text`).
    Without ``source`` the input must be our own (a ``PG:`` string of :func:`pg_connection`,
    a file we wrote).

    ``-progress`` prints ``0...10...20...`` on stdout; we read it byte by byte.
    """
    if source is not None:
        args, env = _source_env(args, source, env)
    cmd = [OGR2OGR, "-progress", *args]
    proc = subprocess.Popen(  # noqa: S603 — argument list, no shell
        cmd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert proc.stdout is not None and proc.stderr is not None
    import threading

    err_lines: list[str] = []

    def read_err() -> None:
        assert proc.stderr is not None
        for raw in proc.stderr:
            err_lines.append(raw.decode("utf-8", "replace").rstrip())

    reader = threading.Thread(target=read_err, daemon=True)
    reader.start()
    buf = ""
    while True:
        ch = proc.stdout.read(1)
        if not ch:
            break
        c = ch.decode("ascii", "replace")
        if c.isdigit():
            buf += c
        else:
            if buf and progress is not None:
                progress(float(buf), "")
            buf = ""
    rc = proc.wait()
    reader.join(timeout=5)
    errors = [m.group(2) for line in err_lines if (m := _ERROR_RE.match(line))]
    if rc != 0 or any(line.startswith("ERROR 1") and "reproject" in line for line in err_lines):
        raise GdalError(_polish(errors or err_lines[-3:], what))


def ogr2ogr_stream(args: Sequence[str], *, env: dict[str, str] | None = None) -> Iterator[bytes]:
    """Run ``ogr2ogr ARGS`` writing to ``/vsistdout/`` and yield its output in chunks.

    The process is killed if the consumer stops early (the generator is closed).
    """
    cmd = [OGR2OGR, *args]
    proc = subprocess.Popen(  # noqa: S603
        cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env
    )
    assert proc.stdout is not None
    try:
        while chunk := proc.stdout.read(256 * 1024):
            yield chunk
        rc = proc.wait()
        if rc != 0:
            raise GdalError("Eksport nie powiódł się (ogr2ogr zakończył się błędem).")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()


def crs_option(crs: str | int | None) -> str | None:
    """Normalise ``EPSG:2178``, ``2178``, ``CRS84`` for GDAL (``OGC:CRS84``)."""
    if crs is None or crs == "":
        return None
    text = str(crs).strip().upper()
    if text in ("CRS84", "OGC:CRS84", "URN:OGC:DEF:CRS:OGC:1.3:CRS84"):
        return "OGC:CRS84"
    if text.isascii() and text.isdigit():
        return f"EPSG:{text}"
    m = re.fullmatch(
        r"(?:EPSG:|URN:OGC:DEF:CRS:EPSG::|HTTP://WWW.OPENGIS.NET/DEF/CRS/EPSG/0/)(\d+)", text
    )
    if m:
        return f"EPSG:{m.group(1)}"
    raise JobError(f"Nieznany układ współrzędnych „{crs}”; podaj go jako EPSG:kod, np. EPSG:2178.")


def epsg_of(crs: str | None) -> int | None:
    opt = crs_option(crs)
    if opt is None:
        return None
    if opt == "OGC:CRS84":
        return 4326
    return int(opt.split(":")[1])


def args_list(pairs: dict[str, Any]) -> list[str]:
    out: list[str] = []
    for key, value in pairs.items():
        out += [key, str(value)]
    return out

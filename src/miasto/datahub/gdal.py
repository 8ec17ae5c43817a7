"""Thin wrappers around the GDAL command-line tools (``ogr2ogr``) and Django's GDAL bindings.

Every tool runs with an argument list (never through a shell). The PostgreSQL password goes
through the environment (``PGPASSWORD``), not the command line, so it does not show in process
lists. GDAL's English error lines are turned into :class:`GdalError` carrying a Polish sentence.

A user's file is opened only through :mod:`miasto.core.gdal`: :func:`describe` and
:func:`ogr2ogr` with ``source=`` run GDAL with the file's declared driver only, on a checked
plain path, without network access.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import connections

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


def describe(path: Path, driver: str, encoding: str = "utf-8") -> SourceInfo:
    """Layers, fields, geometry type, SRS, feature count and extent of a user file.

    Opened only with ``driver``, in a separate process without network access
    (:func:`miasto.core.gdal.describe`)."""
    return SourceInfo(untrusted.describe(path, driver, encoding=encoding))


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


def ogr2ogr(
    args: Sequence[str],
    *,
    env: dict[str, str] | None = None,
    progress: Progress | None = None,
    what: str = "Wczytanie danych nie powiodło się",
    source: tuple[Path, str] | None = None,
) -> None:
    """Run ``ogr2ogr -progress ARGS``; report progress; raise :class:`GdalError` on failure.

    ``source``: the user file among ``ARGS`` and its driver. Its path is checked and the
    process runs with that driver only (and the output's), without network access
    (:func:`miasto.core.gdal.tool_env`). Without ``source`` the input must be our own (a
    ``PG:`` string of :func:`pg_connection`, a file we wrote).

    ``-progress`` prints ``0...10...20...`` on stdout; we read it byte by byte.
    """
    if source is not None:
        path, driver = source
        checked = str(untrusted.checked_path(path, driver))
        if checked not in args:
            raise GdalError("Wewnętrzny błąd: sprawdzony plik nie jest źródłem ogr2ogr.")
        output = args[args.index("-f") + 1] if "-f" in args else None
        env = untrusted.tool_env(driver, output=output, env=env)
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
    if text.isdigit():
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

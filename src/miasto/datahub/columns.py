"""Attribute names a PostgreSQL table cannot hold as they are, renamed in one place at import.

``ogr2ogr`` creates a version's table with a column per attribute of the file, named as the
file names it (laundered by GDAL: ASCII lower case, ``-``, ``#``, ``'`` → ``_``). Quotes,
``%``, ``;``, reserved words and unicode are fine as column names (every SQL that uses them
quotes them, :mod:`miasto.core.sql`); three kinds of name are not:

- an empty (or blank) name — no identifier can be empty;
- a name longer than 63 bytes — PostgreSQL cuts it to 63, and two names equal in their first
  63 bytes would become one column (the load fails);
- ``fid`` and ``geom`` — the table's own feature id and geometry columns.

Such an attribute gets a column of its own — ``bez_nazwy``, the name cut at a character
boundary, ``fid_1``… (a number added until it is unique) — and the version's schema
(``DatasetVersion.attributes``) keeps the file's name as the field's ``label``, shown in the
attribute table. A data steward sees every field of the file, none is lost or merged.

Only files with such names are read through GDAL's SQLite dialect (``-sql``, naming each
attribute); all others load exactly as before.

KML and Shapefile attributes are named by people on desktops ("Parkingi Leśne", "Liczba
miejsc"): their columns get a plain name (:func:`column_name`: Polish letters in ASCII, lower
case, anything else ``_`` — ``parkingi_lesne``), renamed after the load
(:func:`rename_loaded`, a change of the catalogue only), the file's name kept as the field's
``label``. A saved field mapping or key naming the file's attribute — or the column an earlier
version gave it — still finds its column (:meth:`ColumnPlan.column_for`).
"""

from __future__ import annotations

import ctypes
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from psycopg import sql

from miasto.core import db

MAX_BYTES = 63
RESERVED = ("fid", "geom")
EMPTY_NAME = "bez_nazwy"


def launder(name: str) -> str:
    """An attribute name as a column name made by GDAL's PostgreSQL driver (LAUNDER=YES)."""
    out = "".join(ch.lower() if ch.isascii() else ch for ch in name)
    for ch in "-#'":
        out = out.replace(ch, "_")
    return out


#: letters NFKD does not split into an ASCII letter and a mark
_LETTERS = str.maketrans({"ł": "l", "Ł": "L", "ß": "ss", "æ": "ae", "ø": "o", "đ": "d"})


def column_name(name: str) -> str:
    """A plain column name for an attribute people named: Polish (and other) letters in
    ASCII, lower case, every run of other characters ``_`` (``Parkingi Leśne`` →
    ``parkingi_lesne``); :data:`EMPTY_NAME` when nothing is left."""
    ascii_ = unicodedata.normalize("NFKD", name.translate(_LETTERS))
    ascii_ = ascii_.encode("ascii", "ignore").decode().lower()
    plain = re.sub(r"[^a-z0-9]+", "_", ascii_).strip("_")
    return plain[: MAX_BYTES - 4] or EMPTY_NAME


def _cut(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` UTF-8 bytes, at a character boundary."""
    return text.encode()[:limit].decode("utf-8", "ignore")


def _needs_column(name: str) -> bool:
    return not name.strip() or len(name.encode()) > MAX_BYTES or launder(name) in RESERVED


@dataclass(frozen=True)
class ColumnPlan:
    """``renamed``: ``{file's name: column}`` of the attributes given a column of their own;
    ``virtual``: each attribute's name in GDAL's SQLite dialect (a name equal to an earlier
    one but for case gets a number there: ``Name``, ``name`` → ``Name``, ``name2``)."""

    fields: tuple[str, ...]
    renamed: dict[str, str]
    virtual: tuple[str, ...] = ()
    #: ``{column as loaded: plain column}`` renamed after the load (:func:`rename_loaded`)
    plain: dict[str, str] = field(default_factory=dict)

    @property
    def labels(self) -> dict[str, str]:
        """``{column: file's name}`` of the renamed attributes."""
        labels = {column: name for name, column in self.renamed.items()}
        for name in self.fields:
            loaded = self.renamed.get(name) or launder(name)
            if loaded in self.plain:
                labels[self.plain[loaded]] = name
        return labels

    def column_for(self, name: str) -> str | None:
        """The column of the attribute a mapping or key names: by the file's name, or by the
        column it had before it was renamed (case aside); ``None``: no renamed attribute."""
        wanted = name.lower()
        for column, label in self.labels.items():
            if wanted in (label.lower(), launder(label).lower()):
                return column
        return None


def _virtual(fields: list[str]) -> list[str]:
    """The names GDAL's SQLite dialect gives the attributes (as ``ogr2sqlite`` does)."""
    seen: set[str] = set()
    out = []
    for name in fields:
        virtual, n = name, 2
        while virtual.upper() in seen:
            virtual, n = f"{name}{n}", n + 1
        seen.add(virtual.upper())
        out.append(virtual)
    return out


def plan(fields: list[str]) -> ColumnPlan:
    """Which attributes need a column name of their own, and which. When some do, the case
    twins (read through the SQLite dialect as ``name2``…) are named here too."""
    if not any(_needs_column(f) for f in fields):
        return ColumnPlan(tuple(fields), {})
    virtual = _virtual(fields)
    twins = {f for f, v in zip(fields, virtual, strict=True) if f != v}
    taken = {launder(f) for f in fields if not _needs_column(f) and f not in twins}
    taken |= set(RESERVED)
    renamed: dict[str, str] = {}
    for name, alias in zip(fields, virtual, strict=True):
        if not (_needs_column(name) or name in twins):
            continue
        if not name.strip():
            base = EMPTY_NAME
        elif launder(name) in RESERVED:
            base = f"{launder(name)}_1"
        elif name in twins:
            base = launder(alias)
        else:
            base = _cut(launder(name), MAX_BYTES - 4)  # (GDAL launders it again: no change)
        column, n = base, 1
        while column in taken:
            n += 1
            column = f"{_cut(base, MAX_BYTES - 1 - len(str(n)))}_{n}"
        taken.add(column)
        renamed[name] = column
    return ColumnPlan(tuple(fields), renamed, tuple(virtual))


def with_plain_names(columns: ColumnPlan) -> ColumnPlan:
    """``columns`` with a plain name (:func:`column_name`) for each attribute whose column
    would be another, unique in the table."""
    loaded = [columns.renamed.get(f) or launder(f) for f in columns.fields]
    taken = set(loaded) | set(RESERVED)
    plain: dict[str, str] = {}
    for name, column in zip(columns.fields, loaded, strict=True):
        wanted = column_name(name)
        if wanted == column:
            continue
        candidate, n = wanted, 1
        while candidate in taken:
            n += 1
            candidate = f"{wanted}_{n}"
        taken.add(candidate)
        plain[column] = candidate
    return ColumnPlan(columns.fields, columns.renamed, columns.virtual, plain)


def rename_loaded(table: sql.Composable, columns: ColumnPlan) -> None:
    """Give the loaded ``table`` the plain column names of ``columns``."""
    for loaded, plain in columns.plain.items():
        db.execute(
            sql.SQL("ALTER TABLE {} RENAME COLUMN {} TO {}").format(
                table, sql.Identifier(loaded), sql.Identifier(plain)
            )
        )


def geometry_column(path: Path, layer: str | None) -> str:
    """The name of a layer's geometry in GDAL's SQLite dialect (``GEOMETRY`` when the format
    does not name it)."""
    from django.contrib.gis.gdal import DataSource
    from django.contrib.gis.gdal.libgdal import lgdal

    get = lgdal.OGR_L_GetGeometryColumn
    get.restype, get.argtypes = ctypes.c_char_p, [ctypes.c_void_p]
    source = DataSource(str(path))
    found = source[layer] if layer else source[0]
    name = get(found.ptr)
    return name.decode() if name else "GEOMETRY"


def ogr_args(columns: ColumnPlan, path: Path, layer: str, geometry: str | None = None) -> list[str]:
    """``ogr2ogr`` arguments reading ``layer`` with the renamed attributes (empty: none);
    ``geometry``: the geometry's name in the SQLite dialect, if known (else read from the file).

    This SQL goes to GDAL, not to PostgreSQL, and is run without parameters: its names are
    quoted as :func:`~miasto.core.sql.quote_ident_raw` does (``psycopg.sql.Identifier``,
    ``%`` left as it is)."""
    if not columns.renamed:
        return []
    select: list[sql.Composable] = [
        sql.SQL("{} AS {}").format(
            sql.Identifier(virtual), sql.Identifier(columns.renamed.get(name, name))
        )
        for name, virtual in zip(columns.fields, columns.virtual, strict=True)
    ]
    select.append(sql.Identifier(geometry or geometry_column(path, layer)))
    query = sql.SQL("SELECT {} FROM {}").format(sql.SQL(", ").join(select), sql.Identifier(layer))
    return ["-dialect", "SQLite", "-sql", query.as_string()]

"""The base import target, its fields and the registry (see the package docstring)."""

from __future__ import annotations

from collections.abc import Collection
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from psycopg import sql

from miasto.core.db import fetch_one
from miasto.core.importing.expressions import Expr
from miasto.core.jobs import JobError
from miasto.core.registry import Registry

#: how a field's text from the file becomes its type (``{}``: the source column); an empty or
#: blank text is NULL, a decimal comma a point
_CASTS = {
    "int": sql.SQL("NULLIF(trim(({})::text), '')::numeric::integer"),
    "decimal": sql.SQL("NULLIF(replace(trim(({})::text), ',', '.'), '')::numeric"),
    "text": sql.SQL("NULLIF(trim(({})::text), '')"),
}
_SQL_TYPES = {"int": sql.SQL("integer"), "decimal": sql.SQL("numeric")}


def qualified(name: str) -> sql.Identifier:
    """A table name as the data hub gives it (``schema.table`` or ``table``), quoted."""
    return sql.Identifier(*name.split(".", 1))


@dataclass(frozen=True)
class TargetField:
    name: str
    type: str = "text"  # text | int | decimal | choice
    required: bool = False
    #: the value when the field is not mapped or empty in a row — an expression over the
    #: version's row (e.g. ``Round(Area(), 1)``, ``Const("utility")``); ``None``: NULL
    default: Expr | None = None
    choices: tuple[str, ...] = ()
    help: str = ""  # how the value is derived when not given

    def cast(self, expr: sql.Composable) -> sql.Composable:
        """``expr`` (a source column) as the field's type."""
        return _CASTS.get(self.type, _CASTS["text"]).format(expr)

    def select(self, source: str | None, row: str = "t") -> sql.Composable:
        """The field's value over the version's row ``row``: its source column cast, or its
        default where that is NULL (where the field is not mapped: the default, typed)."""
        default = self.default.render(row) if self.default is not None else None
        if not source:
            return sql.SQL("({})::{}").format(
                default or sql.NULL, _SQL_TYPES.get(self.type, sql.SQL("text"))
            )
        # (``source`` is a column named by the imported file: an identifier, and the SQL run
        # with a parameter list — see miasto.core.sql)
        value = self.cast(sql.Identifier(row, source))
        return sql.SQL("COALESCE({}, {})").format(value, default) if default else value


@dataclass(frozen=True)
class PublishPlan:
    """Rows classified ahead of publishing (``SpineTarget.plan_ahead`` of the data hub): the
    table of ``tid, fid`` pairs and the state of what they were classified against."""

    table: str
    state: tuple[Any, ...]


@dataclass(frozen=True)
class PublishOptions:
    """How :meth:`ImportTarget.publish` publishes a version.

    ``max_removed_share``: the most of the published layer a version may remove (a partial
    delivery published as the whole layer would otherwise wipe the rest); ``passed``: quality
    checks that found nothing on this version (a target need not repeat them); ``plan``: its
    rows classified ahead (:meth:`ImportTarget.plan_ahead`); ``lookups``: the table of lookup
    rows made ahead (:meth:`ImportTarget.lookups_ahead`)."""

    max_removed_share: float = 0.5
    passed: Collection[str] = frozenset()
    plan: PublishPlan | None = None
    lookups: str | None = None


@dataclass
class ImportTarget:
    """Base: a generic layer (geometry plus typed attributes), not published anywhere."""

    key: str
    label: str
    fields: tuple[TargetField, ...] = ()
    key_fields: tuple[str, ...] = ()
    geometry: str | None = None  # POINT | LINESTRING | POLYGON family required, None: any
    promote_to_multi: bool = True
    model: type[models.Model] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def is_spine(self) -> bool:
        return self.model is not None

    # --- mapping -------------------------------------------------------------------------

    def resolve_mapping(self, mapping: dict[str, str], columns: list[str]) -> dict[str, str]:
        """``{target_field: staging column}``: explicit entries first, then equal names."""
        by_lower = {c.lower(): c for c in columns}
        resolved: dict[str, str] = {}
        names = {f.name for f in self.fields}
        for target, source in (mapping or {}).items():
            if target not in names and self.fields:
                raise JobError(
                    f"Mapowanie pól: warstwa „{self.label}” nie ma pola „{target}”. "
                    f"Pola: {', '.join(sorted(names))}."
                )
            col = by_lower.get(str(source).lower())
            if col is None:
                raise JobError(
                    f"Mapowanie pól: w pliku nie ma atrybutu „{source}” (dla pola „{target}”). "
                    f"Atrybuty pliku: {', '.join(columns) or '—'}."
                )
            resolved[target] = col
        for f in self.fields:
            if f.name not in resolved and f.name.lower() in by_lower:
                resolved[f.name] = by_lower[f.name.lower()]
        missing = [f.name for f in self.fields if f.required and f.name not in resolved]
        if missing:
            raise JobError(
                f"Brak wymaganych pól warstwy „{self.label}”: {', '.join(missing)}. "
                f"Atrybuty pliku: {', '.join(columns) or '—'}. Podaj mapowanie pól "
                '(np. --mapping plik.json z {"pole": "atrybut_w_pliku"}).'
            )
        return resolved

    def key_columns(self, mapping: dict[str, str], dataset_key: str = "") -> list[str]:
        """Staging columns identifying a feature (empty: compare by geometry)."""
        if self.key_fields:
            return [mapping[k] for k in self.key_fields if k in mapping]
        return [dataset_key] if dataset_key else []

    # --- SQL -----------------------------------------------------------------------------

    def source_select(self, table: str, mapping: dict[str, str]) -> sql.Composable:
        """SELECT turning the version table into target fields (``fid``, fields, ``geom``)."""
        cols: list[sql.Composable] = [sql.SQL("t.fid")]
        cols += [
            sql.SQL("{} AS {}").format(f.select(mapping.get(f.name)), sql.Identifier(f.name))
            for f in self.fields
        ]
        cols.append(sql.SQL("t.geom"))
        return sql.SQL("SELECT {} FROM {} t").format(sql.SQL(", ").join(cols), qualified(table))

    def validate(self, mapping: dict[str, str] | None = None, passed: Collection[str] = ()) -> None:
        """Check ``_src`` before publishing; raise :class:`JobError` naming the first bad row.

        A required field whose source column the quality report found filled in every row
        (``filled:<column>`` in ``passed``) is not checked again."""
        for f in self.fields:
            source = (mapping or {}).get(f.name)
            if f.required and not (source and f"filled:{source}" in passed):
                _first_missing(f)
            if f.choices:
                _first_not_allowed(f)

    def plan_ahead(self, table: str, mapping: dict[str, str]) -> Future[PublishPlan | None] | None:
        """Start preparing :meth:`publish` beside the quality check (``None``: nothing to do)."""
        return None

    def lookups_ahead(self, table: str, mapping: dict[str, str]) -> str | None:
        """Make what publishing would create first, before it (``None``: nothing to make)."""
        return None

    def published_state(self) -> list[Any] | None:
        """What the published layer is now (``None``: nothing is published; see
        ``SpineTarget.plan_from_changes`` of the data hub)."""
        return None

    def plan_from_changes(
        self, table: str, mapping: dict[str, str], changed: str, spine_rows: int = 0
    ) -> PublishPlan | None:
        """Classify the rows for publishing from what changed since the version the published
        layer holds (``None``: it cannot be done that way)."""
        return None

    def publish(
        self, table: str, mapping: dict[str, str], options: PublishOptions | None = None
    ) -> dict[str, int]:
        """Publish into the spine (no-op for generic). Call inside ``transaction.atomic``."""
        return {}


def _first_missing(f: TargetField) -> None:
    row = fetch_one(
        sql.SQL("SELECT fid FROM _src WHERE {} IS NULL ORDER BY fid LIMIT 1").format(
            sql.Identifier(f.name)
        )
    )
    if row:
        raise JobError(f"Obiekt nr {row[0]}: brak wartości wymaganego pola „{f.name}”.")


def _first_not_allowed(f: TargetField) -> None:
    name = sql.Identifier(f.name)
    row = fetch_one(
        sql.SQL(
            "SELECT fid, {name} FROM _src WHERE {name} IS NOT NULL "
            "AND NOT ({name} = ANY(%s)) ORDER BY fid LIMIT 1"
        ).format(name=name),
        [list(f.choices)],
    )
    if row:
        raise JobError(
            f"Obiekt nr {row[0]}: niedozwolona wartość „{row[1]}” pola „{f.name}”. "
            f"Dozwolone: {', '.join(f.choices)}."
        )


import_targets: Registry[ImportTarget] = Registry("import targets", "importers")


def get_target(key: str) -> ImportTarget:
    target = import_targets.get(key)
    if target is None:
        raise JobError(
            f"Nieznana warstwa docelowa „{key}”. Dostępne: {', '.join(import_targets.keys())}."
        )
    return target

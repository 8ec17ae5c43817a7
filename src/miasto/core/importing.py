"""Import targets: what a file loaded by the data hub is published into, declared in a registry.

A target declares its fields (name, type, required, how it is derived) and publishes a
version's table with set-based SQL inside one transaction. The base classes and the registry
live in core so that any module declares its targets in its own ``importers.py`` (the data hub
the generic layer and the spine layers: :mod:`miasto.datahub.importers`; planning the plan
zones: :mod:`miasto.planning.importers`) without importing another module.

Field mapping: ``{target_field: source_column}``, saved on the dataset; a target field whose
name equals a source column (case-insensitive) is mapped automatically.
"""

from __future__ import annotations

from collections.abc import Collection
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from miasto.core.jobs import JobError
from miasto.core.registry import Registry
from miasto.core.sql import quote_ident


@dataclass(frozen=True)
class TargetField:
    name: str
    type: str = "text"  # text | int | decimal | choice
    required: bool = False
    default_sql: str = "NULL"  # SQL used when the field is not mapped (may use ``geom``)
    choices: tuple[str, ...] = ()
    help: str = ""  # how the value is derived when not given

    def cast(self, expr: str) -> str:
        if self.type == "int":
            return f"NULLIF(trim(({expr})::text), '')::numeric::integer"
        if self.type == "decimal":
            return f"NULLIF(replace(trim(({expr})::text), ',', '.'), '')::numeric"
        return f"NULLIF(trim(({expr})::text), '')"


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

    def source_select(self, table: str, mapping: dict[str, str]) -> str:
        """SELECT turning the version table into target fields (``fid``, fields, ``geom``)."""
        cols = ["t.fid"]
        for f in self.fields:
            src = mapping.get(f.name)
            sql_type = {"int": "integer", "decimal": "numeric"}.get(f.type, "text")
            default = f"({f.default_sql.replace('{geom}', 't.geom')})::{sql_type}"
            # (``src`` is a column named by the imported file: quoted, and the SQL run with
            # a parameter list — see miasto.core.sql)
            expr = f.cast(f"t.{quote_ident(src)}") if src else default
            if src and f.default_sql != "NULL":
                expr = f"COALESCE({expr}, {f.default_sql.replace('{geom}', 't.geom')})"
            cols.append(f"{expr} AS {quote_ident(f.name)}")
        cols.append("t.geom")
        return f"SELECT {', '.join(cols)} FROM {table} t"

    def validate(
        self, cursor: Any, mapping: dict[str, str] | None = None, passed: Collection[str] = ()
    ) -> None:
        """Check ``_src`` before publishing; raise :class:`JobError` naming the first bad row.

        A required field whose source column the quality report found filled in every row
        (``filled:<column>`` in ``passed``) is not checked again."""
        for f in self.fields:
            source = (mapping or {}).get(f.name)
            if f.required and not (source and f"filled:{source}" in passed):
                cursor.execute(
                    f'SELECT fid FROM _src WHERE "{f.name}" IS NULL ORDER BY fid LIMIT 1'
                )
                row = cursor.fetchone()
                if row:
                    raise JobError(f"Obiekt nr {row[0]}: brak wartości wymaganego pola „{f.name}”.")
            if f.choices:
                cursor.execute(
                    f'SELECT fid, "{f.name}" FROM _src WHERE "{f.name}" IS NOT NULL '
                    f'AND NOT ("{f.name}" = ANY(%s)) ORDER BY fid LIMIT 1',
                    [list(f.choices)],
                )
                row = cursor.fetchone()
                if row:
                    raise JobError(
                        f"Obiekt nr {row[0]}: niedozwolona wartość „{row[1]}” pola „{f.name}”. "
                        f"Dozwolone: {', '.join(f.choices)}."
                    )

    def plan_ahead(self, table: str, mapping: dict[str, str]) -> Future[PublishPlan | None] | None:
        """Start preparing :meth:`publish` beside the quality check (``None``: nothing to do)."""
        return None

    def lookups_ahead(self, table: str, mapping: dict[str, str]) -> str | None:
        """Make what publishing would create first, before it (``None``: nothing to make)."""
        return None

    def published_state(self) -> list[Any] | None:
        """What the published layer is now (``None``: nothing is published; see
        :meth:`SpineTarget.plan_from_changes`)."""
        return None

    def plan_from_changes(
        self, table: str, mapping: dict[str, str], changed: str, spine_rows: int = 0
    ) -> PublishPlan | None:
        """Classify the rows for publishing from what changed since the version the published
        layer holds (``None``: it cannot be done that way)."""
        return None

    def publish(
        self,
        table: str,
        mapping: dict[str, str],
        *,
        max_removed_share: float = 0.5,
        passed: Collection[str] = (),
        plan: PublishPlan | None = None,
        lookups: str | None = None,
    ) -> dict[str, int]:
        """Publish into the spine (no-op for generic). Call inside ``transaction.atomic``."""
        return {}


@dataclass(frozen=True)
class LookupsAhead:
    """Lookup rows that a spine target's ``prepare_sql`` would otherwise create inside the
    publishing transaction — the precincts from the union of their parcels, 37 s on one core
    for the 56 precincts of the large demo city — made before it instead, in two halves on two
    connections (:meth:`SpineTarget.lookups_ahead`), then inserted by ``insert``.

    ``keys``: the text columns of ``_src`` grouping one lookup row; ``missing``: SQL condition
    on ``s`` (a ``_src`` row) true when its lookup row does not exist yet; ``values``: the
    lookup's value columns, aggregates over the group's ``s`` rows (``… AS geom``);
    ``insert``: the INSERT of the rows of ``{lookups}`` (keys and values) still missing."""

    keys: tuple[str, ...]
    missing: str
    values: str
    insert: str


@dataclass(frozen=True)
class PublishPlan:
    """Rows classified ahead of publishing (:meth:`SpineTarget.plan_ahead`): the table of
    ``tid, fid`` pairs and the state of what they were classified against."""

    table: str
    state: tuple[Any, ...]


import_targets: Registry[ImportTarget] = Registry("import targets", "importers")


def get_target(key: str) -> ImportTarget:
    target = import_targets.get(key)
    if target is None:
        raise JobError(
            f"Nieznana warstwa docelowa „{key}”. Dostępne: {', '.join(import_targets.keys())}."
        )
    return target

"""Import presets: how a file in a national schema (EGiB, PRG, BDOT10k) maps onto the spine.

A city receives its spine from official files, not drawn by hand: parcels, buildings and
addresses from the county's EGiB GML, address points and streets from PRG, buildings and roads
from BDOT10k. A :class:`Preset` declares, for one schema (one file of this package per schema,
registered in :data:`presets`), how such a file is recognised (its XML namespaces) and, for each
feature type it maps (:class:`FeatureMapping`), the GDAL layer, the import target, the field
mapping ``{target field: source column as GDAL names it}``, which features to take (current
versions only), the codes that must stay text, and value transforms (:class:`Scale`,
:class:`ValueMap`, :class:`JoinList`, :class:`Lookup`) as declarations that become SQL over the
loaded table.

Nothing here reads the file with GDAL: :func:`detect` looks at the XML head
(:func:`miasto.core.gdal.xml_outline`, no DTD, no entities, no network), and
:meth:`Preset.mapping_for` works on GDAL's description of a layer
(:class:`miasto.core.gdal.LayerInfo`).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.functional import Promise
from psycopg import sql

from miasto.core import gdal
from miasto.core.jobs import JobError
from miasto.core.registry import Registry
from miasto.datahub.gdal import SourceFile

# --------------------------------------------------------------------------- transforms


class Transform(ABC):
    """A value transform: SQL computing the target value from a source column's value."""

    @abstractmethod
    def expression(self, value: sql.Composable) -> sql.Composable:
        """The SQL of this declaration (each kind writes its own)."""


@dataclass(frozen=True)
class Scale(Transform):
    """A number times ``factor`` (an area in hectares → m²: 10 000). A decimal comma is read."""

    factor: float

    def expression(self, value: sql.Composable) -> sql.Composable:
        return sql.SQL("(NULLIF(replace(trim(({v})::text), ',', '.'), '')::numeric * {f})").format(
            v=value, f=sql.Literal(self.factor)
        )


@dataclass(frozen=True)
class ValueMap(Transform):
    """A code → a value of the target's choices; ``prefix``: compare only the code's first
    characters (PKOB ``1110.Dj`` → ``1110``); unknown codes → ``default`` (``None``: NULL)."""

    values: Mapping[str, str]
    default: str | None = None
    prefix: int | None = None

    def expression(self, value: sql.Composable) -> sql.Composable:
        code: sql.Composable = sql.SQL("trim(({v})::text)").format(v=value)
        if self.prefix:
            code = sql.SQL("left({c}, {n})").format(c=code, n=sql.Literal(self.prefix))
        cases = sql.SQL(" ").join(
            sql.SQL("WHEN {k} THEN {v}").format(k=sql.Literal(k), v=sql.Literal(v))
            for k, v in self.values.items()
        )
        return sql.SQL("(CASE {c} {cases} ELSE {d} END)").format(
            c=code, cases=cases, d=sql.Literal(self.default)
        )


@dataclass(frozen=True)
class JoinList(Transform):
    """A repeated element (GDAL's ``StringList``, a PostgreSQL array once loaded; a plain text
    where the file never repeats it) → its values joined by ``,`` (land-use classes: ``B,R``)."""

    def expression(self, value: sql.Composable) -> sql.Composable:
        return sql.SQL(
            """NULLIF(regexp_replace(({v})::text, '^[{{]|[}}]$|"', '', 'g'), '')"""
        ).format(v=value)


@dataclass(frozen=True)
class Lookup(Transform):
    """A value from another layer of the same file, through a reference: the source column
    holds an ``xlink:href`` (``#id`` or ``id``) to a feature of ``layer`` whose ``key``
    (``gml_id``) it names; the target value is that feature's ``value`` column. PRG's 2021
    address points name their place and street only so.

    The other layer is loaded beside, into a table of its own
    (:func:`miasto.datahub.services.presets.preset_fields`); :meth:`expression_from` needs
    that table."""

    layer: str
    value: str
    key: str = "gml_id"

    def expression(self, value: sql.Composable) -> sql.Composable:
        raise JobError(f"Wartość z warstwy „{self.layer}” wymaga wczytania tej warstwy.")

    def expression_from(self, value: sql.Composable, table: sql.Composable) -> sql.Composable:
        return sql.SQL(
            "(SELECT l.{val} FROM {t} l WHERE l.{key} = regexp_replace(({v})::text, '^#', '') "
            "LIMIT 1)"
        ).format(
            val=sql.Identifier(self.value.lower()),
            key=sql.Identifier(self.key.lower()),
            t=table,
            v=value,
        )


# --------------------------------------------------------------------------- declarations


@dataclass(frozen=True)
class Source:
    """Where a target field's value comes from: a column (as GDAL names it), maybe
    transformed; ``alternatives``: other sources tried in order when the column is absent."""

    column: str
    transform: Transform | None = None
    alternatives: tuple[Source, ...] = ()

    def choose(self, fields: Mapping[str, str]) -> Source | None:
        """The first of this source and its alternatives whose column the layer has
        (``fields``: lower-case name → GDAL's name)."""
        for candidate in (self, *self.alternatives):
            if candidate.column.lower() in fields:
                return candidate
        return None


@dataclass(frozen=True)
class FeatureMapping:
    """One feature type of a schema: the GDAL layer (the element's local name), the import
    target, ``fields`` ``{target field: Source}``, the geometry it must have (``POINT``,
    ``LINESTRING``, ``POLYGON``), ``current_only``: columns that mark an old version of an
    object (EGiB's ``koniecWersjaObiekt``) — features where one is set are not taken;
    ``required``: columns a feature must have to be taken; ``codes``: columns that must stay
    text (TERYT, SIMC, ULIC codes with their leading zeros); ``identifier``: the column naming
    a feature in messages."""

    layer: str
    target: str
    fields: Mapping[str, Source]
    geometry: str | None = None
    current_only: tuple[str, ...] = ()
    required: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()
    identifier: str = "gml_id"


@dataclass(frozen=True)
class LayerMapping:
    """What :meth:`Preset.mapping_for` found for one layer of a file."""

    preset: Preset
    feature: FeatureMapping
    #: ``{target field: source column}`` as GDAL names it (for ``ImportTarget.resolve_mapping``)
    mapping: dict[str, str]
    #: ``{target field: transform}`` of the mapped fields that are not taken as they are
    transforms: dict[str, Transform]
    #: OGR SQL ``-where`` taking the current versions and features with the required columns
    where: str | None
    #: declared fields whose columns the layer lacks (a required one refuses the layer)
    missing: tuple[str, ...]
    #: the layer's columns that must stay text
    codes: tuple[str, ...]

    @property
    def target(self) -> str:
        return self.feature.target

    def ogr_args(self) -> list[str]:
        """``ogr2ogr`` arguments taking the features to import (the ``-where``)."""
        return ["-where", self.where] if self.where else []

    def lookup_layers(self) -> list[str]:
        """The other layers of the file the transforms take values from (to load beside)."""
        return list(
            dict.fromkeys(t.layer for t in self.transforms.values() if isinstance(t, Lookup))
        )

    def column_types(self) -> dict[str, str]:
        """``{column: "text"}`` of the codes."""
        return dict.fromkeys(self.codes, "text")

    def source_file(self, path: Path) -> SourceFile:
        """The file as ``ogr2ogr`` reads it with this preset (its open options and
        configuration, the codes as text) — ``source=`` of :func:`miasto.datahub.gdal.ogr2ogr`."""
        return SourceFile(path, "GML", self.preset.options, self.column_types())


@dataclass(frozen=True)
class PresetMatch:
    """A preset a file matches: the namespace found, the feature types of the preset seen in
    the file's head, and how sure: 2 — its features are in the preset's namespace, 1 — the
    namespace is only declared."""

    preset: Preset
    namespace: str
    feature_types: tuple[str, ...]
    score: int


@dataclass(frozen=True)
class Preset:
    key: str
    label: str | Promise  # Polish, through gettext
    namespaces: tuple[str, ...]
    features: tuple[FeatureMapping, ...]
    #: how GDAL reads the files (GML as text is the default of every GML read)
    options: gdal.ReadOptions = field(default_factory=gdal.ReadOptions)
    description: str | Promise = ""

    def feature(self, layer: str) -> FeatureMapping | None:
        return next((f for f in self.features if f.layer == layer), None)

    def targets(self) -> set[str]:
        return {f.target for f in self.features}

    def match(self, outline: gdal.XmlOutline) -> PresetMatch | None:
        """This preset, if ``outline`` (a file's head) declares one of its namespaces."""
        namespace = next((ns for ns in self.namespaces if ns in outline.namespaces), None)
        if namespace is None:
            return None
        prefix = "{" + namespace + "}"
        mine = {f.layer for f in self.features}
        seen = tuple(
            t.removeprefix(prefix)
            for t in outline.feature_types
            if t.startswith(prefix) and t.removeprefix(prefix) in mine
        )
        in_namespace = any(t.startswith(prefix) for t in outline.feature_types)
        return PresetMatch(self, namespace, seen, 2 if in_namespace else 1)

    def mapping_for(self, layer: gdal.LayerInfo) -> LayerMapping:
        """The field mapping, transforms, filter and codes of one layer GDAL described.

        Refuses (:class:`JobError`, naming the feature type) a layer this preset does not
        map, one lacking a required field's column and one of the wrong geometry: a file whose
        namespace matches a preset but whose content does not."""
        feature = self.feature(layer.name)
        if feature is None:
            known = ", ".join(f.layer for f in self.features)
            raise JobError(
                f"Szablon „{self.label}” nie obejmuje obiektów {layer.name}; obejmuje: {known}."
            )
        fields = {f.lower(): f for f in layer.fields}
        mapping: dict[str, str] = {}
        transforms: dict[str, Transform] = {}
        missing = []
        for target_field, declared in feature.fields.items():
            chosen = declared.choose(fields)
            if chosen is None:
                missing.append(target_field)
                continue
            mapping[target_field] = fields[chosen.column.lower()]
            if chosen.transform is not None:
                transforms[target_field] = chosen.transform
        self._check(feature, layer, missing)
        return LayerMapping(
            preset=self,
            feature=feature,
            mapping=mapping,
            transforms=transforms,
            where=_where(feature, fields),
            missing=tuple(missing),
            codes=tuple(fields[c.lower()] for c in feature.codes if c.lower() in fields),
        )

    def _check(self, feature: FeatureMapping, layer: gdal.LayerInfo, missing: list[str]) -> None:
        required = _required_fields(feature.target)
        lacking = [f for f in missing if f in required]
        if lacking:
            columns = ", ".join(feature.fields[f].column for f in lacking)
            raise JobError(
                f"Plik wygląda na {self.label}, ale obiekty {feature.layer} nie mają "
                f"{'pola' if len(lacking) == 1 else 'pól'} {columns} — nie da się ich "
                "wczytać tym szablonem."
            )
        if feature.geometry and not _geometry_fits(feature.geometry, layer.geometry_type):
            raise JobError(
                f"Plik wygląda na {self.label}, ale obiekty {feature.layer} mają geometrię "
                f"{layer.geometry_type}, a powinny {feature.geometry}."
            )


def _required_fields(target: str) -> set[str]:
    from miasto.core.importing import import_targets

    found = import_targets.get(target)
    return {f.name for f in found.fields if f.required} if found else set()


_GEOMETRY_WORDS = {"POINT": "point", "LINESTRING": "line", "POLYGON": "polygon"}


def _geometry_fits(expected: str, geometry_type: str) -> bool:
    """GDAL's geometry type name (``Point``, ``Multi Polygon``, ``Line String``, ``Unknown``…)
    is of the ``expected`` family (an unknown or mixed type is left to the import's check)."""
    name = geometry_type.replace(" ", "").lower()
    if name in ("unknown", "geometry", "geometrycollection", ""):
        return True
    return _GEOMETRY_WORDS[expected] in name


def _where(feature: FeatureMapping, fields: Mapping[str, str]) -> str | None:
    """OGR SQL condition: no column of ``current_only`` set, every ``required`` one set —
    only for the columns the layer has (GDAL refuses a filter naming another)."""
    parts = [
        f"{gdal_name(fields[c.lower()])} IS NULL"
        for c in feature.current_only
        if c.lower() in fields
    ]
    parts += [
        f"{gdal_name(fields[c.lower()])} IS NOT NULL"
        for c in feature.required
        if c.lower() in fields
    ]
    return " AND ".join(parts) or None


def gdal_name(name: str) -> str:
    """A column name quoted for OGR SQL (the names are the schema's, declared here)."""
    return '"' + name.replace('"', '""') + '"'


# --------------------------------------------------------------------------- registry

presets: Registry[Preset] = Registry("import presets", "presets")


def register(preset: Preset) -> Preset:
    return presets.register(preset.key, preset)


def detect(path: Path) -> list[PresetMatch]:
    """The presets a GML file matches, the surest first (none: a file of no known schema).

    Reads only the file's head, safely (:func:`miasto.core.gdal.xml_outline`)."""
    outline = gdal.xml_outline(path, "GML")
    found = [m for p in presets if (m := p.match(outline)) is not None]
    return sorted(found, key=lambda m: (-m.score, -len(m.feature_types), m.preset.key))


def describe_match(match: PresetMatch) -> dict[str, Any]:
    """A match as the upload page shows it for confirmation."""
    return {
        "key": match.preset.key,
        "label": str(match.preset.label),
        "namespace": match.namespace,
        "feature_types": list(match.feature_types),
        "targets": sorted(match.preset.targets()),
    }

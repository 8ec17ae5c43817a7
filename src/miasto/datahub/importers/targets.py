"""The data hub's import targets: ``generic`` and the spine layers, each one declaration.

A declaration names the target's fields (type, required, default), the spine columns as
expressions over a ``_src`` row (``Field``: a target field or a column derived from them;
``Col``: a column of the lookup joined), the key pairing a spine row with a source row, and
what publishing makes or checks first — no SQL text: the builder
(:mod:`miasto.datahub.importers.statements`) composes the statements. A new target (or a preset
for a national schema, a mapping onto these fields) is one more declaration like these.
"""

from __future__ import annotations

from miasto.core.importing import ImportTarget, TargetField, import_targets
from miasto.core.importing.expressions import (
    Above,
    Area,
    Coalesce,
    Col,
    Concat,
    Const,
    Field,
    Geometry,
    Json,
    Left,
    NotMatching,
    Part,
    Parts,
    PointOnSurface,
    Round,
    Shape,
    Times,
    UnionOfAreas,
    Unresolved,
)
from miasto.datahub.importers.declarations import Check, Join, Located, NullAs, Step
from miasto.datahub.importers.spine import SpineTarget
from miasto.territory import models as tm
from miasto.territory.service_kinds import service_kind_codes

#: a parcel's identifier (EGiB WWPPGG_R.XXXX.NDZ) as a PostgreSQL regular expression (the
#: pattern of miasto.territory.identifiers; the quality check uses it too)
PARCEL_ID_SQL = r"^\d{6}_[1-9]\.\d{4}\.(AR_\d{1,3}\.)?[1-9]\d{0,5}(/[1-9]\d{0,3})?$"

import_targets.register("generic", ImportTarget(key="generic", label="dowolna warstwa"))

import_targets.register(
    "parcels",
    SpineTarget(
        key="parcels",
        label="działki",
        model=tm.Parcel,
        geometry="POLYGON",
        key_fields=("identifier",),
        fields=(
            TargetField("identifier", required=True, help="identyfikator EGiB WWPPGG_R.XXXX.NDZ"),
            TargetField(
                "area", "decimal", default=Round(Area(), 1), help="pole z geometrii, gdy brak"
            ),
            TargetField("land_use", default=Const(""), help="pusty, gdy brak"),
        ),
        # precinct and number derived from the identifier (split_part: a regex costs more)
        derived={
            "unit": Part(Field("identifier"), ".", 1),
            "code": Part(Field("identifier"), ".", 2),
            "number": Part(Field("identifier"), ".", -1),
        },
        # the precinct by unit and code; a missing one made from the union of its parcels
        join=Join(
            model=tm.Precinct,
            alias="p",
            on=("unit", "code"),
            create={"name": Concat(Const("Obręb "), Field("code")), "geom": UnionOfAreas()},
        ),
        src_view=True,
        columns={
            "identifier": Field("identifier"),
            "precinct_id": Col("p", "id"),
            "number": Field("number"),
            "area": Round(Field("area"), 1),
            "land_use": Left(Field("land_use"), 10),
            "geom": Geometry(Shape.MULTIPOLYGON),
        },
        match=("identifier",),
        checks=(
            Check(
                Field("identifier"),
                NotMatching(Field("identifier"), PARCEL_ID_SQL),
                "Obiekt nr {0}: błędny identyfikator działki „{1}” (oczekiwano "
                "WWPPGG_R.XXXX.NDZ, np. 146501_1.0001.123/4).",
                proof="invalid_keys",  # quality: the same pattern on the same column, untrimmed
            ),
        ),
    ),
)

import_targets.register(
    "buildings",
    SpineTarget(
        key="buildings",
        label="budynki",
        model=tm.Building,
        geometry="POLYGON",
        key_fields=("identifier",),
        fields=(
            TargetField("identifier", required=True, help="identyfikator budynku"),
            TargetField(
                "use", "choice", default=Const("utility"), choices=tuple(tm.Building.Use.values)
            ),
            TargetField("storeys", "int", default=Const(1)),
            TargetField("height", "decimal", help="3 m na kondygnację, gdy brak"),
            TargetField("dwellings", "int", default=Const(0)),
            TargetField("residents", "int", default=Const(0)),
            TargetField("year_built", "int"),
        ),
        # the parcel holding a point inside the footprint
        located=(Located("parcel_id", tm.Parcel, at=PointOnSurface()),),
        columns={
            "identifier": Field("identifier"),
            "parcel_id": Field("parcel_id"),
            "use": Field("use"),
            "storeys": Field("storeys"),
            "height": Round(Coalesce(Field("height"), Times(Field("storeys"), 3.0)), 1),
            "dwellings": Field("dwellings"),
            "residents": Field("residents"),
            "year_built": Field("year_built"),
            "geom": Geometry(Shape.POLYGON),
        },
        match=("identifier",),
        keep_when_null=("parcel_id",),
        checks=(
            Check(
                Parts(),
                Above(Parts(), 1),
                "Obiekt nr {0}: obrys budynku składa się z {1} części; budynek musi być "
                "jednym wielokątem.",
            ),
        ),
    ),
)

import_targets.register(
    "streets",
    SpineTarget(
        key="streets",
        label="ulice",
        model=tm.Street,
        geometry="LINESTRING",
        key_fields=("kind", "name"),
        fields=(
            TargetField("name", required=True),
            TargetField(
                "kind", "choice", default=Const("ul."), choices=tuple(tm.Street.Kind.values)
            ),
            TargetField("ulic", default=Const("")),
            TargetField(
                "road_class",
                "choice",
                default=Const("L"),
                choices=tuple(tm.Street.RoadClass.values),
            ),
        ),
        columns={
            "name": Field("name"),
            "kind": Field("kind"),
            "ulic": Left(Field("ulic"), 5),
            "road_class": Field("road_class"),
            "geom": Geometry(Shape.MULTILINESTRING),
        },
        match=("kind", "name"),
    ),
)

import_targets.register(
    "addresses",
    SpineTarget(
        key="addresses",
        label="adresy",
        model=tm.Address,
        geometry="POINT",
        promote_to_multi=False,
        key_fields=("street", "place", "number"),
        fields=(
            TargetField(
                "street", help="nazwa ulicy (z rejestru ulic), np. „Długa” lub „ul. Długa”"
            ),
            TargetField("place", default=Const(""), help="miejscowość, dla adresów bez ulicy"),
            TargetField("number", required=True),
            TargetField("postcode", required=True),
        ),
        # the street by its name or its full name ("ul. Polna"), with its label
        steps=(Step("address_streets", fills=(("street_id", "bigint"), ("label", "text"))),),
        located=(
            Located("parcel_id", tm.Parcel, at=Field("geom")),
            Located("building_id", tm.Building, at=Field("geom")),
        ),
        columns={
            "street_id": Field("street_id"),
            "place": Field("place"),
            "number": Field("number"),
            "postcode": Field("postcode"),
            "parcel_id": Field("parcel_id"),
            "building_id": Field("building_id"),
            # the street's label, or the place for an address without a street
            "label": Concat(Coalesce(Field("label"), Field("place")), Const(" "), Field("number")),
            "geom": Geometry(Shape.POINT),
        },
        match=(NullAs("street_id", 0), "place", "number"),
        keep_when_null=("parcel_id", "building_id"),
        checks=(
            Check(
                Field("street"),
                Unresolved(Field("street"), Field("street_id")),
                "Obiekt nr {0}: nie ma w rejestrze ulicy „{1}” (zaimportuj najpierw ulice).",
            ),
            Check(
                Field("postcode"),
                NotMatching(Field("postcode"), r"^\d{2}-\d{3}$"),
                "Obiekt nr {0}: błędny kod pocztowy „{1}” (oczekiwano 00-000).",
            ),
        ),
    ),
)

import_targets.register(
    "services",
    SpineTarget(
        key="services",
        label="usługi publiczne",
        model=tm.PublicService,
        geometry=None,
        promote_to_multi=False,
        key_fields=("kind", "name"),
        fields=(
            # built-in and configured kinds (miasto.territory.service_kinds)
            TargetField("kind", "choice", required=True, choices=service_kind_codes()),
            TargetField("name", required=True),
            TargetField("capacity", "int"),
        ),
        columns={
            "kind": Field("kind"),
            "name": Field("name"),
            "capacity": Field("capacity"),
            "geom": Geometry(Shape.POINT),
            "area_geom": Geometry(Shape.AREA_OR_NULL),
        },
        match=("kind", "name"),
        keep_when_null=("area_geom", "capacity"),
    ),
)

import_targets.register(
    "constraints",
    SpineTarget(
        key="constraints",
        label="ograniczenia",
        model=tm.Constraint,
        geometry="POLYGON",
        key_fields=("kind", "name"),
        fields=(
            TargetField("kind", "choice", required=True, choices=tuple(tm.Constraint.Kind.values)),
            TargetField("name", required=True),
            TargetField("legal_basis", default=Const("")),
            TargetField("source", default=Const("")),
        ),
        columns={
            "kind": Field("kind"),
            "name": Field("name"),
            "legal_basis": Left(Field("legal_basis"), 500),
            "source": Left(Field("source"), 250),
            "geom": Geometry(Shape.MULTIPOLYGON),
        },
        match=("kind", "name"),
        insert_only={"attributes": Json({})},
    ),
)

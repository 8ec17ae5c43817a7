"""The steps of publishing into a spine table (``importers.spine.SpineTarget``), each run
alone on a small version table: ``_src`` made, checked, the rows classified, the ones that
differ updated, the gone ones deleted (refused above the share, references detached as their
``on_delete`` says), the new ones inserted."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.gis.geos import LineString, MultiLineString
from psycopg import sql

from miasto.core.db import execute, fetch_value
from miasto.core.importing import PublishOptions, get_target
from miasto.core.jobs import JobError
from miasto.datahub.importers.references import detach_references
from miasto.datahub.importers.spine import Planned, SpineTarget
from miasto.datahub.models import DATA_SCHEMA
from miasto.territory.models import Building, RoadSegment, Street
from tests.territory import factories as tf

TABLE = f"{DATA_SCHEMA}.v_steps"
MAPPING = {"name": "name", "kind": "kind"}


def line(x: float) -> str:
    return f"SRID=2180;LINESTRING({x} 0, {x} 100)"


@pytest.fixture
def streets(db: Any) -> SpineTarget:
    """The spine: ul. Długa (its line to move) and ul. Stara (gone from the version); the
    version: Długa moved, two new streets."""
    tf.StreetFactory(name="Długa", geom=MultiLineString(LineString((0, 0), (0, 100)), srid=2180))
    tf.StreetFactory(name="Stara")
    execute(
        sql.SQL(
            "CREATE TABLE {} (fid integer, name text, kind text, geom geometry(LineString, 2180))"
        ).format(sql.Identifier(*TABLE.split(".")))
    )
    for fid, (name, x) in enumerate([("Długa", 5), ("Nowa", 10), ("Polna", 20)], start=1):
        execute(
            sql.SQL("INSERT INTO {} VALUES (%s, %s, 'ul.', %s)").format(
                sql.Identifier(*TABLE.split("."))
            ),
            [fid, name, line(x)],
        )
    target = get_target("streets")
    assert isinstance(target, SpineTarget)
    return target


def test_steps_one_by_one(streets: SpineTarget) -> None:
    streets._open_source(TABLE, MAPPING)
    assert fetch_value("SELECT count(*) FROM _src") == 3
    streets._prepare(MAPPING, PublishOptions(), None)
    planned = streets._classify(None)
    assert planned == Planned(differ=1, gone=1, new=2)
    assert streets._update_changed() == 1
    assert Street.objects.get(name="Długa").geom.extent[0] == 5
    # one of two gone: above 40 % refused, not above 50 %
    with pytest.raises(JobError, match="usunęłaby 1 z 2 obiektów warstwy „ulice”"):
        streets._delete_gone(planned.gone, 0.4)
    assert streets._delete_gone(planned.gone, 0.5) == 1
    assert streets._insert_new(planned.new) == 2
    assert sorted(Street.objects.values_list("name", flat=True)) == ["Długa", "Nowa", "Polna"]


def test_publish_counts_and_leaves_nothing(streets: SpineTarget) -> None:
    counts = streets.publish(TABLE, MAPPING, PublishOptions(max_removed_share=0.5))
    assert counts == {"added": 2, "changed": 1, "removed": 1}
    assert fetch_value("SELECT to_regclass('_src') IS NULL AND to_regclass('_plan') IS NULL")
    # again: nothing differs, nothing is written
    assert streets.publish(TABLE, MAPPING) == {"added": 0, "changed": 0, "removed": 0}


def test_a_bad_choice_is_refused_before_writing(streets: SpineTarget) -> None:
    execute(
        sql.SQL("UPDATE {} SET kind = 'ulica' WHERE fid = 2").format(
            sql.Identifier(*TABLE.split("."))
        )
    )
    streets._open_source(TABLE, MAPPING)
    with pytest.raises(JobError, match="Obiekt nr 2: niedozwolona wartość „ulica” pola „kind”"):
        streets._prepare(MAPPING, PublishOptions(), None)


def test_references_detached_as_on_delete_says(db: Any) -> None:
    # SET_NULL: the building stays, without its parcel
    parcel = tf.ParcelFactory()
    building = tf.BuildingFactory(parcel=parcel)
    ids = sql.SQL("SELECT id FROM territory_parcel WHERE id = {}").format(sql.Literal(parcel.pk))
    detach_references(type(parcel), ids)
    assert Building.objects.get(pk=building.pk).parcel_id is None
    # CASCADE: the street's road segments go with it; PROTECT: its addresses refuse
    street = tf.StreetFactory(name="Krótka")
    RoadSegment.objects.create(street=street, road_class="L", geom=LineString((0, 0), (1, 1)))
    street_ids = sql.SQL("SELECT id FROM territory_street WHERE id = {}").format(
        sql.Literal(street.pk)
    )
    tf.AddressFactory(street=street)
    with pytest.raises(JobError, match="odwołuje się do nich 1 obiektów"):
        detach_references(Street, street_ids)
    street.addresses.all().delete()
    detach_references(Street, street_ids)
    assert not RoadSegment.objects.filter(street=street).exists()

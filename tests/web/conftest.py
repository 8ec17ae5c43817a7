"""A small generated city for the web tests (until the shared factories exist).

Three by three urban blocks in EPSG:2180 around x≈500 000, y≈380 000: 72 parcels with a
building and an address each, streets between the blocks, two districts, one precinct,
a few services and two constraints.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.contrib.gis.geos import LineString, MultiLineString, MultiPolygon, Point, Polygon

X0, Y0 = 500_000.0, 380_000.0
BLOCK = 100.0
GAP = 20.0
UNIT = "106401_1"
PRECINCT = "0003"


def rect(x: float, y: float, w: float, h: float) -> Polygon:
    return Polygon(((x, y), (x + w, y), (x + w, y + h), (x, y + h), (x, y)), srid=2180)


@dataclass
class SmallCity:
    city: object
    districts: list = field(default_factory=list)
    parcels: list = field(default_factory=list)
    buildings: list = field(default_factory=list)
    streets: list = field(default_factory=list)


def build_small_city() -> SmallCity:
    from miasto.territory.models import (
        Address,
        Block,
        Building,
        City,
        Constraint,
        District,
        Parcel,
        Precinct,
        PublicService,
        RoadSegment,
        Street,
    )

    size = 3 * BLOCK + 4 * GAP
    city = City.objects.create(
        name="Miastko Testowe",
        teryt="1064011",
        voivodeship="łódzkie",
        fictional=True,
        geom=MultiPolygon(rect(X0, Y0, size, size), srid=2180),
    )
    result = SmallCity(city=city)
    half = size / 2
    west = District.objects.create(
        city=city,
        code="D01",
        name="Stare Miasto",
        character=District.Character.OLD_TOWN,
        geom=MultiPolygon(rect(X0, Y0, half, size), srid=2180),
    )
    east = District.objects.create(
        city=city,
        code="D02",
        name="Osiedle Słoneczne",
        character=District.Character.ESTATE,
        geom=MultiPolygon(rect(X0 + half, Y0, half, size), srid=2180),
    )
    result.districts = [west, east]
    precinct = Precinct.objects.create(
        unit=UNIT,
        code=PRECINCT,
        name="Śródmieście",
        district=west,
        geom=MultiPolygon(rect(X0, Y0, size, size), srid=2180),
    )

    # Streets: three west–east and three south–north through the gaps, plus the edges.
    names_we = ["Długa", "Krótka", "Polna", "Leśna"]
    names_sn = ["Ogrodowa", "Szkolna", "Kwiatowa", "Miodowa"]
    classes = ["G", "Z", "L", "D"]
    streets_we, streets_sn = [], []
    for i in range(4):
        y = Y0 + i * (BLOCK + GAP) + GAP / 2
        line = LineString((X0, y), (X0 + size, y), srid=2180)
        s = Street.objects.create(
            name=names_we[i], road_class=classes[i], geom=MultiLineString(line, srid=2180)
        )
        RoadSegment.objects.create(street=s, road_class=classes[i], geom=line)
        streets_we.append(s)
        x = X0 + i * (BLOCK + GAP) + GAP / 2
        line = LineString((x, Y0), (x, Y0 + size), srid=2180)
        s = Street.objects.create(
            name=names_sn[i], road_class=classes[3 - i], geom=MultiLineString(line, srid=2180)
        )
        RoadSegment.objects.create(street=s, road_class=classes[3 - i], geom=line)
        streets_sn.append(s)
    result.streets = streets_we + streets_sn

    uses = list(Building.Use.values)
    number = 0
    for by in range(3):
        for bx in range(3):
            bx0 = X0 + GAP + bx * (BLOCK + GAP)
            by0 = Y0 + GAP + by * (BLOCK + GAP)
            block = Block.objects.create(
                district=west if bx0 + BLOCK / 2 < X0 + half else east,
                code=f"B{by}{bx}",
                geom=rect(bx0, by0, BLOCK, BLOCK),
            )
            for row in range(2):
                for col in range(4):
                    number += 1
                    px, py = bx0 + col * 25, by0 + row * 50
                    num = f"{number}" if number % 5 else f"{number}/1"
                    parcel = Parcel.objects.create(
                        identifier=f"{UNIT}.{PRECINCT}.{num}",
                        precinct=precinct,
                        number=num,
                        block=block,
                        area=Decimal("1250.0"),
                        land_use="B",
                        geom=MultiPolygon(rect(px, py, 25, 50), srid=2180),
                    )
                    result.parcels.append(parcel)
                    use = uses[number % len(uses)]
                    building = Building.objects.create(
                        identifier=f"{UNIT}.{PRECINCT}.{num}_BUD.1",
                        parcel=parcel,
                        use=use,
                        storeys=1 + number % 5,
                        height=Decimal(3 * (1 + number % 5)),
                        dwellings=4 if use in Building.RESIDENTIAL_USES else 0,
                        residents=9 if use in Building.RESIDENTIAL_USES else 0,
                        year_built=1950 + number,
                        geom=rect(px + 5, py + (10 if row == 0 else 25), 15, 15),
                    )
                    result.buildings.append(building)
                    street = streets_we[by + 1] if row else streets_we[by]
                    Address.objects.create(
                        street=street,
                        number=str(number),
                        postcode="95-001",
                        parcel=parcel,
                        building=building,
                        geom=Point(px + 12.5, py + (45 if row else 5), srid=2180),
                    )

    kinds = [
        PublicService.Kind.PRIMARY_SCHOOL,
        PublicService.Kind.CLINIC,
        PublicService.Kind.LIBRARY,
        PublicService.Kind.TRANSIT_STOP,
    ]
    for i, kind in enumerate(kinds):
        PublicService.objects.create(
            kind=kind,
            name=f"Obiekt {i + 1}",
            geom=Point(X0 + GAP + 60 + i * (BLOCK + GAP) * 0.7, Y0 + GAP + 150, srid=2180),
        )
    Constraint.objects.create(
        kind=Constraint.Kind.FLOOD_RISK,
        name="Dolina rzeki",
        geom=MultiPolygon(rect(X0, Y0, size, 60), srid=2180),
    )
    Constraint.objects.create(
        kind=Constraint.Kind.HERITAGE,
        name="Układ urbanistyczny Starego Miasta",
        geom=MultiPolygon(rect(X0 + GAP, Y0 + GAP, BLOCK, BLOCK), srid=2180),
    )
    return result


@pytest.fixture
def small_city(db) -> SmallCity:
    return build_small_city()


@pytest.fixture
def superuser(db):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser("admin-web", "admin@example.org", "pass-123")


@pytest.fixture
def live_city(transactional_db) -> SmallCity:
    """The small city, committed, for the live server that a browser talks to."""
    return build_small_city()


@pytest.fixture(scope="session", autouse=True)
def _compiled_messages() -> None:
    """Compile the web app's Polish catalogue when the .mo is missing (it is not committed)."""
    from pathlib import Path

    import miasto.web

    locale = Path(miasto.web.__file__).parent / "locale"
    po = locale / "pl" / "LC_MESSAGES" / "django.po"
    mo = po.with_suffix(".mo")
    if po.exists() and (not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime):
        from django.core.management import call_command

        call_command("compilemessages", locale=["pl"], verbosity=0)

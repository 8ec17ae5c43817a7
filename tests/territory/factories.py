"""Factories for the spine. Geometries are valid and lie inside the demo city's extent
(EPSG:2180, around x=500 000, y=403 700 — central Poland)."""

from __future__ import annotations

import factory
from django.contrib.gis.geos import LineString, MultiLineString, MultiPolygon, Point, Polygon

from miasto.territory import models

CENTRE_X, CENTRE_Y = 500_000.0, 403_700.0
CELL = 30.0  # parcel grid step (m)
COLUMNS = 200


def square(x: float, y: float, size: float) -> Polygon:
    return Polygon(((x, y), (x + size, y), (x + size, y + size), (x, y + size), (x, y)), srid=2180)


def city_square(half: float = 5_000.0) -> MultiPolygon:
    return MultiPolygon(square(CENTRE_X - half, CENTRE_Y - half, 2 * half), srid=2180)


def parcel_cell(n: int) -> tuple[float, float]:
    """South-west corner of the n-th parcel cell (a 200-wide grid near the centre)."""
    return CENTRE_X - 3_000 + (n % COLUMNS) * CELL, CENTRE_Y - 3_000 + (n // COLUMNS) * CELL


class CityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.City
        django_get_or_create = ("teryt",)

    name = "Miasto Testowe"
    teryt = "1064011"
    voivodeship = "łódzkie"
    fictional = True
    geom = factory.LazyFunction(city_square)


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.District
        django_get_or_create = ("code",)

    city = factory.SubFactory(CityFactory)
    code = factory.Sequence(lambda n: f"D{n:02d}")
    name = factory.Sequence(lambda n: f"Dzielnica {n}")
    character = models.District.Character.TENEMENT
    geom = factory.LazyFunction(lambda: city_square(4_000.0))


class PrecinctFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Precinct
        django_get_or_create = ("unit", "code")

    unit = "106401_1"
    code = factory.Sequence(lambda n: f"{n + 1:04d}")
    name = factory.Sequence(lambda n: f"Obręb {n + 1}")
    district = factory.SubFactory(DistrictFactory)
    geom = factory.LazyFunction(lambda: city_square(4_000.0))


class ParcelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Parcel

    class Params:
        cell = factory.Sequence(lambda n: n)

    precinct = factory.SubFactory(PrecinctFactory)
    number = factory.Sequence(lambda n: str(n + 1))
    identifier = factory.LazyAttribute(lambda o: f"{o.precinct.unit}.{o.precinct.code}.{o.number}")
    land_use = "B"
    geom = factory.LazyAttribute(
        lambda o: MultiPolygon(square(*parcel_cell(o.cell), 25.0), srid=2180)
    )
    area = factory.LazyAttribute(lambda o: round(o.geom.area, 1))


class BuildingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Building

    parcel = factory.SubFactory(ParcelFactory)
    identifier = factory.LazyAttribute(lambda o: f"{o.parcel.identifier}_BUD.1")
    use = models.Building.Use.MULTI_FAMILY
    storeys = 4
    height = 13.5
    dwellings = 12
    residents = 28
    year_built = 1965
    geom = factory.LazyAttribute(
        lambda o: square(o.parcel.geom.extent[0] + 5, o.parcel.geom.extent[1] + 5, 12.0)
    )


class StreetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Street
        django_get_or_create = ("kind", "name")

    name = factory.Sequence(lambda n: f"Testowa {n}")
    kind = models.Street.Kind.STREET
    ulic = factory.Sequence(lambda n: f"{n + 10000:05d}")
    road_class = models.Street.RoadClass.L
    geom = factory.LazyFunction(
        lambda: MultiLineString(
            LineString((CENTRE_X - 3_010, CENTRE_Y - 3_010), (CENTRE_X + 3_010, CENTRE_Y - 3_010)),
            srid=2180,
        )
    )


class AddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Address

    street = factory.SubFactory(StreetFactory)
    number = factory.Sequence(lambda n: str(n + 1))
    postcode = "98-200"
    parcel = factory.SubFactory(ParcelFactory)
    geom = factory.LazyAttribute(lambda o: o.parcel.geom.point_on_surface)


class PublicServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.PublicService

    kind = models.PublicService.Kind.PRIMARY_SCHOOL
    name = factory.Sequence(lambda n: f"Szkoła Podstawowa nr {n + 1}")
    geom = factory.LazyFunction(lambda: Point(CENTRE_X, CENTRE_Y, srid=2180))


class ConstraintFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Constraint

    kind = models.Constraint.Kind.FLOOD_HAZARD_1
    name = "Obszar szczególnego zagrożenia powodzią"
    geom = factory.LazyFunction(
        lambda: MultiPolygon(square(CENTRE_X - 3_000, CENTRE_Y - 3_000, 100.0), srid=2180)
    )


class OrgUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.OrgUnit
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"U{n:03d}")
    name = factory.Sequence(lambda n: f"Wydział {n}")

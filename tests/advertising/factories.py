"""Factories for the advertising register and the landscape resolution. Coordinates are
offsets (metres) from a base point inside the test city (tests/territory/factories.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.contrib.gis.geos import MultiPolygon, Point, Polygon

from miasto.advertising import models
from miasto.advertising.statuses import ResolutionStatus
from tests.territory.factories import CENTRE_X, CENTRE_Y

BASE_X, BASE_Y = CENTRE_X + 1_000.0, CENTRE_Y + 1_000.0


def rect(x0: float, y0: float, x1: float, y1: float) -> MultiPolygon:
    """A rectangle given by offsets from the base point."""
    ring = (
        (BASE_X + x0, BASE_Y + y0),
        (BASE_X + x1, BASE_Y + y0),
        (BASE_X + x1, BASE_Y + y1),
        (BASE_X + x0, BASE_Y + y1),
        (BASE_X + x0, BASE_Y + y0),
    )
    return MultiPolygon(Polygon(ring, srid=2180), srid=2180)


def pt(x: float, y: float) -> Point:
    return Point(BASE_X + x, BASE_Y + y, srid=2180)


class ResolutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.LandscapeResolution

    title = "Uchwała krajobrazowa testowa"
    number = factory.Sequence(lambda n: f"XX/{n}/2024")
    status = ResolutionStatus.IN_FORCE
    adopted_on = dt.date(2024, 1, 10)
    valid_from = dt.date(2024, 3, 1)


class RuleSetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.RuleSet

    resolution = factory.SubFactory(ResolutionFactory)
    label = factory.Sequence(lambda n: f"v{n}")
    valid_from = dt.date(2024, 3, 1)
    applied = True


class ZoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Zone

    ruleset = factory.SubFactory(RuleSetFactory)
    code = factory.Sequence(lambda n: f"Z{n}")
    name = factory.Sequence(lambda n: f"Strefa {n}")
    adjustment_months = 24
    provision = "§ 5"
    geom = factory.LazyFunction(lambda: rect(0, 0, 1000, 1000))


class ZoneRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ZoneRule

    zone = factory.SubFactory(ZoneFactory)
    kind = "max_area"
    max_value = Decimal("12")
    provision = "§ 10 ust. 1"


class OwnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Owner

    name = factory.Sequence(lambda n: f"Reklama {n} sp. z o.o.")
    tax_id = factory.Sequence(lambda n: f"{7250000000 + n}")


class CarrierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Carrier

    reference = factory.Sequence(lambda n: f"R/T/{n:05d}")
    kind = "board_freestanding"
    location = factory.LazyFunction(lambda: pt(500, 500))
    width = Decimal("3")
    height = Decimal("2")
    sides = 1
    area = Decimal("6")
    owner = factory.SubFactory(OwnerFactory)
    installed_on = dt.date(2025, 1, 1)

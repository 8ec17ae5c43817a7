"""A small town for the OGC API: 30 parcels, buildings, addresses, services, a constraint,
a plan with two zones and the data hub's datasets of every access level."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection

from tests.advertising.factories import CarrierFactory, ZoneFactory
from tests.consultations.factories import add_comment, make_consultation
from tests.datahub.test_api_permissions import hub, make_version  # noqa: F401
from tests.planning.conftest import mpzp  # noqa: F401
from tests.problems.factories import ServiceFactory, make_report
from tests.proposals.factories import proposal
from tests.surveys.factories import published_place
from tests.territory import factories as tf

PARCELS = 30


@pytest.fixture(autouse=True)
def _fresh_extents() -> None:
    """Extents are cached (by table revision, or a few minutes): each test computes its own."""
    cache.clear()


@pytest.fixture
def town(hub, mpzp) -> dict[str, Any]:  # type: ignore[no-untyped-def]  # noqa: F811
    parcels = [tf.ParcelFactory(cell=n, land_use="B" if n % 3 else "R") for n in range(PARCELS)]
    buildings = [tf.BuildingFactory(parcel=p) for p in parcels[:5]]
    street = tf.StreetFactory(name="Długa")
    addresses = [tf.AddressFactory(street=street, parcel=p) for p in parcels[:3]]
    tf.PublicServiceFactory()
    tf.ConstraintFactory()
    proposal(get_user_model().objects.create_user("ogc-resident"))  # the proposals collection
    published_place(parcels[0].geom.point_on_surface)
    make_report(ServiceFactory())  # the problem reports collection
    add_comment(make_consultation(mpzp), 1)  # a published consultation comment
    ZoneFactory(), CarrierFactory()  # a landscape resolution's zone and a carrier
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE territory_parcel")
    return {
        "parcels": parcels, "buildings": buildings, "addresses": addresses,
        "hub": hub, "plan": mpzp,
    }  # fmt: skip

"""Shared set-up of the enforcement tests: a carrier of 6 m² in the test city, the council's
fee rates (2.00 zł a day + 0.20 zł per m² a day) and cases put in a given state."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from miasto.advertising.enforcement import case_open
from miasto.advertising.models import FeeRate
from miasto.advertising.models.enforcement import EnforcementCase
from tests.advertising.factories import CarrierFactory

FIXED, VARIABLE, AREA = Decimal("2.00"), Decimal("0.20"), Decimal("6.00")
#: 40 × 2.00 + 40 × 0.20 × 6.00
DAILY = Decimal("128.00")


@pytest.fixture(name="rates")
def rates_fixture(db: Any) -> FeeRate:
    return FeeRate.objects.create(
        valid_from=dt.date(2020, 1, 1),
        fixed_daily=FIXED,
        variable_daily_per_m2=VARIABLE,
        resolution="Uchwała nr X/1/2020 w sprawie opłaty reklamowej",
    )


@pytest.fixture(name="carrier")
def carrier_fixture(city: Any) -> Any:
    return CarrierFactory(area=AREA, width=Decimal("3"), height=Decimal("2"))


def case_in(
    carrier: Any, state: str, since: dt.date | None = None, **fields: Any
) -> EnforcementCase:
    """A case about ``carrier`` put straight into ``state`` (entered on ``since``)."""
    case = case_open(carrier, violations=[VIOLATION])
    day = since or timezone.localdate() - dt.timedelta(days=30)
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(9)))
    EnforcementCase.objects.filter(pk=case.pk).update(state=state, state_since=moment, **fields)
    case.refresh_from_db()
    return case


VIOLATION = {
    "message": "Powierzchnia ekspozycji 6,00 m² przekracza dopuszczalne 3,00 m²",
    "legal_basis": "§ 10 ust. 1 uchwały krajobrazowej",
    "measured": "6.00",
    "allowed": "3.00",
    "unit": "m²",
}


@pytest.fixture(name="staff")
def staff_fixture(db: Any) -> Any:
    """``staff("inspector")`` → a user in that role, made without hashing a password (a
    password hash costs seconds on a loaded machine; these users sign in by force_login)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from miasto.core.roles import ROLES, roles_sync

    made = iter(range(1, 10_000))

    def make(role: str, **fields: Any) -> Any:
        if not Group.objects.filter(name=role).exists():
            roles_sync()
        user = get_user_model().objects.create(
            username=f"{role}-{next(made)}", is_staff=ROLES[role].staff, **fields
        )
        user.groups.add(Group.objects.get(name=role))
        return user

    return make

"""The demo cases: from the register's violations, a case in every state of the workflow."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from miasto.advertising import compliance
from miasto.advertising.enforcement_demo import PATHS, demo_cases_generate
from miasto.advertising.models.enforcement import CaseState, EnforcementCase
from tests.advertising.enforcement_fixtures import (
    rates_fixture,  # noqa: F401 (a fixture)
    staff_fixture,  # noqa: F401 (a fixture)
)
from tests.advertising.factories import CarrierFactory, ZoneRuleFactory, pt

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(city: Any, rates: Any) -> None:
    """40 carriers of 20 m² in a zone allowing 12 m² (the factory's rule): all violate it."""
    ZoneRuleFactory()
    for n in range(40):
        CarrierFactory(area=Decimal("20"), location=pt(10 + 20 * (n % 20), 100 + 200 * (n // 20)))
    compliance.check(dt.date.today())


def test_the_demo_has_cases_in_every_state(register: None, staff: Any) -> None:
    with pytest.raises(CommandError, match="demo-users"):
        call_command("demo_advertising_cases")
    staff("inspector"), staff("case_officer")
    result = demo_cases_generate(per_state=2)
    assert result.created and result.opened == 40 and result.walked == 2 * len(PATHS)
    states = set(EnforcementCase.objects.values_list("state", flat=True))
    assert states == set(CaseState.values)
    decided = EnforcementCase.objects.filter(state="decision")
    assert all(c.penalty and c.penalty > 0 for c in decided)
    assert all(c.documents.filter(kind="decision").exists() for c in decided)
    assert all(c.inspections.exists() for c in EnforcementCase.objects.exclude(state="detected"))
    assert not demo_cases_generate(if_missing=True).created

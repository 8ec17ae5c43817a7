"""The database refuses what the law and common sense refuse, whoever writes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from miasto.advertising.models import ZoneRule
from tests.advertising.factories import RuleSetFactory, ZoneFactory, ZoneRuleFactory, rect

pytestmark = pytest.mark.django_db


def test_overlapping_zones_in_one_version_are_refused_by_the_database() -> None:
    rs = RuleSetFactory()
    ZoneFactory(ruleset=rs, code="A", geom=rect(0, 0, 100, 100))
    ZoneFactory(ruleset=rs, code="B", geom=rect(100, 0, 200, 100))  # touching is fine
    with pytest.raises(IntegrityError, match="overlaps zone A"), transaction.atomic():
        ZoneFactory(ruleset=rs, code="C", geom=rect(50, 50, 150, 150))


def test_zones_of_different_versions_may_overlap() -> None:
    ZoneFactory(ruleset=RuleSetFactory(), geom=rect(0, 0, 100, 100))
    ZoneFactory(ruleset=RuleSetFactory(valid_from=dt.date(2030, 1, 1)), geom=rect(0, 0, 100, 100))


def test_minimum_above_maximum_is_refused_by_the_database() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        ZoneRuleFactory(min_value=Decimal(5), max_value=Decimal(3))
    assert not ZoneRule.objects.exists()

"""Migration accessibility.0004: end dates stored as the last day in force become the first
day no longer in force, except where the next version starts that very day."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps

from miasto.accessibility.models import Standard

migration = importlib.import_module("miasto.accessibility.migrations.0004_half_open_validity")
pytestmark = pytest.mark.django_db
D = dt.date


def _version(code: str, version: int, start: dt.date, end: dt.date | None) -> Standard:
    return Standard.objects.create(
        code=code, version=version, name=code, service_kinds=["primary_school"],
        distance_m=1500, legal_basis="x", valid_from=start, valid_to=end,
    )  # fmt: skip


def test_end_dates_keep_their_meaning():
    last_day = _version("t-a", 1, D(2024, 1, 1), D(2024, 6, 30))  # then v2 from 1 July
    _version("t-a", 2, D(2024, 7, 1), None)
    changeover = _version("t-b", 1, D(2024, 1, 1), D(2024, 7, 1))  # v2 from that very day
    _version("t-b", 2, D(2024, 7, 1), None)
    alone = _version("t-c", 1, D(2024, 1, 1), D(2024, 12, 31))  # in force through 31 Dec
    migration.to_half_open(apps, None)
    ends = {s.pk: Standard.objects.get(pk=s.pk).valid_to for s in (last_day, changeover, alone)}
    assert ends == {last_day.pk: D(2024, 7, 1), changeover.pk: D(2024, 7, 1),
                    alone.pk: D(2025, 1, 1)}  # fmt: skip
    # one version on every day, the changeover day included
    for code in ("t-a", "t-b"):
        assert [s.version for s in Standard.objects.filter(code=code).active(D(2024, 7, 1))] == [2]
        assert [s.version for s in Standard.objects.filter(code=code).active(D(2024, 6, 30))] == [1]
    assert Standard.objects.filter(code="t-c").active(D(2024, 12, 31)).exists()
    migration.to_inclusive(apps, None)  # back: the last day in force, for every version
    back = {s.pk: Standard.objects.get(pk=s.pk).valid_to for s in (last_day, changeover, alone)}
    assert back == {last_day.pk: D(2024, 6, 30), changeover.pk: D(2024, 6, 30),
                    alone.pk: D(2024, 12, 31)}  # fmt: skip

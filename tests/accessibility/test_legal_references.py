"""The seeded standards cite the paragraphs of art. 13f where the law puts them (ust. 2: the
primary school, ust. 3: public green areas), corrected in existing databases by a data
migration that leaves a legal basis an administrator edited alone."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps

from miasto.accessibility.models import Standard

migration = importlib.import_module(
    "miasto.accessibility.migrations.0005_app_elements_legal_references"
)
pytestmark = pytest.mark.django_db


def _make(code: str, basis: str) -> Standard:
    return Standard.objects.create(
        code=code, version=9, name=code, service_kinds=["green"], distance_m=1500,
        min_area_ha=3, aggregate="sum_area", legal_basis=basis, valid_from=dt.date(2023, 9, 24),
    )  # fmt: skip


def test_the_migration_corrects_the_seeded_references_only():
    Standard.objects.all().delete()
    seeded = {code: _make(code, old) for code, (old, _new) in migration.BASES.items()}
    municipal = _make("kindergarten", migration.MUNICIPAL_OLD)
    edited = _make("green-3ha-x", "uchwała nr XII/1/24, § 4")
    migration.forward(apps, None)
    bases = {code: Standard.objects.get(pk=s.pk).legal_basis for code, s in seeded.items()}
    assert (
        bases["school"].startswith("art. 13f ust. 2 pkt 1 ustawy") and "miastach" in bases["school"]
    )
    assert bases["school-rural"].startswith("art. 13f ust. 2 pkt 2 ")
    assert bases["green-3ha"].startswith("art. 13f ust. 3 pkt 1 ")
    assert bases["green-20ha"].startswith("art. 13f ust. 3 pkt 2 ")
    assert "ust. 2" not in Standard.objects.get(pk=municipal.pk).legal_basis
    assert Standard.objects.get(pk=edited.pk).legal_basis == "uchwała nr XII/1/24, § 4"
    green = Standard.objects.get(pk=seeded["green-20ha"].pk)
    assert (green.app_element, green.app_area_element) == (
        "odlegloscDoObszaruZieleniPublicznej", "powierzchniaObszaruZieleniPublicznej"
    )  # fmt: skip
    migration.backward(apps, None)
    assert Standard.objects.get(pk=seeded["school"].pk).legal_basis == migration.BASES["school"][0]


def test_the_seeded_values_are_those_of_the_act():
    """Art. 13f ust. 2 and 3: 1 500 m (3 000 m outside towns) to a primary school; 1 500 m to
    green areas of 3 ha in total and 3 000 m to one of 20 ha (when the seed is present)."""
    seeded = {s.code: s for s in Standard.objects.filter(version=1, mandatory=True)}
    if not seeded:
        pytest.skip("the seeded standards were flushed by an earlier transactional test")
    assert seeded["school"].distance_m == 1500 and seeded["school-rural"].distance_m == 3000
    assert (seeded["green-3ha"].distance_m, seeded["green-3ha"].min_area_ha) == (1500, 3)
    assert (seeded["green-20ha"].distance_m, seeded["green-20ha"].min_area_ha) == (3000, 20)
    assert "ust. 3 pkt 2" in seeded["green-20ha"].legal_basis

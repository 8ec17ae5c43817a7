"""Stamp duty for a wypis and wyrys: boundaries of the page rules and the wyrys cap."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest

from miasto.core.versioning import check_versions
from miasto.planning.fees import FEES, ExtractFees, extract_fee, fees_for


@pytest.mark.parametrize(
    ("wypis_pages", "expected"),
    [(0, "0.00"), (1, "30.00"), (5, "30.00"), (6, "50.00"), (40, "50.00")],
)
def test_wypis_five_pages_boundary(wypis_pages, expected):
    assert extract_fee(wypis_pages, 0).wypis == Decimal(expected)


@pytest.mark.parametrize(
    ("wyrys_pages", "expected", "capped"),
    [(0, "0", False), (1, "20", False), (3, "60", False), (10, "200", False),
     (11, "200", True), (50, "200", True)],
)  # fmt: skip
def test_wyrys_per_page_with_cap(wyrys_pages, expected, capped):
    fee = extract_fee(1, wyrys_pages)
    assert fee.wyrys == Decimal(expected)
    assert fee.wyrys_capped is capped


def test_total_and_at_most_250():
    fee = extract_fee(2, 1)
    assert (fee.wypis, fee.wyrys, fee.total) == (Decimal(30), Decimal(20), Decimal(50))
    assert extract_fee(9, 99).total == Decimal("250.00")
    assert all(isinstance(v, Decimal) for v in (fee.wypis, fee.wyrys, fee.total))


def test_negative_pages_rejected():
    with pytest.raises(ValueError):
        extract_fee(-1, 0)


def test_configuration_is_versioned(monkeypatch):
    fees = fees_for(dt.date(2024, 1, 1))
    assert fees.legal_basis.startswith("Ustawa z dnia 16 listopada 2006 r. o opłacie skarbowej")
    assert fees.valid_from <= dt.date(2024, 1, 1)
    assert fees.extract_legal_basis.startswith("art. 30 ust. 1 ustawy z dnia 27 marca 2003 r.")
    newer = ExtractFees(
        key="test-2030", legal_basis="test", extract_legal_basis="art. 30",
        valid_from=dt.date(2030, 1, 1), valid_to=None,
        wypis_short=Decimal("35"), wypis_long=Decimal("60"), wypis_pages_threshold=5,
        wyrys_per_page=Decimal("25"), wyrys_cap=Decimal("250"),
    )  # fmt: skip
    old = FEES["oplata-skarbowa-2007"]
    # the old version ends on the day the new one begins: [valid_from, valid_to)
    monkeypatch.setitem(FEES, old.key, replace(old, valid_to=dt.date(2030, 1, 1)))
    monkeypatch.setitem(FEES, "test-2030", newer)
    check_versions(FEES.values())
    assert fees_for(dt.date(2029, 12, 31)).key == "oplata-skarbowa-2007"
    assert fees_for(dt.date(2030, 1, 1)) is newer  # the changeover day: only the new one
    assert extract_fee(6, 20, dt.date(2030, 6, 1)).total == Decimal("310")
    assert extract_fee(6, 20, dt.date(2025, 6, 1)).total == Decimal("250")

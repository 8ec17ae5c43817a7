"""The advertising fee and the art. 37d penalty on worked examples."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from miasto.advertising import fees
from miasto.advertising.models import FeeCap, FeeExemption, FeeRate
from miasto.advertising.penalty import PenaltyError, penalty_for
from miasto.advertising.services import AdvertisingError, fee_rate_save
from tests.advertising.factories import CarrierFactory, OwnerFactory

pytestmark = pytest.mark.django_db

D = dt.date


def rate(
    valid_from: dt.date, fixed: str, variable: str, valid_to: dt.date | None = None
) -> FeeRate:
    return FeeRate.objects.create(
        valid_from=valid_from, valid_to=valid_to, fixed_daily=Decimal(fixed),
        variable_daily_per_m2=Decimal(variable), resolution=f"Uchwała {fixed}",
    )  # fmt: skip


def test_penalty_worked_example() -> None:
    rate(D(2026, 1, 1), "2.50", "0.20")
    carrier = CarrierFactory(area=Decimal("12"))
    result = penalty_for(carrier, D(2026, 3, 1), D(2026, 3, 11))
    # 40 × 2.50 + 40 × 0.20 × 12 = 100 + 96 = 196 zł a day, 10 days
    assert result.days == 10
    assert result.amount == Decimal("1960.00")
    assert result.parts[0].daily == Decimal("196.00")
    assert "196.00" in result.derivation[0] and "1960.00" in result.derivation[-1]


def test_penalty_follows_rate_versions_and_falls_back_to_the_cap() -> None:
    rate(D(2025, 1, 1), "2.00", "0.20", valid_to=D(2026, 1, 1))
    FeeCap.objects.create(
        valid_from=D(2026, 1, 1), fixed_daily=Decimal("2.50"),
        variable_daily_per_m2=Decimal("0.25"), source="M.P. test",
    )  # fmt: skip
    carrier = CarrierFactory(area=Decimal("10"))
    result = penalty_for(carrier, D(2025, 12, 30), D(2026, 1, 3))
    # 2 days × (80 + 80) + 2 days × (100 + 100): the council set no rates for 2026
    assert [(p.days, p.source, p.daily) for p in result.parts] == [
        (2, "rate", Decimal("160.00")),
        (2, "cap", Decimal("200.00")),
    ]
    assert result.amount == Decimal("720.00")


def test_penalty_refuses_a_bad_period_and_missing_configuration() -> None:
    carrier = CarrierFactory()
    with pytest.raises(PenaltyError):
        penalty_for(carrier, D(2026, 3, 1), D(2026, 3, 1))
    with pytest.raises(PenaltyError, match="nie ma ani stawek"):
        penalty_for(carrier, D(2026, 3, 1), D(2026, 3, 2))


def test_fee_schedule_worked_example_with_an_exemption() -> None:
    rate(D(2026, 1, 1), "2.00", "0.20")
    owner = OwnerFactory(name="Alfa")
    carrier = CarrierFactory(
        owner=owner, area=Decimal("6"), installed_on=D(2026, 3, 1), removed_on=D(2026, 3, 11),
        status="removed",
    )  # fmt: skip
    [line] = fees.schedule(2026)
    assert (line["days"], line["amount"]) == (10, Decimal("32.00"))  # 10 × (2 + 0.2 × 6)
    FeeExemption.objects.create(
        carrier=carrier, reason="akcja społeczna", valid_from=D(2026, 3, 5), valid_to=D(2026, 3, 7)
    )
    [line] = fees.schedule(2026)
    assert (line["days"], line["amount"]) == (8, Decimal("25.60"))
    [summary] = fees.by_owner(fees.schedule(2026))
    assert summary["carriers"] == 1 and summary["amount"] == Decimal("25.60")


def test_fee_schedule_splits_by_rate_version_and_skips_exempt_owners() -> None:
    rate(D(2025, 1, 1), "1.00", "0.10", valid_to=D(2026, 7, 1))
    rate(D(2026, 7, 1), "2.00", "0.10")
    CarrierFactory(area=Decimal("10"), installed_on=D(2020, 1, 1))
    CarrierFactory(owner=OwnerFactory(fee_exempt=True), installed_on=D(2020, 1, 1))
    lines = fees.schedule(2026)
    assert [(x["days"], x["amount"]) for x in lines] == [
        (181, Decimal("362.00")),  # 1 Jan – 30 Jun: 181 × (1 + 1)
        (184, Decimal("552.00")),  # 1 Jul – 31 Dec: 184 × (2 + 1)
    ]


def test_fee_csv_for_the_finance_system_is_safe_in_a_spreadsheet() -> None:
    rate(D(2026, 1, 1), "2.00", "0.20")
    CarrierFactory(owner=OwnerFactory(name="=HYPERLINK(1)"), installed_on=D(2026, 12, 31))
    text = fees.schedule_csv(2026)
    header, row = text.strip().split("\r\n")
    assert header.startswith("rok,nip,wlasciciel")
    assert ",'=HYPERLINK(1)," in row


def test_rates_above_the_cap_or_overlapping_are_refused() -> None:
    FeeCap.objects.create(
        valid_from=D(2026, 1, 1), fixed_daily=Decimal("3"), variable_daily_per_m2=Decimal("0.3"),
        source="M.P.",
    )  # fmt: skip
    with pytest.raises(AdvertisingError, match="górne granice"):
        fee_rate_save(valid_from=D(2026, 1, 1), valid_to=None, fixed_daily="3.50",
                      variable_daily_per_m2="0.1", resolution="U")  # fmt: skip
    fee_rate_save(valid_from=D(2026, 1, 1), valid_to=None, fixed_daily="2,50",
                  variable_daily_per_m2="0.1", resolution="U")  # fmt: skip
    with pytest.raises(AdvertisingError):
        fee_rate_save(valid_from=D(2026, 6, 1), valid_to=None, fixed_daily="1",
                      variable_daily_per_m2="0.1", resolution="U2")  # fmt: skip
    assert FeeRate.objects.count() == 1

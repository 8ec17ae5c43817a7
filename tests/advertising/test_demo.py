"""The demo resolution and register on the small demo city (generated for this module)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from miasto.advertising.demo import demo_advertising_generate
from miasto.advertising.models import (
    Carrier,
    FeeCap,
    FeeExemption,
    FeeRate,
    LandscapeResolution,
    Owner,
    Violation,
    Zone,
)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker) -> Iterator[object]:  # type: ignore[no-untyped-def]
    from django.db import transaction

    from miasto.core.models import AuditEntry
    from miasto.democity import loader
    from miasto.democity.services import demo_city_generate

    with django_db_blocker.unblock():
        demo_city_generate(scale="small", seed=7, replace=True, progress=False)
        result = demo_advertising_generate(count=1500)
        yield result
        with transaction.atomic():
            Carrier.objects.all().delete()
            # the demo's fee configuration too: later modules set their own rates and caps
            FeeExemption.objects.all().delete()
            FeeRate.objects.all().delete()
            FeeCap.objects.all().delete()
            Owner.objects.all().delete()
            LandscapeResolution.objects.all().delete()
            loader.truncate_spine()
            AuditEntry.objects.filter(model__startswith="advertising.").delete()
            AuditEntry.objects.filter(action="bulk_load").delete()


@pytest.mark.django_db
def test_demo_has_five_zones_the_old_town_strictest(demo) -> None:  # type: ignore[no-untyped-def]
    zones = {z.code: z.rules.count() for z in Zone.objects.all()}
    assert sorted(zones) == ["A", "B", "C", "D", "E"]
    assert zones["A"] == max(zones.values())
    resolution = LandscapeResolution.objects.get()
    assert resolution.status == "in_force"
    assert [c.to_status for c in resolution.status_changes.all()] == [
        "consultation", "adopted", "in_force",
    ]  # fmt: skip


@pytest.mark.django_db
def test_demo_register_breaks_the_rules_in_varied_ways(demo) -> None:  # type: ignore[no-untyped-def]
    total = Carrier.objects.count()
    bad = Carrier.objects.filter(compliance__compliant=False).count()
    assert 1000 <= total <= 2000
    assert 0.08 <= bad / total <= 0.25, (bad, total)
    kinds = set(Violation.objects.values_list("rule_kind", flat=True))
    assert len(kinds) >= 6, kinds
    assert Violation.objects.filter(penalisable=False).exists()  # adjustment periods running
    assert demo.fee_total > 0
    assert not demo.summary().startswith("Uchwała krajobrazowa już")
    assert not demo_advertising_generate(if_missing=True).created

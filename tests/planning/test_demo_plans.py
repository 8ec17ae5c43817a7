"""Demo plans on the small demo city (generated once for this module, removed afterwards)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection

from miasto.planning.demo import NAMESPACE_MPZP, NAMESPACE_POG, _delete_plans, demo_plans_generate
from miasto.planning.models import Plan, Scenario


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker) -> Iterator[object]:  # type: ignore[no-untyped-def]
    from django.db import transaction

    from miasto.core.models import AuditEntry
    from miasto.democity import loader
    from miasto.democity.services import demo_city_generate

    with django_db_blocker.unblock():
        demo_city_generate(scale="small", seed=7, replace=True, progress=False)
        result = demo_plans_generate()
        yield result
        with transaction.atomic():
            Scenario.objects.all().delete()
            _delete_plans(list(Plan.objects.values_list("id", flat=True)))
            loader.truncate_spine()
            AuditEntry.objects.filter(model__startswith="planning.").delete()
            AuditEntry.objects.filter(
                action="bulk_load", object_repr__startswith="demo-city"
            ).delete()


def _share(sql: str) -> float:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return float(cursor.fetchone()[0])


@pytest.mark.django_db
def test_pog_covers_the_city(demo):
    pog = Plan.objects.get(namespace=NAMESPACE_POG)
    assert pog.status == "in_force"
    share = _share(
        "SELECT ST_Area(ST_Union(z.geom)) / (SELECT ST_Area(geom) FROM territory_city LIMIT 1) "
        f"FROM planning_zone z WHERE z.plan_id = {pog.pk} AND z.valid_to IS NULL"
    )
    assert share == pytest.approx(1.0, abs=1e-4)
    symbols = set(pog.zones.values_list("symbol", flat=True))
    assert {"SW", "SJ", "SP", "SR", "SN", "SK"} <= symbols


@pytest.mark.django_db
def test_local_plans_cover_about_sixty_percent_with_every_status(demo):
    plans = Plan.objects.filter(namespace=NAMESPACE_MPZP)
    assert 18 <= plans.count() <= 22
    share = _share(
        "SELECT ST_Area(ST_Union(geom)) / (SELECT ST_Area(geom) FROM territory_city LIMIT 1) "
        "FROM planning_plan WHERE kind = 'mpzp'"
    )
    assert 0.5 < share < 0.7
    statuses = set(plans.values_list("status", flat=True))
    assert {"in_force", "amended", "annulled", "consultation", "in_preparation"} <= statuses
    amended = plans.get(status="amended")
    assert amended.amendments.exists()
    assert amended.zones.filter(valid_to__isnull=False).exists()


@pytest.mark.django_db
def test_deliberate_conflicts_exist(demo):
    flood = _share(
        "SELECT count(*) FROM planning_zone z JOIN territory_constraint c "
        "ON c.kind = 'flood_1pct' AND ST_Intersects(z.geom, c.geom) "
        "WHERE z.valid_to IS NULL AND (z.symbol LIKE 'M%%' OR z.symbol IN ('SJ', 'SW'))"
    )
    assert flood > 0
    nature = _share(
        "SELECT count(*) FROM planning_zone z JOIN territory_constraint c "
        "ON c.kind = 'nature' AND ST_Intersects(z.geom, c.geom) WHERE z.symbol LIKE 'M%%'"
    )
    assert nature > 0


@pytest.mark.django_db
def test_if_missing_is_idempotent(demo):
    before = Plan.objects.count()
    assert demo_plans_generate(if_missing=True).skipped
    assert Plan.objects.count() == before


def test_demo_scenarios_to_compare(demo):  # type: ignore[no-untyped-def]
    from miasto.planning.demo import DEMO_SCENARIOS
    from miasto.planning.models import Scenario

    adopted, denser = (Scenario.objects.get(name=n) for n in DEMO_SCENARIOS)
    assert adopted.drafts.exists() and not adopted.overrides
    assert denser.overrides and not denser.drafts.exists()
    # regenerating the plans replaces the scenarios instead of failing on their drafts
    demo_plans_generate()
    assert Scenario.objects.filter(name__in=DEMO_SCENARIOS).count() == 2

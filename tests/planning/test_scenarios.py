"""Scenarios: overrides written as lines, validated against the zones and parameter ranges;
drafts only; the scenario's ZoneSet."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from miasto.planning.scenarios import (
    ScenarioError,
    overrides_text,
    parse_overrides,
    scenario_save,
    scenario_zoneset,
)
from tests.planning.test_zoneset import plans  # noqa: F401 — fixture

TODAY = dt.date(2024, 1, 1)


def test_parse_overrides_resolves_zones_and_checks_ranges(plans):  # type: ignore[no-untyped-def]  # noqa: F811
    in_force, draft = plans
    mn = in_force.zones.get(designation="1MN")
    parsed = parse_overrides(
        "# comment\nZ1 1MN max_intensity=0,9 max_height=\n", as_of=TODAY, drafts=[]
    )
    assert parsed == {str(mn.pk): {"max_intensity": "0.9", "max_height": None}}
    # the draft's zones are editable only when the draft is part of the scenario
    with pytest.raises(ScenarioError, match="nie ma obowiązującej strefy 1MW w planie Z2"):
        parse_overrides("Z2 1MW max_intensity=1", as_of=TODAY, drafts=[])
    assert parse_overrides("Z2 1MW max_intensity=1", as_of=TODAY, drafts=[draft])
    with pytest.raises(ScenarioError) as exc:
        parse_overrides(
            "Z1 1MN max_coverage=140\nZ1 2MW min_intensity=3\nZ1 1MN colour=red\nZ1 1MN",
            as_of=TODAY,
            drafts=[],
        )
    problems = exc.value.problems
    assert any("Wiersz 1" in p and "poza zakresem" in p for p in problems)
    assert any("Wiersz 2" in p and "większa od maksymalnej" in p for p in problems)
    assert any("Wiersz 3" in p and "dozwolone parametry" in p for p in problems)
    assert any("Wiersz 4" in p and "oczekiwano" in p for p in problems)


def test_scenario_save_and_zoneset(plans, django_user_model):  # type: ignore[no-untyped-def]  # noqa: F811
    in_force, draft = plans
    with pytest.raises(ScenarioError, match="projekty planów"):
        scenario_save(name="Zły", drafts=[in_force])
    with pytest.raises(ScenarioError, match="musi zawierać"):
        scenario_save(name="Pusty", drafts=[])
    scenario = scenario_save(
        name="Intensyfikacja", drafts=[draft], overrides="Z1 1MN max_intensity=0.9", as_of=TODAY
    )
    zs = scenario_zoneset(scenario)
    assert zs.drafts == (draft.pk,) and zs.as_of == TODAY
    assert list(zs.overrides.values()) == [{"max_intensity": "0.9"}]
    assert overrides_text(scenario) == "Z1 1MN max_intensity=0.9"
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT designation, max_intensity FROM ({zs.sql}) z ORDER BY 1", zs.params()
        )
        assert cursor.fetchall() == [
            ("1MN", Decimal("0.9")),
            ("1MW", Decimal("2.00")),
            ("2MW", Decimal("1.20")),
        ]

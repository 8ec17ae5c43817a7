import datetime as dt

import pytest
from django.contrib.gis.geos import Point

from miasto.core.models import AuditEntry
from miasto.planning.selectors import zones_at
from miasto.planning.services import TransitionNotAllowed, plan_change_status
from miasto.planning.statuses import ALLOWED_STATUS_CHANGES, PlanStatus, can_transition

S = PlanStatus


@pytest.mark.parametrize(
    ("current", "new", "allowed"),
    [
        (S.INITIATED, S.IN_PREPARATION, True),
        (S.IN_PREPARATION, S.CONSULTATION, True),
        (S.CONSULTATION, S.IN_PREPARATION, True),
        (S.CONSULTATION, S.ADOPTED, True),
        (S.ADOPTED, S.IN_FORCE, True),
        (S.IN_FORCE, S.AMENDED, True),
        (S.IN_FORCE, S.ANNULLED, True),
        (S.IN_FORCE, S.EXPIRED, True),
        (S.INITIATED, S.IN_FORCE, False),
        (S.IN_PREPARATION, S.ADOPTED, False),
        (S.ANNULLED, S.IN_FORCE, False),
        (S.EXPIRED, S.IN_FORCE, False),
        (S.IN_FORCE, S.INITIATED, False),
    ],
)
def test_transition_table(current, new, allowed):
    assert can_transition(current, new) is allowed


def test_every_status_has_an_entry():
    assert set(ALLOWED_STATUS_CHANGES) == set(S.values)


def test_forbidden_transition_raises_in_polish(mpzp):
    with pytest.raises(TransitionNotAllowed, match="Niedozwolona zmiana statusu"):
        plan_change_status(plan=mpzp, status=S.IN_FORCE)
    mpzp.refresh_from_db()
    assert mpzp.status == S.INITIATED


def _enact(plan, day=dt.date(2020, 1, 1)):
    for step in (S.IN_PREPARATION, S.CONSULTATION, S.ADOPTED, S.IN_FORCE):
        plan_change_status(plan=plan, status=step, effective=day)
    plan.refresh_from_db()
    return plan


def test_lifecycle_is_recorded_and_audited(mpzp):
    _enact(mpzp)
    assert mpzp.status == S.IN_FORCE
    assert list(mpzp.status_changes.values_list("to_status", flat=True)) == [
        "initiated", "in_preparation", "consultation", "adopted", "in_force"
    ]  # fmt: skip
    assert AuditEntry.objects.filter(model="planning.plan", object_id=str(mpzp.pk)).exists()
    assert mpzp.zones.filter(valid_from=dt.date(2020, 1, 1)).count() == 2


def test_as_of_queries_follow_history(mpzp):
    point = Point(500_050, 400_050, srid=2180)
    assert not zones_at(point, as_of=dt.date(2021, 1, 1)).exists()  # a draft is not law
    _enact(mpzp)
    assert zones_at(point, as_of=dt.date(2019, 12, 31)).count() == 0
    assert [z.designation for z in zones_at(point, as_of=dt.date(2021, 1, 1))] == ["3MN"]
    plan_change_status(plan=mpzp, status=S.ANNULLED, effective=dt.date(2022, 1, 1))
    assert zones_at(point, as_of=dt.date(2021, 6, 1)).count() == 1
    assert zones_at(point, as_of=dt.date(2022, 6, 1)).count() == 0


def test_amendment_keeps_history(mpzp):
    from miasto.planning.services import plan_apply_amendment, plan_create, plan_set_zones
    from miasto.planning.validation import ZoneInput
    from tests.planning.conftest import box

    _enact(mpzp)
    amendment = plan_create(
        kind="mpzp", title="Zmiana", local_id="T1MPZP-Z1", namespace=mpzp.namespace,
        geom=box(500_000, 400_000, 500_100, 400_100), amends=mpzp,
    )  # fmt: skip
    plan_set_zones(
        plan=amendment,
        zones=[ZoneInput(local_id="Z1-1U", designation="1U", category="plan_area",
                         geom=box(500_000, 400_000, 500_100, 400_100))],
    )  # fmt: skip
    for step in (S.IN_PREPARATION, S.CONSULTATION, S.ADOPTED):
        plan_change_status(plan=amendment, status=step, effective=dt.date(2023, 1, 1))
    original = plan_apply_amendment(amendment=amendment, effective=dt.date(2023, 3, 1))
    assert original.status == S.AMENDED
    inside, outside = Point(500_050, 400_050, srid=2180), Point(500_120, 400_050, srid=2180)
    assert [z.designation for z in zones_at(inside, as_of=dt.date(2022, 1, 1))] == ["3MN"]
    assert [z.designation for z in zones_at(inside, as_of=dt.date(2024, 1, 1))] == ["1U"]
    assert [z.designation for z in zones_at(outside, as_of=dt.date(2024, 1, 1))] == ["3MN"]
    assert original.zones.filter(valid_to=dt.date(2023, 3, 1)).count() == 1  # 3MN only
    assert original.zones.filter(supersedes__isnull=False).count() == 1  # its remainder

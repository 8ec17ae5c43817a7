"""``miasto demo-proposals`` on a small city: proposals in every status with supports,
comments and answers; deterministic; ``--if-missing`` adds nothing the second time."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from miasto.proposals.models import Proposal, StatusChange, Support
from miasto.proposals.statuses import Status

pytestmark = pytest.mark.django_db


def test_demo_proposals_on_a_small_city() -> None:
    from tests.web.conftest import build_small_city

    build_small_city()
    call_command("demo_proposals")
    proposals = Proposal.objects.all()
    assert proposals.count() == 40
    assert set(proposals.values_list("status", flat=True)) == set(Status.values)
    assert {p.geom.geom_type for p in proposals} == {"Point", "Polygon", "LineString"}
    assert Support.objects.count() == sum(p.support_count for p in proposals) > 0
    assert StatusChange.objects.exclude(feedback="").count() == StatusChange.objects.count() > 0
    first = sorted(proposals.values_list("title", "support_count"))
    call_command("demo_proposals", "--if-missing")
    assert Proposal.objects.count() == 40
    call_command("demo_proposals")  # again from scratch: the same proposals
    assert sorted(Proposal.objects.values_list("title", "support_count")) == first


def test_demo_needs_a_city() -> None:
    with pytest.raises(CommandError, match="demo-city"):
        call_command("demo_proposals")

"""The demo command: reports in every status, routed, over a year, idempotent."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from miasto.problems.models import Report, ReportUpdate
from miasto.problems.statuses import Status
from tests.territory import factories as tf

pytestmark = pytest.mark.django_db


def test_demo_problems(capsys):  # type: ignore[no-untyped-def]
    tf.CityFactory()
    for _ in range(30):
        tf.AddressFactory()
    call_command("demo_problems", "--count", "300")
    assert Report.objects.count() == 300
    assert set(Report.objects.values_list("status", flat=True)) == set(Status.values)
    assert not Report.objects.filter(unit__isnull=True).exists()
    assert ReportUpdate.objects.filter(note__gt="").exists()
    closed = Report.objects.filter(closed_at__isnull=False).first()
    assert closed is not None and closed.closed_at >= closed.requested_at
    call_command("demo_problems", "--if-missing")
    assert Report.objects.count() == 300
    assert "pominięto" in capsys.readouterr().out

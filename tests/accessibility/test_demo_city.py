"""The standards on the ``small`` demo city: meaningful, non-trivial results."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from miasto.accessibility.models import Result, Run, Share
from miasto.accessibility.selectors import accessibility_summary
from miasto.accessibility.services import accessibility_compute
from tests.democity.conftest import small_city  # noqa: F401 — the module-scoped fixture


@pytest.fixture(scope="module")
def computed(small_city, django_db_blocker) -> Iterator[Run]:  # type: ignore[no-untyped-def]  # noqa: F811
    with django_db_blocker.unblock():
        run = accessibility_compute()
        yield run
        Result.objects.all().delete()
        Share.objects.all().delete()
        Run.objects.all().delete()


@pytest.mark.django_db
def test_some_districts_are_underserved(computed) -> None:  # type: ignore[no-untyped-def]
    assert computed.stats["residential_parcels"] > 100
    summary = accessibility_summary()
    rows = {
        (item["standard"]["code"], d["name"]): d["residents_met_pct"]
        for item in summary["standards"]
        for d in item["districts"]
    }
    # non-trivial: a mandatory standard and an optional one leave some districts underserved
    green = next(s for s in summary["standards"] if s["standard"]["code"] == "green-3ha")
    assert 0 < green["city"]["residents_met_pct"] < 100
    assert min(rows[("green-3ha", name)] for name in green_names(green)) < 100
    assert min(v for (code, _n), v in rows.items() if code == "transit-stop") < 90
    assert max(rows.values()) == 100
    for item in summary["standards"]:
        assert item["city"]["parcels"] == computed.stats["residential_parcels"]


def green_names(item):  # type: ignore[no-untyped-def]
    return [d["name"] for d in item["districts"]]

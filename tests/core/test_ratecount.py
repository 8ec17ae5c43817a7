"""API request counts kept in memory and written in batches (core.ratecount)."""

from __future__ import annotations

import time

import pytest

from miasto.core import ratecount
from miasto.core.models import ApiRateWindow, ApiUsage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def batched(settings):  # type: ignore[no-untyped-def]
    settings.MIASTO_API_COUNT_FLUSH_S = 3600
    ratecount.counts_forget()
    yield
    ratecount.counts_forget()


def test_counts_wait_in_memory_then_are_written_in_one_statement() -> None:
    counts = [ratecount.count_request("ip:a", None, "api-layers", 0) for _ in range(5)]
    ratecount.count_request("ip:b", None, "api-search", 0)
    assert counts == [1, 2, 3, 4, 5]
    assert not ApiRateWindow.objects.exists() and not ApiUsage.objects.exists()
    ratecount.counts_flush()
    assert dict(ApiRateWindow.objects.values_list("subject", "hits")) == {"ip:a": 5, "ip:b": 1}
    assert dict(ApiUsage.objects.values_list("endpoint", "hits")) == {
        "api-layers": 5,
        "api-search": 1,
    }
    assert ratecount.count_request("ip:a", None, "api-layers", 0) == 6  # the total goes on


def test_near_the_limit_every_request_is_written() -> None:
    counts = [ratecount.count_request("ip:a", None, "api-layers", 10) for _ in range(12)]
    assert counts == list(range(1, 13))
    # 9 = 90 % of 10: from the ninth request on, each one is in the table at once
    assert ApiRateWindow.objects.get(subject="ip:a").hits == 12


def test_what_other_processes_wrote_counts_too() -> None:
    ratecount.count_request("ip:a", None, "api-layers", 0)
    ratecount.counts_flush()
    # another worker process wrote 40 requests of the same client in this minute
    ApiRateWindow.objects.filter(subject="ip:a").update(hits=41)
    # near its limit (2 of 2 as far as this process knows) the count is written and read back
    assert ratecount.count_request("ip:a", None, "api-layers", 2) == 42


def test_a_new_minute_starts_from_zero(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    start = (int(time.time() // 60) + 1) * 60 + 1.0
    monkeypatch.setattr(ratecount.time, "time", lambda: start)
    assert [ratecount.count_request("ip:a", None, "e", 0) for _ in range(3)] == [1, 2, 3]
    monkeypatch.setattr(ratecount.time, "time", lambda: start + 60)
    assert ratecount.count_request("ip:a", None, "e", 0) == 1
    # the last minute's counts were written when the minute changed
    assert ApiRateWindow.objects.get(subject="ip:a").hits == 3
    ratecount.counts_flush()
    assert sorted(ApiRateWindow.objects.values_list("hits", flat=True)) == [1, 3]
    assert ApiUsage.objects.get(endpoint="e").hits == 4


def test_refused_requests_are_noted_in_the_usage() -> None:
    ratecount.count_request("ip:a", None, "e", 1)
    ratecount.count_refused(None, "e")
    ratecount.counts_flush()
    usage = ApiUsage.objects.get(endpoint="e")
    assert (usage.hits, usage.limited) == (1, 1)

"""The report page's fee from the stored page counts of the PDF's layout: laid out once per
report revision (the key follows every input of the layout), exact, never an estimate."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from miasto.planning import wypis
from miasto.planning.models import WypisLayout, Zone
from tests.planning.test_report import site  # noqa: F401
from tests.planning.test_report_page import compile_planning_messages
from tests.territory.factories import AddressFactory


@pytest.fixture(autouse=True)
def _messages():
    compile_planning_messages()


@pytest.fixture
def layouts(monkeypatch):  # type: ignore[no-untyped-def]
    """Counts the bounded layouts (still running them)."""
    calls: list[str] = []
    real = wypis.run_bounded

    def counted(fn, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(fn.__name__)
        return real(fn, *args, **kwargs)

    monkeypatch.setattr(wypis, "run_bounded", counted)
    return calls


def _page(client, identifier: str) -> str:
    response = client.get(f"/planowanie/wypis/{identifier}/", HTTP_ACCEPT_LANGUAGE="pl")
    assert response.status_code == 200
    return response.content.decode()


def test_second_view_does_not_lay_out(client, site, layouts):  # noqa: F811
    first = _page(client, site.identifier)
    assert layouts == ["_fee"] and WypisLayout.objects.count() == 1
    second = _page(client, site.identifier)
    assert layouts == ["_fee"]  # no second layout
    fee = second.split('class="data-table wypis-fee-table"', 1)[1].split("</table>", 1)[0]
    assert fee in first  # the same fee table


def test_pdf_stores_its_counts_for_the_page(client, site, layouts):  # noqa: F811
    response = client.get(f"/api/v1/parcels/{site.identifier}/planning.pdf")
    assert response.status_code == 200
    (row,) = WypisLayout.objects.all()
    assert (row.wypis_pages, row.wyrys_pages) == (
        int(response["X-Wypis-Pages"]),
        int(response["X-Wyrys-Pages"]),
    )
    _page(client, site.identifier)
    assert layouts == ["_pdf_and_fee"]  # the page used the PDF's counts


def test_key_follows_the_data_not_the_clock(site):  # noqa: F811
    data = wypis.build([site.identifier])
    key = wypis.layout_key(data)
    assert len(key) == 64 and data.fee is None and not data.pdf_mode  # nothing left changed
    data.generated_at += dt.timedelta(hours=5)  # printed only in the page margin
    assert wypis.layout_key(data) == key
    assert wypis.layout_key(wypis.build([site.identifier])) == key
    # a zone's parameter, the parcel's register, the date of the plans: another layout
    Zone.objects.filter(designation="1MN").update(max_intensity=Decimal("1.3"))
    changed = wypis.layout_key(wypis.build([site.identifier]))
    assert changed != key
    AddressFactory(parcel=site)
    assert wypis.layout_key(wypis.build([site.identifier])) not in (key, changed)
    assert wypis.layout_key(wypis.build([site.identifier], dt.date(2018, 5, 1))) != key


def test_stored_counts_are_the_layouts(site, layouts):  # noqa: F811
    """A long wypis (more than 5 pages) from the store costs what its layout costs."""
    Zone.objects.filter(designation="1MN").update(
        rules="\n\n".join(f"§ {i}. " + "Ustalenie szczegółowe dotyczące zabudowy. " * 12
                          for i in range(1, 90))
    )  # fmt: skip
    data = wypis.build([site.identifier])
    wypis.lay_out_bounded(data)
    laid_out = data.fee
    again = wypis.build([site.identifier])
    wypis.lay_out_bounded(again)
    assert layouts == ["_fee"]
    assert again.fee == laid_out and laid_out is not None
    assert laid_out.wypis_pages > 5 and laid_out.wypis == Decimal("50.00")


def test_old_counts_are_dropped(site):  # noqa: F811
    stale = WypisLayout.objects.create(key="0" * 64, wypis_pages=1, wyrys_pages=1)
    WypisLayout.objects.filter(pk=stale.pk).update(
        created_at=stale.created_at - dt.timedelta(days=wypis.LAYOUT_KEEP_DAYS + 1)
    )
    wypis.lay_out_bounded(wypis.build([site.identifier]))
    assert not WypisLayout.objects.filter(pk=stale.pk).exists()
    assert WypisLayout.objects.count() == 1

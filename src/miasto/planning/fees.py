"""Stamp duty (opłata skarbowa) for an extract (*wypis*) and a map extract (*wyrys*) from a
plan, as versioned configuration.

The amounts change with the law, so each :class:`ExtractFees` names its legal basis and its
validity dates and :func:`fees_for` picks the one in force on a date. Add a new entry (do not
edit an old one) when the act changes.

Source: ``shared/domain/PLANNING_PL.md`` § "Extract from the plan (wypis i wyrys)" — wypis
30 zł up to 5 pages, 50 zł above; wyrys 20 zł per started A4 page, at most 200 zł (together at
most 250 zł). Tagged [S] there (secondary: consistent across municipal BIP pages); the point
of the act's annex is not given there, so it is not cited here. The right to a wypis and wyrys:
art. 30 ust. 1 of the planning act (as municipal BIP pages cite it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from miasto.core.versioning import check_versions, version_for

D = Decimal


@dataclass(frozen=True)
class ExtractFees:
    key: str
    #: of the stamp duty
    legal_basis: str
    #: of the right to an extract from a plan (what the document is issued under)
    extract_legal_basis: str
    valid_from: dt.date
    valid_to: dt.date | None
    #: wypis of at most ``wypis_pages_threshold`` pages
    wypis_short: Decimal
    #: wypis of more pages
    wypis_long: Decimal
    wypis_pages_threshold: int
    #: wyrys: per full or started part corresponding to an A4 page
    wyrys_per_page: Decimal
    #: wyrys: at most this in total
    wyrys_cap: Decimal


@dataclass(frozen=True)
class FeeCalculation:
    """The stamp duty for one document: its page counts, the amounts and the rule applied."""

    wypis_pages: int
    wyrys_pages: int
    wypis: Decimal
    wyrys: Decimal
    wyrys_capped: bool
    total: Decimal
    fees: ExtractFees


FEES: dict[str, ExtractFees] = {
    "oplata-skarbowa-2007": ExtractFees(
        key="oplata-skarbowa-2007",
        legal_basis=(
            "Ustawa z dnia 16 listopada 2006 r. o opłacie skarbowej, załącznik, część I "
            "(wydanie wypisu i wyrysu z planu zagospodarowania przestrzennego)"
        ),
        extract_legal_basis=(
            "art. 30 ust. 1 ustawy z dnia 27 marca 2003 r. o planowaniu i zagospodarowaniu "
            "przestrzennym"
        ),
        valid_from=dt.date(2007, 1, 1),
        valid_to=None,
        wypis_short=D("30.00"),
        wypis_long=D("50.00"),
        wypis_pages_threshold=5,
        wyrys_per_page=D("20.00"),
        wyrys_cap=D("200.00"),
    ),
}


def fees_for(on: dt.date | None = None) -> ExtractFees:
    """The fee configuration in force on ``on`` (today by default; ``[valid_from, valid_to)``,
    see :mod:`miasto.core.versioning`); the newest as a fallback. The fee of an extract is
    the one in force on the day it is issued, whatever the date of the plans it shows."""
    return version_for(FEES.values(), on)


check_versions(FEES.values())


def extract_fee(wypis_pages: int, wyrys_pages: int, on: dt.date | None = None) -> FeeCalculation:
    """The stamp duty for a wypis of ``wypis_pages`` pages and a wyrys of ``wyrys_pages`` A4
    pages (full or started), by the rates in force on ``on``. A part with no pages costs 0."""
    if wypis_pages < 0 or wyrys_pages < 0:
        raise ValueError("page counts cannot be negative")
    fees = fees_for(on)
    if wypis_pages == 0:
        wypis = D("0.00")
    elif wypis_pages <= fees.wypis_pages_threshold:
        wypis = fees.wypis_short
    else:
        wypis = fees.wypis_long
    uncapped = fees.wyrys_per_page * wyrys_pages
    wyrys = min(uncapped, fees.wyrys_cap)
    return FeeCalculation(
        wypis_pages=wypis_pages,
        wyrys_pages=wyrys_pages,
        wypis=wypis,
        wyrys=wyrys,
        wyrys_capped=uncapped > fees.wyrys_cap,
        total=wypis + wyrys,
        fees=fees,
    )

"""The advertising fee (*opłata reklamowa*, ustawa o podatkach i opłatach lokalnych art. 17a):
a fixed part per carrier per day plus a variable part per m² of display area per day, at the
council's rates in force each day (:class:`~miasto.advertising.models.FeeRate`).

The annual schedule is computed in one statement with date multiranges: the days a carrier
stood in the year, minus the days it or its owner was exempt (``FeeExemption``; owners marked
``fee_exempt`` pay nothing), split by the rate versions in force. A carrier is charged from
the day it was installed up to the day before it was removed.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from miasto.core import db

SCHEDULE = """
WITH yr AS (SELECT daterange(make_date(%(year)s, 1, 1), make_date(%(year)s + 1, 1, 1)) AS r),
stand AS (
  SELECT c.id, c.reference, c.kind, c.area, c.owner_id,
         daterange(coalesce(c.installed_on, lower(yr.r)), c.removed_on) * yr.r AS r
    FROM advertising_carrier c
    JOIN advertising_owner o ON o.id = c.owner_id AND NOT o.fee_exempt
   CROSS JOIN yr
   WHERE daterange(coalesce(c.installed_on, lower(yr.r)), c.removed_on) && yr.r
     AND (%(owner)s::bigint IS NULL OR c.owner_id = %(owner)s::bigint)
),
charged AS (
  SELECT s.*, datemultirange(s.r) - coalesce(
           (SELECT range_agg(daterange(e.valid_from, e.valid_to))
              FROM advertising_feeexemption e
             WHERE (e.carrier_id = s.id OR e.owner_id = s.owner_id)
               AND daterange(e.valid_from, e.valid_to) && s.r),
           '{}'::datemultirange) AS m
    FROM stand s
),
pieces AS (
  SELECT ch.id, ch.reference, ch.kind, ch.area, ch.owner_id, rt.fixed_daily,
         rt.variable_daily_per_m2,
         (SELECT coalesce(sum(upper(p) - lower(p)), 0)
            FROM unnest(ch.m * datemultirange(daterange(rt.valid_from, rt.valid_to))) p) AS days
    FROM charged ch
    JOIN advertising_feerate rt ON daterange(rt.valid_from, rt.valid_to) && ch.r
)
SELECT o.id AS owner_id, o.name AS owner, o.tax_id, p.id AS carrier_id, p.reference, p.kind,
       p.area, p.days, p.fixed_daily, p.variable_daily_per_m2,
       round(p.days * (p.fixed_daily + p.variable_daily_per_m2 * p.area), 2) AS amount
  FROM pieces p JOIN advertising_owner o ON o.id = p.owner_id
 WHERE p.days > 0
 ORDER BY o.name, o.id, p.reference, p.fixed_daily
"""


def schedule(year: int, owner: int | None = None) -> list[dict[str, Any]]:
    """The year's fee lines: one per carrier and rate version (owner, carrier, days, rates,
    amount)."""
    return db.fetch_dicts(SCHEDULE, {"year": year, "owner": owner})


def by_owner(lines: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The lines summed per owner: carriers, days, amount."""
    owners: dict[int, dict[str, Any]] = {}
    for line in lines:
        entry = owners.setdefault(
            line["owner_id"],
            {"owner_id": line["owner_id"], "owner": line["owner"], "tax_id": line["tax_id"],
             "carriers": set(), "amount": Decimal("0")},
        )  # fmt: skip
        entry["carriers"].add(line["carrier_id"])
        entry["amount"] += line["amount"]
    return [
        {**o, "carriers": len(o["carriers"]), "amount": o["amount"].quantize(Decimal("0.01"))}
        for o in owners.values()
    ]


def daily_fee(fixed: Decimal, variable: Decimal, area: Decimal) -> Decimal:
    """One day's fee for one carrier."""
    return (fixed + variable * area).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


CSV_COLUMNS = [
    "rok", "nip", "wlasciciel", "nr_nosnika", "rodzaj", "powierzchnia_m2", "dni",
    "stawka_stala_zl", "stawka_zmienna_zl_m2", "kwota_zl",
]  # fmt: skip


def schedule_csv(year: int, owner: int | None = None) -> str:
    """The schedule for the finance system: UTF-8 CSV, a header row, a dot as the decimal
    separator, one line per carrier and rate version."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for line in schedule(year, owner):
        writer.writerow(
            [year, line["tax_id"], _csv_safe(line["owner"]), line["reference"], line["kind"],
             line["area"], line["days"], line["fixed_daily"], line["variable_daily_per_m2"],
             line["amount"]]
        )  # fmt: skip
    return out.getvalue()


def _csv_safe(text: str) -> str:
    """No formula injection when the file is opened in a spreadsheet."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text

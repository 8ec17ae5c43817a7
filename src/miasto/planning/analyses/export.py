"""CSV of the analyses: UTF-8 without BOM, comma-separated, a header row with stable English
column names — as the accessibility CSV (:mod:`miasto.accessibility.selectors`). Per-parcel
and per-block rows are produced lazily so the response can be streamed."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

from miasto.planning.analyses.capacity import PARCEL_FIELDS

COVERAGE_COLUMNS = [
    "date", "scenario", "area_code", "area_name", "area", "covered_area", "area_share",
    "population", "covered_population", "population_share",
]  # fmt: skip

CAPACITY_COLUMNS = [
    "area_code", "area_name", "parcels", "area", "max_floor_area", "existing_floor_area",
    "remaining_floor_area", "residential_floor_area", "potential_dwellings",
    "potential_residents", "parcels_incomplete", "unknown_area",
]  # fmt: skip
BALANCE_COLUMNS = [
    "population", "forecast_year", "forecast_population", "needed_dwellings",
    "balance_dwellings",
]  # fmt: skip

CONFLICT_COLUMNS = [
    "rule", "severity", "plan", "plan_kind", "zone_designation", "zone_symbol",
    "constraint_kind", "constraint_name", "area", "share_of_zone", "districts", "description",
]  # fmt: skip


def _blank(value: Any) -> Any:
    return "" if value is None else value


def rows_to_csv(rows: Iterable[list[Any]]) -> Iterator[str]:
    """Each row as one CSV line (for ``StreamingHttpResponse``)."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    for row in rows:
        writer.writerow([_blank(v) for v in row])
        yield buf.getvalue()
        buf.seek(0)
        buf.truncate(0)


def coverage_rows(result: dict[str, Any]) -> Iterator[list[Any]]:
    yield COVERAGE_COLUMNS
    for entry in result["series"]:
        for code, name, f in [
            ("", "miasto", entry["city"]),
            *[(d["code"], d["name"], d) for d in entry["districts"]],
        ]:
            yield [
                entry["date"], entry["scenario"], code, name, f["area"], f["covered_area"],
                f["area_share"], f["population"], f["covered_population"], f["population_share"],
            ]  # fmt: skip


def _capacity_figures(f: dict[str, Any]) -> list[Any]:
    return [
        f["parcels"], f["area"], f["max_floor_area"], f["existing_floor_area"],
        f["remaining_floor_area"], f["residential_floor_area"], f["potential_dwellings"],
        f["potential_residents"], f["parcels_incomplete"], f["unknown_area"],
    ]  # fmt: skip


def capacity_area_rows(
    result: dict[str, Any], balance: dict[str, Any] | None = None
) -> Iterator[list[Any]]:
    """City and districts (``level=city|district``), with the balance columns if given."""
    header = list(CAPACITY_COLUMNS)
    if balance:
        header += BALANCE_COLUMNS
    yield header
    by_code = {d["code"]: d for d in (balance or {}).get("districts", [])}

    def extra(b: dict[str, Any] | None) -> list[Any]:
        if not balance:
            return []
        if b is None:
            return ["", "", "", "", ""]
        return [
            b["population"], balance["forecast_year"], b["forecast_population"],
            b["needed_dwellings"], b["balance_dwellings"],
        ]  # fmt: skip

    yield ["", "miasto", *_capacity_figures(result["city"]), *extra((balance or {}).get("city"))]
    for d in result.get("districts", []):
        yield [d["code"], d["name"], *_capacity_figures(d), *extra(by_code.get(d["code"]))]


def capacity_block_rows(blocks: Iterable[dict[str, Any]]) -> Iterator[list[Any]]:
    yield ["block", "district", *CAPACITY_COLUMNS[2:]]
    for b in blocks:
        yield [b["code"], b["district"], *_capacity_figures(b)]


def capacity_parcel_rows(parcels: Iterable[dict[str, Any]]) -> Iterator[list[Any]]:
    yield list(PARCEL_FIELDS)
    for p in parcels:
        yield [p[f] for f in PARCEL_FIELDS]


def conflict_rows(result: dict[str, Any]) -> Iterator[list[Any]]:
    yield CONFLICT_COLUMNS
    for c in result["conflicts"]:
        z = c["zone"]
        yield [
            c["rule"], c["severity"], z["plan_local_id"], z["plan_kind"], z["designation"],
            z["symbol"], c["constraint"]["kind"], c["constraint"]["name"], c["area"],
            c["share_of_zone"], ";".join(d["code"] for d in c["districts"]), c["description"],
        ]  # fmt: skip

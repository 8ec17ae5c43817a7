"""Reads of the accessibility results (shares per district and city; one parcel's answers)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from miasto.accessibility.models import Run, Share, Standard
from miasto.core.db import fetch_all, fetch_one, fetch_value
from miasto.territory.models import Building

#: why a parcel has no answers (the standards are computed for residential parcels only)
NOT_RESIDENTIAL_NOTE = (
    "Działka bez budynku mieszkalnego: standardy dostępności liczone są "
    "tylko dla działek mieszkaniowych."
)


def _pct(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def _standard_json(s: Standard) -> dict[str, Any]:
    return {
        "code": s.code,
        "version": s.version,
        "name": s.name,
        "mandatory": s.mandatory,
        "service_kinds": list(s.service_kinds),
        "distance_m": s.distance_m,
        "min_area_ha": float(s.min_area_ha) if s.min_area_ha is not None else None,
        "rule": s.aggregate,
        "legal_basis": s.legal_basis,
        "valid_from": s.valid_from.isoformat(),
        "valid_to": s.valid_to.isoformat() if s.valid_to else None,
    }


def app_standard_values(on: dt.date | None = None) -> dict[str, float]:
    """The values of the standards in force on ``on`` (today by default) by the APP attribute
    of the accessibility-standards area they fill (:attr:`Standard.app_element`: the
    distance in m; :attr:`Standard.app_area_element`: the minimum area in m²) — what a
    general plan's area that states none of its own is exported with. The first standard in
    their order wins where two fill one attribute."""
    values: dict[str, float] = {}
    for s in Standard.objects.active(on).order_by("order", "code", "-version"):
        if s.app_element:
            values.setdefault(s.app_element, float(s.distance_m))
        if s.app_area_element and s.min_area_ha is not None:
            values.setdefault(s.app_area_element, float(s.min_area_ha) * 10_000)
    return values


def _share_json(share: Share) -> dict[str, Any]:
    return {
        "parcels": share.parcels,
        "parcels_met": share.parcels_met,
        "parcels_met_pct": _pct(share.parcels_met, share.parcels),
        "residents": share.residents,
        "residents_met": share.residents_met,
        "residents_met_pct": _pct(share.residents_met, share.residents),
    }


def accessibility_summary(standard_code: str | None = None) -> dict[str, Any]:
    """Per active standard: the city's and each district's shares (latest computation)."""
    standards = list(Standard.objects.active())
    if standard_code is not None:
        standards = [s for s in standards if s.code == standard_code]
    shares = (
        Share.objects.filter(standard__in=standards)
        .select_related("district", "run")
        .order_by("district__code")
    )
    by_std: dict[int, list[Share]] = {}
    for share in shares:
        by_std.setdefault(share.standard_id, []).append(share)
    out = []
    for s in standards:
        rows = by_std.get(s.pk, [])
        city = next((r for r in rows if r.district_id is None), None)
        out.append(
            {
                "standard": _standard_json(s),
                "computed_at": city.run.finished_at.isoformat()
                if city and city.run.finished_at
                else None,
                "city": _share_json(city) if city else None,
                "districts": [
                    {"code": r.district.code, "name": r.district.name, **_share_json(r)}
                    for r in rows
                    if r.district is not None
                ],
            }
        )
    last = Run.objects.filter(status=Run.Status.DONE).order_by("-started_at").first()
    return {
        "last_run": {
            "id": last.pk,
            "finished_at": last.finished_at.isoformat() if last.finished_at else None,
            "duration_s": last.duration_s,
        }
        if last
        else None,
        "standards": out,
    }


CSV_COLUMNS = [
    "standard", "version", "mandatory", "distance_m", "min_area_ha", "area_code", "area_name",
    "parcels", "parcels_met", "parcels_met_pct", "residents", "residents_met", "residents_met_pct",
]  # fmt: skip


def accessibility_summary_csv(summary: dict[str, Any]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(CSV_COLUMNS)
    for item in summary["standards"]:
        std = item["standard"]
        rows = []
        if item["city"]:
            rows.append({"code": "", "name": "miasto", **item["city"]})
        rows.extend(item["districts"])
        for r in rows:
            writer.writerow(
                [
                    std["code"], std["version"], std["mandatory"], std["distance_m"],
                    std["min_area_ha"] if std["min_area_ha"] is not None else "",
                    r["code"], r["name"], r["parcels"], r["parcels_met"],
                    r["parcels_met_pct"] if r["parcels_met_pct"] is not None else "",
                    r["residents"], r["residents_met"],
                    r["residents_met_pct"] if r["residents_met_pct"] is not None else "",
                ]
            )  # fmt: skip
    return buf.getvalue()


def parcel_accessibility(identifier: str) -> dict[str, Any] | None:
    """The parcel's answer per active standard; None when there is no such parcel."""
    row = fetch_one("SELECT id FROM territory_parcel WHERE identifier = %s", [identifier])
    if row is None:
        return None
    parcel_id = row[0]
    rows = fetch_all(
        """
        SELECT r.standard_id, r.met, r.distance_m, s.id, s.name, s.kind, r.run_id
        FROM accessibility_result r
        LEFT JOIN territory_publicservice s ON s.id = r.service_id
        WHERE r.parcel_id = %s
        """,
        [parcel_id],
    )
    results = {r[0]: r[1:] for r in rows}
    residential = fetch_value(
        """
        SELECT EXISTS (SELECT 1 FROM territory_building
                       WHERE parcel_id = %s AND use = ANY(%s))
        """,
        [parcel_id, [str(u) for u in Building.RESIDENTIAL_USES]],
    )
    standards = []
    for s in Standard.objects.active():
        res = results.get(s.pk)
        item: dict[str, Any] = {"standard": _standard_json(s), "computed": res is not None}
        if res is not None:
            met, distance, sid, sname, skind, _run = res
            item.update(
                {
                    "met": met,
                    "distance_m": distance,
                    "nearest_service": {"id": sid, "name": sname, "kind": skind} if sid else None,
                }
            )
        standards.append(item)
    return {
        "identifier": identifier,
        "residential": residential,
        "note": None if residential else NOT_RESIDENTIAL_NOTE,
        "standards": standards,
    }

"""Blocking rules and the score of a quality report.

Blocking rules: :data:`DEFAULT_RULES` (and :data:`SPINE_RULES` for spine targets), overridden
per dataset by ``Dataset.quality_rules``. A rule set to ``None`` never blocks.
"""

from __future__ import annotations

from typing import Any

#: Blocking rules for every dataset (``max_*``: block when the count/share is above it).
DEFAULT_RULES: dict[str, Any] = {
    "max_outside_city_share": 0.5,  # share of features not intersecting the city
    "block_swapped_axes": True,
    "block_wrong_crs": True,  # extent outside Poland
    "max_unrepairable_geometries": 0,
    "max_duplicate_keys": None,  # generic datasets: reported only
    "max_empty_geometries": None,
    "max_parcel_overlaps": 0,
    "max_parcel_gaps": None,
    "max_invalid_keys": None,
    # spine layers: refuse to publish a version that would delete more than this share of the
    # layer (a partial delivery mistaken for the whole layer)
    "max_removed_share": 0.5,
    # tolerances and limits
    "overlap_tolerance_m2": 1.0,
    "gap_tolerance_m2": 1.0,
    "gaps_max_features": 300_000,  # skip the (union-based) gap check above this size
    "list_limit": 100,
    # parcels: test only the geometries not found unchanged in an earlier version that had no
    # overlaps and no invalid geometry (false: every geometry, every pair, each time)
    "incremental_check": True,
}
#: Stricter defaults for spine layers (parcels, buildings…).
SPINE_RULES: dict[str, Any] = {
    "max_duplicate_keys": 0,
    "max_empty_geometries": 0,
    "max_invalid_keys": 0,
}


def rules_for(target_is_spine: bool, overrides: dict[str, Any] | None) -> dict[str, Any]:
    rules = dict(DEFAULT_RULES)
    if target_is_spine:
        rules.update(SPINE_RULES)
    rules.update(overrides or {})
    return rules


def blocking(report: dict[str, Any], rules: dict[str, Any]) -> list[dict[str, str]]:
    checks = report["checks"]
    out: list[dict[str, str]] = []

    def above(rule: str, value: float | None) -> bool:
        limit = rules.get(rule)
        return limit is not None and value is not None and value > limit

    out_city = checks.get("outside_city", {})
    if above("max_outside_city_share", out_city.get("share")):
        out.append(
            {
                "rule": "max_outside_city_share",
                "message": f"{out_city['share']:.0%} obiektów leży poza granicą miasta "
                f"(dopuszczalne {rules['max_outside_city_share']:.0%}).",
            }
        )
    crs = checks.get("crs", {})
    if rules.get("block_swapped_axes") and crs.get("swapped_axes"):
        out.append({"rule": "block_swapped_axes", "message": crs["message"]})
    if rules.get("block_wrong_crs") and crs.get("wrong_crs"):
        out.append({"rule": "block_wrong_crs", "message": crs["message"]})
    inv = checks["invalid_geometries"]
    if above("max_unrepairable_geometries", inv["unrepairable"]):
        out.append(
            {
                "rule": "max_unrepairable_geometries",
                "message": f"{inv['unrepairable']} geometrii nie da się naprawić.",
            }
        )
    dup = checks.get("duplicate_keys")
    if dup and above("max_duplicate_keys", dup["count"]):
        first = dup["items"][0]
        out.append(
            {
                "rule": "max_duplicate_keys",
                "message": f"Powtórzone klucze: {dup['count']} (np. „{first['key']}” w obiektach "
                f"{', '.join(map(str, first['fids']))}).",
            }
        )
    bad = checks.get("invalid_keys")
    if bad and above("max_invalid_keys", bad["count"]):
        first = bad["items"][0]
        out.append(
            {
                "rule": "max_invalid_keys",
                "message": f"Błędne identyfikatory: {bad['count']} (np. obiekt nr {first['fid']}: "
                f"„{first['key']}”).",
            }
        )
    empty = checks["empty_geometries"]["count"] + checks["null_geometries"]["count"]
    if above("max_empty_geometries", empty):
        out.append(
            {"rule": "max_empty_geometries", "message": f"{empty} obiektów nie ma geometrii."}
        )
    ov = checks.get("overlaps")
    if ov and above("max_parcel_overlaps", ov["count"]):
        first = ov["items"][0]
        out.append(
            {
                "rule": "max_parcel_overlaps",
                "message": f"{ov['count']} par działek nachodzi na siebie o więcej niż "
                f"{ov['tolerance_m2']} m² (np. obiekty {first['a']} i {first['b']}: "
                f"{first['area']} m²).",
            }
        )
    gaps = checks.get("gaps")
    if gaps and above("max_parcel_gaps", gaps.get("count")):
        out.append(
            {
                "rule": "max_parcel_gaps",
                "message": f"{gaps['count']} luk między działkami większych niż "
                f"{gaps['tolerance_m2']} m².",
            }
        )
    return out


def score(report: dict[str, Any]) -> float:
    """0–100: 100 minus weighted shares of problem features (and fixed penalties)."""
    n = report["feature_count"] or 0
    if n == 0:
        return 0.0
    c = report["checks"]

    def share(check: str, count: str = "count") -> float:
        return min(1.0, (c.get(check, {}).get(count) or 0) / n)

    penalty = (
        30 * share("invalid_geometries")
        + 30 * share("invalid_geometries", "unrepairable")
        + 20 * (share("empty_geometries") + share("null_geometries"))
        + 10 * share("duplicate_geometries")
        + 20 * share("duplicate_keys")
        + 20 * share("invalid_keys")
        + 30 * share("outside_city")
        + 20 * share("overlaps")
        + 10 * min(1.0, (c.get("gaps", {}).get("count") or 0) / max(1.0, n / 100))
    )
    if c.get("crs", {}).get("swapped_axes") or c.get("crs", {}).get("wrong_crs"):
        penalty += 50
    completeness = report.get("completeness") or {}
    if completeness:
        penalty += 10 * (1 - sum(completeness.values()) / len(completeness))
    return round(max(0.0, 100.0 - penalty), 1)

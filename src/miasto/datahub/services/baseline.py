"""The earlier version a new one is checked against, and whether the spine holds it exactly."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Case, When

from miasto.datahub.importers import PARCEL_ID_SQL, ImportTarget
from miasto.datahub.models import Dataset, DatasetVersion


@dataclass(frozen=True)
class Baseline:
    """An earlier parcels version a new one is checked against (:func:`baseline_for`)."""

    version: DatasetVersion | None = None
    key: str | None = None  # its key column, if every key there was valid by today's pattern
    city: str | None = None  # the city's fingerprint, if nothing there lay outside the city
    unique: bool = False  # no geometry was there twice

    @property
    def table(self) -> str | None:
        return self.version.table_name if self.version else None


def baseline_for(dataset: Dataset, target: ImportTarget, rules: dict[str, Any]) -> Baseline:
    """The earlier parcels version to check a new one against (see
    :func:`quality.quality_check`): this dataset's current version, else the newest current
    version of another parcels dataset, whose report found no overlaps (at a tolerance not
    above today's) and no geometry left invalid. Version tables never change once made, so
    the geometries (and keys) found there unchanged are valid and do not overlap each other.

    ``Baseline()`` (no version: every geometry checked) when there is none, for other targets,
    or when the dataset's rule ``incremental_check`` is off."""
    if target.key != "parcels" or not rules.get("incremental_check", True):
        return Baseline()
    tol = float(rules.get("overlap_tolerance_m2") or 0)
    candidates = DatasetVersion.objects.filter(
        is_current=True, status=DatasetVersion.Status.READY, dataset__target=target.key
    ).order_by(Case(When(dataset_id=dataset.pk, then=0), default=1), "-finished_at", "-pk")
    fields = ("pk", "quality", "attributes", "feature_count")
    for version in candidates.only(*fields)[:20]:
        report = version.quality or {}
        checks = report.get("checks", {})
        overlaps = checks.get("overlaps") or {}
        invalid = checks.get("invalid_geometries") or {}
        keys = checks.get("invalid_keys") or {}
        if (
            overlaps.get("count") == 0
            and float(overlaps.get("tolerance_m2") or 0) <= tol
            and invalid.get("unrepairable") == 0
        ):
            key_columns = report.get("key_columns") or []
            valid_keys = (
                keys.get("count") == 0
                and keys.get("pattern") == PARCEL_ID_SQL
                and len(key_columns) == 1
            )
            outside = checks.get("outside_city") or {}
            return Baseline(
                version,
                key_columns[0] if valid_keys else None,
                outside.get("city") if outside.get("count") == 0 else None,
                (checks.get("duplicate_geometries") or {}).get("count") == 0,
            )
    return Baseline()


def spine_holds(
    baseline: DatasetVersion | None,
    target: ImportTarget,
    mapping: dict[str, str],
    columns: dict[str, str],
) -> tuple[list[str], int]:
    """The mapped columns of the version being imported, and the number of rows of the
    ``baseline``, when the spine holds exactly that version — published from it and not
    written since (its report's ``published_state`` is the spine's state now), with the same
    mapping and column types — so that publishing can be classified from what changed since
    (:meth:`~miasto.datahub.importers.SpineTarget.plan_from_changes`); else ``[], 0``."""
    if baseline is None or not target.is_spine:
        return [], 0
    report = baseline.quality or {}
    if not report.get("published_state") or report.get("mapping") != mapping:
        return [], 0
    mapped = sorted(set(mapping.values()))
    types = {a["name"]: a["type"] for a in baseline.attributes or []}
    if any(types.get(c) != columns.get(c) for c in mapped):
        return [], 0
    if report["published_state"] != target.published_state():
        return [], 0
    return mapped, int(baseline.feature_count or 0)

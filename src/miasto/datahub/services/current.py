"""The current version of a dataset: making a version current (publishing it into the spine
for spine targets) and rollback to an earlier one."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from miasto.core import db
from miasto.core.audit import acting_as, audit_record_bulk
from miasto.core.jobs import JobError
from miasto.datahub import quality
from miasto.datahub.events import version_published
from miasto.datahub.importers import ImportTarget, PublishOptions, PublishPlan, get_target
from miasto.datahub.models import Dataset, DatasetVersion
from miasto.datahub.services.datasets import actor_source


def make_current(
    version: DatasetVersion,
    mapping: dict[str, str] | None = None,
    plan: PublishPlan | None = None,
    lookups: str | None = None,
) -> dict[str, int]:
    """Inside a transaction: flag ``version`` current and publish it to the spine (``plan``:
    its rows classified ahead, see :meth:`~miasto.datahub.importers.SpineTarget.plan_ahead`;
    ``lookups``: the table of lookup rows made ahead,
    :meth:`~miasto.datahub.importers.SpineTarget.lookups_ahead`)."""
    DatasetVersion.objects.filter(dataset_id=version.dataset_id, is_current=True).exclude(
        pk=version.pk
    ).update(is_current=False)
    DatasetVersion.objects.filter(pk=version.pk).update(is_current=True)
    version.is_current = True
    target = get_target(version.dataset.target)
    counts: dict[str, int] = {}
    if target.is_spine:
        if mapping is None:
            mapping = version.quality.get("mapping") or target.resolve_mapping(
                version.dataset.field_mapping, [a["name"] for a in version.attributes]
            )
        counts = _publish(version, target, mapping, plan, lookups)
    audit_record_bulk(
        model=DatasetVersion,
        action="update",
        count=version.feature_count or 0,
        note=f"{version} jest bieżącą wersją",
    )
    if counts:  # (and the spine's state it leaves: see baseline.spine_holds)
        version.quality = {
            **version.quality,
            "published": counts,
            "published_state": target.published_state(),
        }
        DatasetVersion.objects.filter(pk=version.pk).update(quality=version.quality)
    version_published(version)
    return counts


def passed_checks(version: DatasetVersion, key_columns: list[str]) -> set[str]:
    """The checks publishing need not repeat: those of the version's quality report that found
    nothing on the same key columns, and ``filled:<column>`` for the source columns filled in
    every row (their required fields need no check either)."""
    report = version.quality or {}
    passed = (
        {
            name
            for name, check in (report.get("checks") or {}).items()
            if isinstance(check, dict) and check.get("count") == 0
        }
        if report.get("key_columns") == key_columns
        else set()
    )
    passed |= {
        f"filled:{column}"
        for column, n in (report.get("filled") or {}).items()
        if n == version.feature_count
    }
    return passed


def _publish(
    version: DatasetVersion,
    target: ImportTarget,
    mapping: dict[str, str],
    plan: PublishPlan | None,
    lookups: str | None,
) -> dict[str, int]:
    """Publish ``version`` into its spine target; the counts of added, changed, removed rows."""
    rules = quality.rules_for(True, version.dataset.quality_rules)
    # whole-layer hash joins (SET LOCAL, with the value as a parameter)
    db.execute("SELECT set_config('work_mem', %s, true)", [quality.BATCH_WORK_MEM])
    counts: dict[str, int] = target.publish(
        version.table_name,
        mapping,
        PublishOptions(
            max_removed_share=float(rules["max_removed_share"]),
            passed=passed_checks(version, target.key_columns(mapping)),
            plan=plan,
            lookups=lookups,
        ),
    )
    assert target.model is not None
    audit_record_bulk(
        model=target.model,
        action="bulk_load",
        count=sum(counts.values()),
        note=f"{version}: +{counts.get('added', 0)} ~{counts.get('changed', 0)} "
        f"-{counts.get('removed', 0)}",
    )
    return counts


def version_set_current(version: DatasetVersion, user: Any = None) -> DatasetVersion:
    """Make an earlier (or any ready) version current — a rollback; publishes spine targets."""
    if version.status != DatasetVersion.Status.READY:
        raise JobError(
            f"Wersja {version.number} ma status „{version.get_status_display()}” — "
            "bieżącą może zostać tylko wersja gotowa."
        )
    with transaction.atomic(), acting_as(user, actor_source()):
        Dataset.objects.select_for_update().get(pk=version.dataset_id)
        make_current(version)
    return version

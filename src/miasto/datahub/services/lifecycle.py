"""A dataset's life after it was made: removed when the import it was made for failed,
archived (hidden, kept) and restored, deleted with everything it holds.

Archiving sets :attr:`Dataset.archived_at`; :mod:`miasto.datahub.permissions` hides an
archived dataset from every read (catalogue, search, APIs, tiles, exports) but the staff's
"archived" filter and page. Deleting removes the versions, their tables in ``datahub_data``,
the uploads still waiting under the work folder and the cached tiles of each version, and
writes the audit log; rows a spine layer holds from it stay in the spine (other records refer
to them), so a dataset that is the current source of a spine layer is deleted only when the
caller says so explicitly (:class:`DeletionRefused` otherwise).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from miasto.core import db, tilecache
from miasto.core.audit import acting_as, audit_record_bulk
from miasto.core.jobs import JobError
from miasto.core.models import Job
from miasto.datahub import cleanup
from miasto.datahub.importers import import_targets
from miasto.datahub.layers import PREFIX
from miasto.datahub.models import Dataset, DatasetVersion
from miasto.datahub.services.datasets import actor_source
from miasto.datahub.services.tables import drop_table

ACTIVE = (Job.Status.QUEUED, Job.Status.RUNNING)


class DeletionRefused(JobError):
    """A dataset that is the current source of a spine layer, asked to go without saying so."""


def imports_active(dataset_id: int, *, besides: int | None = None) -> bool:
    """Is an import of this dataset queued or running (other than job ``besides``)?"""
    jobs = Job.objects.filter(kind="datahub.import", status__in=ACTIVE)
    jobs = jobs.filter(payload__dataset_id=dataset_id)
    return jobs.exclude(pk=besides).exists() if besides else jobs.exists()


def discard_unused(dataset_id: int, *, job: int | None = None, user: Any = None) -> bool:
    """Remove a dataset made for an import that failed: only while it has no version and no
    other import of it waits (``job``: the failed one's job). Whether it was removed."""
    with transaction.atomic(), acting_as(user, actor_source()):
        dataset = Dataset.objects.select_for_update().filter(pk=dataset_id).first()
        if dataset is None or dataset.versions.exists():
            return False
        if imports_active(dataset_id, besides=job):
            return False
        dataset.delete()  # (recorded in the audit log: the model is audited)
    return True


def dataset_archive(dataset: Dataset, *, user: Any = None) -> Dataset:
    """Hide the dataset everywhere but the staff's "archived" filter; its versions stay."""
    if dataset.archived_at is None:
        with transaction.atomic(), acting_as(user, actor_source()):
            dataset.archived_at = timezone.now()
            dataset.save(update_fields=["archived_at", "modified_at"])
    return dataset


def dataset_restore(dataset: Dataset, *, user: Any = None) -> Dataset:
    """Bring an archived dataset back where it was."""
    if dataset.archived_at is not None:
        with transaction.atomic(), acting_as(user, actor_source()):
            dataset.archived_at = None
            dataset.save(update_fields=["archived_at", "modified_at"])
    return dataset


@dataclass(frozen=True)
class VersionGone:
    """One version of a deletion: its number, status, rows and its table (if it exists)."""

    number: int
    status: str
    rows: int | None
    table: str | None

    @property
    def status_label(self) -> str:
        return str(DatasetVersion.Status(self.status).label)


@dataclass(frozen=True)
class DeletionPlan:
    """What deleting a dataset removes (:func:`deletion_plan`)."""

    dataset: Dataset
    versions: list[VersionGone] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    tile_dirs: list[Path] = field(default_factory=list)
    #: the spine layer this dataset is the current source of (its label), and its rows
    spine_layer: str = ""
    spine_rows: int = 0
    #: an import of it is queued or running
    busy: bool = False

    @property
    def tables(self) -> list[str]:
        return [v.table for v in self.versions if v.table]

    @property
    def spine_source(self) -> bool:
        return bool(self.spine_layer)


def _existing_tables(versions: list[DatasetVersion]) -> set[str]:
    names = [f"v{v.pk}" for v in versions]
    found = db.fetch_all(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'datahub_data' AND tablename = ANY(%s)",
        [names],
    )
    return {f"datahub_data.{r[0]}" for r in found}


def _upload_files(dataset: Dataset) -> list[Path]:
    """Uploads for imports of this dataset still under the work folder."""
    root = cleanup.upload_dir_root().resolve()
    paths = Job.objects.filter(kind="datahub.import", payload__dataset_id=dataset.pk)
    found = []
    for raw in paths.values_list("payload__path", flat=True):
        path = Path(str(raw or "")).resolve()
        if raw and path.is_relative_to(root) and path.parent != root and path.exists():
            found.append(path.parent)  # (each upload has a folder of its own)
    return sorted(set(found))


def _tile_dirs(dataset: Dataset, versions: list[DatasetVersion]) -> list[Path]:
    """Cached tiles of the dataset's layer, one folder per version (``…-v<pk>``)."""
    root = tilecache.cache_root()
    folder = root / f"{PREFIX}{dataset.slug}" if root is not None else None
    if folder is None or not folder.is_dir():
        return []
    keys = tuple(f"-v{v.pk}" for v in versions)
    return sorted(p for p in folder.iterdir() if p.is_dir() and p.name.endswith(keys))


def _spine_source(dataset: Dataset) -> tuple[str, int]:
    """The spine layer (label) whose rows this dataset's current version published, and how
    many rows it holds; ``("", 0)`` for a generic dataset or one with no current version."""
    target = import_targets.get(dataset.target)
    if target is None or not target.is_spine:
        return "", 0
    current = dataset.versions.filter(is_current=True, status=DatasetVersion.Status.READY)
    if not current.exists():
        return "", 0
    assert target.model is not None
    return str(target.label), target.model._default_manager.count()


def deletion_plan(dataset: Dataset) -> DeletionPlan:
    """What :func:`dataset_delete` would remove (shown for confirmation)."""
    versions = list(dataset.versions.order_by("number"))
    tables = _existing_tables(versions)
    layer, rows = _spine_source(dataset)
    return DeletionPlan(
        dataset,
        [
            VersionGone(
                v.number,
                v.status,
                v.feature_count,
                v.table_name if v.table_name in tables else None,
            )
            for v in versions
        ],
        _upload_files(dataset),
        _tile_dirs(dataset, versions),
        layer,
        rows,
        imports_active(dataset.pk),
    )


def dataset_delete(dataset: Dataset, *, user: Any = None, spine: bool = False) -> DeletionPlan:
    """Delete the dataset with everything :func:`deletion_plan` names; ``spine``: say that a
    dataset that is the current source of a spine layer may go (its rows stay in the layer).
    What was removed."""
    plan = deletion_plan(dataset)
    if plan.busy:
        raise JobError(
            "Trwa import do tego zbioru danych; poczekaj, aż się skończy (albo go anuluj), "
            "i usuń zbiór potem."
        )
    if plan.spine_source and not spine:
        raise DeletionRefused(
            f"Zbiór „{dataset.slug}” jest bieżącym źródłem warstwy „{plan.spine_layer}” "
            f"({plan.spine_rows} obiektów). Usunięcie trzeba potwierdzić wprost; obiekty "
            "zostaną w warstwie, ale stracą swoje źródło."
        )
    with transaction.atomic(), acting_as(user, actor_source()):
        Dataset.objects.select_for_update().get(pk=dataset.pk)
        for table in plan.tables:
            drop_table(table)
        removed = dataset.versions.all().delete()[0]
        audit_record_bulk(
            model=DatasetVersion,
            action="delete",
            count=removed,
            note=_audit_note(plan),
        )
        dataset.delete()
    for folder in [*plan.files, *plan.tile_dirs]:
        shutil.rmtree(folder, ignore_errors=True)
    return plan


def _audit_note(plan: DeletionPlan) -> str:
    """One line for the audit log: the dataset and what went with it."""
    versions = ", ".join(f"v{v.number} ({v.rows or 0})" for v in plan.versions) or "—"
    spine = f"; źródło warstwy {plan.spine_layer}" if plan.spine_source else ""
    return (
        f"usunięty zbiór {plan.dataset.slug}: wersje {versions}; tabele {len(plan.tables)}; "
        f"pliki {len(plan.files)}; kafle {len(plan.tile_dirs)}{spine}"
    )

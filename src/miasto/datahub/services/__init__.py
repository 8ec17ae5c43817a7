"""Data hub writes: datasets, versioned imports, current version / rollback, diffs.

:func:`version_import` runs the import pipeline (:mod:`.pipeline`, its steps in :mod:`.steps`):
check the upload (size, content, ZIP/XML guards), load it with ``ogr2ogr`` (COPY) into a
staging table in ``datahub_data``, check and repair it (:mod:`miasto.datahub.quality`), then —
atomically — create the :class:`DatasetVersion`, rename the staging table to the version's table
and, unless a blocking quality rule failed, make it current (publishing it into the spine for
spine targets). On any failure nothing is left behind: no version, no table, no temporary file;
the previous version stays current, and a :class:`~miasto.core.jobs.JobError` carries a Polish
message.

Modules: :mod:`.datasets` (create, update), :mod:`.pipeline` (the steps' order, failure and
clean-up), :mod:`.run` (the record carried through the steps), :mod:`.steps`, :mod:`.sources`
(CSV layout, encodings, CRS guess), :mod:`.geometry` (checks of the loaded geometry),
:mod:`.presets` (a national schema's preset: its layer, lookups and computed columns),
:mod:`.baseline` (the earlier version checked against), :mod:`.current` (current version,
rollback, publishing), :mod:`.diff` (version diff), :mod:`.tables` (table names, columns),
:mod:`.lifecycle` (a dataset made for a failed import removed; archive, restore, delete).
"""

from miasto.datahub.services.baseline import Baseline
from miasto.datahub.services.current import make_current, version_set_current
from miasto.datahub.services.datasets import dataset_create, dataset_update
from miasto.datahub.services.diff import version_diff
from miasto.datahub.services.lifecycle import (
    DeletionPlan,
    DeletionRefused,
    dataset_archive,
    dataset_delete,
    dataset_restore,
    deletion_plan,
    discard_unused,
)
from miasto.datahub.services.pipeline import STEPS, Step, run_import, version_import
from miasto.datahub.services.run import ImportRequest, ImportRun
from miasto.datahub.services.tables import drop_table

__all__ = [
    "STEPS",
    "Baseline",
    "DeletionPlan",
    "DeletionRefused",
    "ImportRequest",
    "ImportRun",
    "Step",
    "dataset_archive",
    "dataset_create",
    "dataset_delete",
    "dataset_restore",
    "dataset_update",
    "deletion_plan",
    "discard_unused",
    "drop_table",
    "make_current",
    "run_import",
    "version_diff",
    "version_import",
    "version_set_current",
]

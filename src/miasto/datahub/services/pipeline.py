"""The import pipeline: a file becomes a new version of a dataset through named steps.

:data:`STEPS` is the declared order; :func:`run_import` runs them on one
:class:`~miasto.datahub.services.run.ImportRun` and is the one place that handles failure: the
staging table and its work tables, the work folder and the lock of the run's token are removed
whatever happens, and a failed import leaves no version and no table behind (the previous
version stays current). A step can be inserted where the list says (a preset choosing a
national schema's mapping goes after ``describe``: it sees the layer, and the load and the
field mapping follow it).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypedDict, Unpack

from miasto.datahub import cleanup, files
from miasto.datahub.models import Dataset, DatasetVersion
from miasto.datahub.services import presets, steps
from miasto.datahub.services.run import ImportRequest, ImportRun, Progress
from miasto.datahub.services.tables import drop_table


@dataclass(frozen=True)
class Step:
    """A named step of the import (``run`` records what it finds on the run)."""

    name: str
    run: Callable[[ImportRun], None]


#: The import's steps, in order (see docs/datahub.md, "Import: why the steps are shaped as
#: they are").
STEPS: tuple[Step, ...] = (
    Step("inspect", steps.inspect),  # the upload checked: size, content, ZIP and XML guards
    Step("describe", steps.describe),  # the layer or CSV layout: attributes, open options
    Step("preset", presets.choose_preset),  # a national schema's preset: its layer, options
    Step("detect_crs", steps.detect_crs),  # declared, the file's own, or guessed
    Step("load", steps.load),  # ogr2ogr into the staging table
    Step("name_columns", steps.name_columns),  # plain names of a KML's, Shapefile's columns
    Step("preset_fields", presets.preset_fields),  # the preset's lookups and computed columns
    Step("check_geometry", steps.check_geometry),  # features, one geometry family, multi-part
    Step("map_fields", steps.map_fields),  # the target's fields and the key columns
    Step("baseline", steps.baseline),  # the rules and the earlier version to compare with
    Step("quality", steps.check_quality),  # the quality report; publishing classified beside
    Step("prepare", steps.prepare),  # lookup rows made ahead of publishing
    Step("publish", steps.publish),  # the version, its table, made current
)


def step_index(name: str, steps_: Sequence[Step] = STEPS) -> int:
    """The position of the step called ``name`` (to insert a step before or after it)."""
    return next(i for i, step in enumerate(steps_) if step.name == name)


def run_import(request: ImportRequest, steps_: Sequence[Step] = STEPS) -> DatasetVersion:
    """Run ``steps_`` on a new run of ``request``; the version made (see the module
    docstring for what a failure leaves)."""
    run = ImportRun.new(request)
    cleanup.import_lock(run.token)
    try:
        run.workdir.mkdir(parents=True, exist_ok=False)
        for step in steps_:
            step.run(run)
    except Exception:
        drop_table(run.staging)
        raise
    finally:
        release(run)
    assert run.version is not None, "the last step publishes the version"
    return run.version


def release(run: ImportRun) -> None:
    """What the run holds besides its version, removed on success and on failure: the work
    done beside (waited for), the work tables of publishing, the work folder, the lock."""
    if run.ahead is not None:
        steps.result_of(run.ahead)  # (its table exists once it ends)
    if run.target.is_spine:  # (also what a failed lookups_ahead left)
        for suffix in ("_plan", "_lookups", "_lookups_keys", "_diff"):
            drop_table(f"{run.staging}{suffix}")  # (_diff: kept by the check for the plan)
    for table in run.lookup_tables.values():
        drop_table(table)
    files.cleanup(run.workdir)
    cleanup.import_unlock(run.token)


class ImportOptions(TypedDict, total=False):
    """The optional arguments of :func:`version_import` (fields of :class:`ImportRequest`)."""

    user: Any
    crs: str | None
    layer: str | None
    progress: Progress | None
    mapping: dict[str, str] | None
    note: str
    source_layers: tuple[str, ...]
    all_layers: bool
    column_types: dict[str, str] | None
    preset: str | None


def version_import(
    *, dataset: Dataset, path: str | Path, source_name: str, **options: Unpack[ImportOptions]
) -> DatasetVersion:
    """Import a file as a new version of ``dataset``: :func:`run_import` of an
    :class:`ImportRequest` (whose fields ``options`` are)."""
    return run_import(ImportRequest(dataset, Path(path), source_name, **options))

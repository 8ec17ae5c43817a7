"""The record an import carries through its steps (:mod:`miasto.datahub.services.pipeline`).

:class:`ImportRequest` is what the caller asks for (frozen); :class:`ImportRun` is the work of
one import: its token (naming the work folder and the staging table), its clock, and what each
step found, for the steps after it. A step reads the fields earlier steps filled and fills its
own; each can be run alone on a run whose earlier fields a test set by hand.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from psycopg import sql

from miasto.datahub import cleanup, gdal
from miasto.datahub.columns import ColumnPlan
from miasto.datahub.columns import plan as columns_plan
from miasto.datahub.files import SourceFile
from miasto.datahub.importers import ImportTarget, PublishPlan, get_target
from miasto.datahub.models import DATA_SCHEMA, Dataset, DatasetVersion
from miasto.datahub.presets.base import LayerMapping
from miasto.datahub.services.baseline import Baseline
from miasto.datahub.services.sources import CsvLayout

Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class ImportRequest:
    """An import asked for: a file as a new version of ``dataset``.

    ``mapping`` (``{target_field: source_column}``) overrides the dataset's saved mapping
    and, when the import succeeds, is saved on the dataset; ``crs`` overrides the file's CRS;
    ``layer``: the layer of a file with several; ``source_layers``: several of its layers
    loaded into one table with a ``layer`` column; ``all_layers``: every layer with a
    geometry (a file with several such layers and no choice is refused, never read from its
    first layer only); ``column_types``: ``{column: text | integer | decimal | date}`` chosen
    by the steward; ``preset``: the key of the import preset to read a national schema's file
    with (``None``: recognised from the file, ``"none"``: no preset)."""

    dataset: Dataset
    path: Path
    source_name: str
    user: Any = None
    crs: str | None = None
    layer: str | None = None
    progress: Progress | None = None
    mapping: dict[str, str] | None = None
    note: str = ""
    source_layers: tuple[str, ...] = ()
    all_layers: bool = False
    column_types: dict[str, str] | None = None
    preset: str | None = None

    @property
    def chosen_layers(self) -> tuple[str, ...]:
        """The layers asked for by name (``source_layers``, else ``layer``)."""
        return self.source_layers or ((self.layer,) if self.layer else ())


@dataclass
class ImportRun:
    """One import's work, filled step by step (each field names the step that sets it)."""

    request: ImportRequest
    target: ImportTarget
    #: names the work folder and the staging table; holds the time (so a clean-up knows their
    #: age) and is locked while the import runs (see :mod:`miasto.datahub.cleanup`)
    token: str
    started: float = field(default_factory=time.monotonic)
    mark: float = field(default_factory=time.monotonic)
    timings: dict[str, float] = field(default_factory=dict)
    # inspect
    source: SourceFile | None = None
    open_path: Path | None = None
    # describe
    options: list[str] = field(default_factory=list)
    layer: gdal.LayerInfo | None = None
    #: every layer loaded (``layer`` is the first); several go to one table with a column
    #: naming each feature's layer (:data:`layer_column`)
    layers: list[gdal.LayerInfo] = field(default_factory=list)
    #: the layers of the file not loaded (reported by the CLI)
    skipped_layers: list[gdal.LayerInfo] = field(default_factory=list)
    layer_column: str | None = None
    csv_layout: CsvLayout | None = None
    #: attributes given a column of their own (:mod:`miasto.datahub.columns`)
    columns_plan: ColumnPlan = field(default_factory=lambda: columns_plan([]))
    promote: bool = False
    # preset
    #: what the import preset found for the layer (:mod:`miasto.datahub.services.presets`)
    preset: LayerMapping | None = None
    #: the preset's mapping onto the loaded columns (the transforms' computed columns)
    preset_mapping: dict[str, str] = field(default_factory=dict)
    #: the tables of the layers the preset's lookups read (``stg_<token>_ref<n>``)
    lookup_tables: dict[str, str] = field(default_factory=dict)
    #: the request's CRS for GDAL (checked when the run is made: a bad one stops it at once)
    declared_crs: str | None = None
    # detect_crs
    source_crs: str | None = None
    # load, check_geometry
    columns: dict[str, str] = field(default_factory=dict)
    feature_count: int = 0
    geometry_type: str = ""
    # map_fields
    attributes: list[str] = field(default_factory=list)
    mapping: dict[str, str] = field(default_factory=dict)
    key_columns: list[str] = field(default_factory=list)
    # baseline
    rules: dict[str, Any] = field(default_factory=dict)
    baseline: Baseline = field(default_factory=Baseline)
    edges: Future[Any] | None = None
    # quality
    ahead: Future[Any] | None = None
    report: dict[str, Any] = field(default_factory=dict)
    plan: PublishPlan | None = None
    # prepare
    lookups: str | None = None
    # publish
    version: DatasetVersion | None = None

    @classmethod
    def new(cls, request: ImportRequest) -> ImportRun:
        """A run of ``request`` with a new work token (not locked yet)."""
        target = get_target(request.dataset.target)
        return cls(
            request,
            target,
            cleanup.work_token(),
            promote=target.promote_to_multi,
            declared_crs=gdal.crs_option(request.crs),
        )

    @property
    def workdir(self) -> Path:
        return Path(settings.MIASTO_WORK_DIR) / f"import-{self.token}"

    @property
    def staging_name(self) -> str:
        """The staging table's own name (``stg_<token>``), in :data:`DATA_SCHEMA`."""
        return f"stg_{self.token}"

    @property
    def staging(self) -> str:
        """The staging table as ``schema.table`` (for GDAL and the quality check)."""
        return f"{DATA_SCHEMA}.{self.staging_name}"

    def work_table(self, suffix: str = "") -> sql.Identifier:
        """The staging table (or its work table ``stg_<token><suffix>``) as an SQL name."""
        return sql.Identifier(DATA_SCHEMA, f"{self.staging_name}{suffix}")

    @property
    def blocked(self) -> bool:
        """Did a blocking quality rule fail?"""
        return bool(self.report.get("blocking"))

    def progress(self, percent: float, message: str) -> None:
        if self.request.progress is not None:
            self.request.progress(percent, message)

    def lap(self, phase: str) -> None:
        """Record the time since the last lap as ``phase`` of the report's ``timings``."""
        now = time.monotonic()
        self.timings[phase] = round(now - self.mark, 3)
        self.mark = now

    def restart_clock(self) -> None:
        """Time the next phase from now (what ran since belongs to no phase)."""
        self.mark = time.monotonic()

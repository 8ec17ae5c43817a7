"""The quality report of a version: set-based checks in PostGIS, a score and blocking rules.

:func:`quality_check` runs on a version's (staging) table and *repairs* invalid geometries in
place with ``ST_MakeValid`` (keeping the geometry family with ``ST_CollectionExtract``). The
report (a dict saved in ``DatasetVersion.quality``) lists the problems — lists are capped at
``list_limit`` items, counts are exact — and ``blocking`` names the rules that stop the version
from becoming current.

Blocking rules: :data:`DEFAULT_RULES` (and :data:`SPINE_RULES` for spine targets), overridden
per dataset by ``Dataset.quality_rules``. A rule set to ``None`` never blocks.

The modules: :mod:`.checks` (the check as named steps), :mod:`.rules` (rules, blocking, score),
:mod:`.baseline` (the features changed since an earlier version), :mod:`.duplicates`,
:mod:`.crs`, :mod:`.overlaps` and :mod:`.pieces` (parcel overlaps and gaps), :mod:`.tables`
(table names, session settings). Why the queries are shaped as they are: docs/datahub.md.
"""

from __future__ import annotations

from miasto.datahub.quality.baseline import Baseline
from miasto.datahub.quality.checks import QualityOptions, QualityRun, quality_check, run_checks
from miasto.datahub.quality.crs import CITY_MARGIN, POLAND_2180, city_fingerprint, crs_check
from miasto.datahub.quality.overlaps import SPLIT_PAIRS, start_edge_match
from miasto.datahub.quality.pieces import PIECE_VERTICES
from miasto.datahub.quality.rules import DEFAULT_RULES, SPINE_RULES, blocking, rules_for, score
from miasto.datahub.quality.tables import BATCH_WORK_MEM, attribute_columns, batch_session

# (the names the check had as one module, kept for tests/datahub/legacy_quality.py)
_blocking = blocking
_crs_check = crs_check
_score = score

__all__ = [
    "BATCH_WORK_MEM",
    "CITY_MARGIN",
    "DEFAULT_RULES",
    "PIECE_VERTICES",
    "POLAND_2180",
    "SPINE_RULES",
    "SPLIT_PAIRS",
    "Baseline",
    "QualityOptions",
    "QualityRun",
    "_blocking",
    "_crs_check",
    "_score",
    "attribute_columns",
    "batch_session",
    "blocking",
    "city_fingerprint",
    "crs_check",
    "quality_check",
    "rules_for",
    "run_checks",
    "score",
    "start_edge_match",
]

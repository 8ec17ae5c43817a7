"""The generator alone (no database): the same seed gives the same city, byte for byte.

The digests below were taken from the generator before its refactoring into named steps
(issue 13); a change to them is a change of the demo city, not a refactoring.
"""

from __future__ import annotations

import hashlib
from typing import Any

import numpy as np
import shapely

from miasto.democity.generator import CityData, generate
from miasto.democity.layout import SCALES

SMALL_CITY_SEED_7 = {
    "territory_address": (1152, "e42528314be6efff"),
    "territory_block": (102, "80b50e629cf42726"),
    "territory_building": (1193, "7a85a0ad023c4198"),
    "territory_city": (1, "758900b6e262fc22"),
    "territory_constraint": (11, "ff8d7ac48263b9c3"),
    "territory_district": (12, "090048beef5525b5"),
    "territory_orgunit": (40, "707a04a1f1273751"),
    "territory_parcel": (2015, "91d311ffc3cc1749"),
    "territory_precinct": (56, "e1ec18dddf7ff18e"),
    "territory_publicservice": (117, "bd922ae1049f38e5"),
    "territory_roadsegment": (198, "0e88ad3523412104"),
    "territory_street": (57, "f7888263e8889ea7"),
}
SMALL_CITY_SEED_7_STATS = "2571f175531f5745"


def _digest(columns: dict[str, Any]) -> str:
    """Column names, then every value: geometries as WKB, the rest as ``repr``."""
    digest = hashlib.sha256()
    for column, values in columns.items():
        digest.update(column.encode())
        array = values if isinstance(values, np.ndarray) else np.asarray(values, dtype=object)
        for value in array.tolist():
            if isinstance(value, shapely.Geometry):
                digest.update(shapely.to_wkb(value))
            else:
                digest.update(repr(value).encode())
    return digest.hexdigest()[:16]


def fingerprint(data: CityData) -> dict[str, tuple[int, str]]:
    return {name: (len(table), _digest(table.columns)) for name, table in data.tables.items()}


def test_small_city_is_unchanged_for_its_seed() -> None:
    data = generate(SCALES["small"], 7)
    assert fingerprint(data) == SMALL_CITY_SEED_7
    stats = hashlib.sha256(repr(sorted(data.stats.items())).encode()).hexdigest()[:16]
    assert stats == SMALL_CITY_SEED_7_STATS


def test_another_seed_gives_another_city() -> None:
    assert fingerprint(generate(SCALES["small"], 8)) != SMALL_CITY_SEED_7

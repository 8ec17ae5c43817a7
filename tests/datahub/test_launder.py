"""One rule for the column name GDAL gives an attribute (``datahub.columns.launder``), checked
against GDAL itself: the key field and field mappings a steward picks by the file's names must
find their columns. GDAL 3.6 keeps spaces and non-ASCII letters as they are (a key attribute
"Nr Działki" is the column ``nr działki``, not ``nr_działki``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from miasto.datahub import services
from miasto.datahub.columns import launder
from tests.datahub.conftest import X0, Y0, write_geojson

pytestmark = pytest.mark.django_db(transaction=True)

NAMES = ["Nr Działki", "ŁÓDŹ ulica", "Kod-TERYT#1", "o'brien", "plain"]


def test_launder_is_the_column_gdal_makes(tmp_path: Path, city: Any, make_dataset: Any) -> None:
    features = [
        {
            "type": "Feature",
            "properties": {name: f"{name}-{n}" for name in NAMES},
            "geometry": {"type": "Point", "coordinates": [X0 + 10 * n, Y0 + 10]},
        }
        for n in range(3)
    ]
    path = write_geojson(tmp_path / "nazwy.geojson", features)
    dataset = make_dataset(slug="nazwy-kolumn", key_field=launder("Nr Działki"))
    version = services.version_import(dataset=dataset, path=path, source_name=path.name)
    assert version.status == "ready", version.error
    columns = [a["name"] for a in version.attributes]
    assert [launder(name) for name in NAMES] == [c for c in columns if c != "fid"][: len(NAMES)]
    assert version.quality["key_columns"] == ["nr działki"]

"""The tile and list statements of a layer: names quoted, fragments as declared."""

from __future__ import annotations

from miasto.core.layers import TileLayer
from miasto.core.sql import as_text


def _layer(**fields: object) -> TileLayer:
    base: dict[str, object] = {
        "name": "t",
        "title": "T",
        "table": 'datahub_data.v1"; DROP TABLE x; --',
        "geometry": "polygon",
        "properties": {"fid": "t.fid"},
    }
    return TileLayer(**(base | fields))  # type: ignore[arg-type]


def test_tile_sql_quotes_the_table_and_geometry_column() -> None:
    text = as_text(_layer(geom_column="ge%om").tile_sql(15))
    assert '"datahub_data"."v1""; DROP TABLE x; --"' in text
    assert '"t"."ge%%om"' in text  # doubled: the statement runs with parameters
    assert "t.fid AS fid" in text


def test_list_reads_a_declared_subquery_as_written() -> None:
    layer = _layer(list_table="(SELECT 1 AS id) s")
    assert as_text(layer._list_source()) == "(SELECT 1 AS id) s"
    assert as_text(_layer()._list_source()) == '"datahub_data"."v1""; DROP TABLE x; --"'

"""The data hub speaks plain Polish: a spine dataset's attribute table names its columns by
the spine field they feed and its codes in words (the code on hover), the metadata names the
geometry and the target layer, and counts take their Polish plural form."""

from __future__ import annotations

import re

import pytest
from django.db import connection

from miasto.datahub.models import Dataset, DatasetVersion
from tests.datahub.test_views import compile_datahub_messages
from tests.territory import factories as tf

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _messages():  # type: ignore[no-untyped-def]
    compile_datahub_messages()


def text(response) -> str:  # type: ignore[no-untyped-def]
    return re.sub(r"\s+", " ", response.content.decode().replace("\xa0", " "))


@pytest.fixture
def buildings(db):  # type: ignore[no-untyped-def]
    tf.CityFactory()
    unit = tf.OrgUnitFactory(code="WGK", name="Wydział Geodezji")
    ds = Dataset.objects.create(
        slug="budynki", title_pl="Budynki", owner=unit, target="buildings",
        field_mapping={"use": "funkcja", "identifier": "idBudynku"},
    )  # fmt: skip
    version = DatasetVersion.objects.create(
        dataset=ds, number=1, status="ready", is_current=True, source_name="b.gml",
        format="gml", source_crs="EPSG:2180", feature_count=12345, geometry_type="MultiPolygon",
        attributes=[{"name": "idBudynku", "type": "String"}, {"name": "funkcja", "type": "String"},
                    {"name": "storeys", "type": "Integer"}, {"name": "uwagi", "type": "String"}],
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(
            f'CREATE TABLE {version.table_name} (fid serial PRIMARY KEY, "idBudynku" text, '
            "funkcja text, storeys int, uwagi text, geom geometry(MultiPolygon, 2180))"
        )
        cursor.execute(
            f'INSERT INTO {version.table_name} ("idBudynku", funkcja, storeys, uwagi) VALUES '
            "('B1', 'single_family', 2, 'single_family'), ('B2', 'zamek', 3, NULL)"
        )
    yield ds
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {version.table_name}")


def test_attribute_table_names_fields_and_codes(client, buildings):
    r = client.get("/dane/budynki/")
    assert r.status_code == 200
    body = text(r)
    table = body.split('id="h-table"')[1].split("</table>")[0]
    # columns: the spine field they feed, the file's name on hover; others the file's name
    assert '<th scope="col" title="w pliku: funkcja">Funkcja</th>' in table
    assert '<th scope="col" title="w pliku: idBudynku">Identyfikator budynku</th>' in table
    assert '<th scope="col" title="w pliku: storeys">Liczba kondygnacji nadziemnych</th>' in table
    assert '<th scope="col">uwagi</th>' in table
    # codes of a spine field in words, the code on hover; an unknown code and a column
    # that feeds no field stay as they are
    assert '<span class="coded" title="kod: single_family">dom jednorodzinny</span>' in table
    assert "<td>zamek</td>" in table
    assert "<td>single_family</td>" in table  # "uwagi" is not the use field
    # metadata: the geometry and the target in words, the count grouped
    assert 'title="kod: MultiPolygon">wielokąty (wieloczęściowe)</span>' in body
    assert 'title="kod: buildings">wspólna warstwa miasta: budynki</span>' in body
    assert "<dd>12 345</dd>" in body
    # the versions table names the file's format
    assert '<td><span class="coded" title="kod: gml">GML</span></td>' in body


PLURALS = [(1, "zbiór danych"), (2, "zbiory danych"), (5, "zbiorów danych"), (22, "zbiory danych")]


@pytest.mark.parametrize(("count", "words"), PLURALS)
def test_facet_counts_take_the_polish_plural(client, db, count, words):
    unit = tf.OrgUnitFactory(code="WOS", name="Wydział Ochrony Środowiska")
    for i in range(count):
        Dataset.objects.create(slug=f"zbior-{i}", title_pl=f"Zbiór {i}", owner=unit)
    body = text(client.get("/dane/"))
    assert f'{count}<span class="visually-hidden"> {words}</span>' in body

"""The DCAT-AP-PL catalogue: parses in every serialisation, names every public dataset and
no other, and has the profile's mandatory (and the brief's required) properties — checked
with SPARQL over the graph (no SHACL engine is installed)."""

from __future__ import annotations

from typing import Any

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS

from tests.territory import factories as tf

pytestmark = pytest.mark.django_db

BASE = "http://testserver"
PREFIXES = """
PREFIX dcat: <http://www.w3.org/ns/dcat#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX vcard: <http://www.w3.org/2006/vcard/ns#>
PREFIX locn: <http://www.w3.org/ns/locn#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
"""
EU = "http://publications.europa.eu/resource/authority/"

#: class → properties every instance must have (DCAT-AP 2/3 mandatory, and what DCAT-AP-PL
#: and this catalogue promise: contact point, licence, frequency, theme, dates, language)
REQUIRED = {
    "dcat:Catalog": [
        "dct:title", "dct:description", "dct:publisher", "dcat:dataset", "foaf:homepage",
        "dct:language", "dct:issued", "dct:modified", "dct:license", "dct:spatial",
    ],
    "dcat:Dataset": [
        "dct:title", "dct:description", "dct:identifier", "dct:publisher", "dcat:contactPoint",
        "dct:accrualPeriodicity", "dct:spatial", "dcat:theme", "dcat:keyword", "dct:issued",
        "dct:modified", "dct:language", "dcat:distribution", "dct:accessRights",
        "dcat:landingPage",
    ],
    "dcat:Distribution": [
        "dcat:accessURL", "dct:license", "dct:format", "dcat:mediaType", "dct:title",
    ],
    "dcat:DataService": ["dct:title", "dcat:endpointURL", "dcat:endpointDescription"],
    "foaf:Agent": ["foaf:name"],
    "vcard:Organization": ["vcard:fn", "vcard:hasEmail"],
    "dct:Location": ["locn:geometry"],
}  # fmt: skip


def fetch(client: Any, suffix: str, fmt: str) -> Graph:
    response = client.get(f"/catalog.{suffix}")
    assert response.status_code == 200
    return Graph().parse(data=response.content.decode(), format=fmt)


@pytest.fixture
def graph(client: Any, hub: Any) -> Graph:
    return fetch(client, "ttl", "turtle")


def identifiers(graph: Graph) -> set[str]:
    rows = graph.query(PREFIXES + "SELECT ?id WHERE { ?c dcat:dataset ?d . ?d dct:identifier ?id }")
    return {str(r[0]) for r in rows}


@pytest.mark.parametrize(
    ("suffix", "fmt"), [("ttl", "turtle"), ("rdf", "xml"), ("jsonld", "json-ld")]
)
def test_every_serialisation_parses_to_the_same_graph(client, hub, suffix, fmt):
    graph = fetch(client, suffix, fmt)
    assert identifiers(graph) == {"drzewa", "drogi", "plan-nasadzen"}
    assert len(graph) == len(fetch(client, "ttl", "turtle"))


def test_names_every_public_dataset_and_no_other(graph):
    assert identifiers(graph) == {"drzewa", "drogi", "plan-nasadzen"}
    text = graph.serialize(format="turtle")
    for hidden in ("wewnetrzny", "tajny", "archiwalny"):
        assert hidden not in text


@pytest.mark.parametrize("cls", sorted(REQUIRED))
def test_mandatory_properties(graph, cls):
    instances = list(graph.query(PREFIXES + f"SELECT ?s WHERE {{ ?s a {cls} }}"))
    assert instances, f"no {cls} in the catalogue"
    for prop in REQUIRED[cls]:
        missing = graph.query(
            PREFIXES + f"SELECT ?s WHERE {{ ?s a {cls} FILTER NOT EXISTS {{ ?s {prop} ?o }} }}"
        )
        assert not list(missing), f"{cls} without {prop}: {[str(r[0]) for r in missing]}"


def test_controlled_vocabularies(graph):
    def objects(prop: str) -> set[str]:
        return {
            str(r[0])
            for r in graph.query(PREFIXES + f"SELECT DISTINCT ?o WHERE {{ ?s {prop} ?o }}")
        }

    assert objects("dct:accrualPeriodicity") == {f"{EU}frequency/ANNUAL", f"{EU}frequency/MONTHLY"}
    assert objects("dcat:theme") == {f"{EU}data-theme/ENVI", f"{EU}data-theme/TRAN"}
    assert {
        f"{EU}file-type/{t}" for t in ("GPKG", "GEOJSON", "CSV", "SHP", "GML", "JSON")
    } == objects("dct:format")
    assert objects("dct:language") == {f"{EU}language/POL"}
    assert "http://www.iana.org/assignments/media-types/application/geo+json" in objects(
        "dcat:mediaType"
    )
    assert "https://creativecommons.org/publicdomain/zero/1.0/" in objects("dct:license")


def test_dataset_details(graph):
    trees = URIRef(f"{BASE}/dane/drzewa/#dataset")
    publisher = graph.value(trees, DCTERMS.publisher)
    assert (
        str(graph.value(publisher, URIRef("http://xmlns.com/foaf/0.1/name")))
        == "Wydział Ochrony Środowiska"
    )
    rows = list(graph.query(PREFIXES + """
        SELECT ?start ?end ?wkt WHERE {
          <http://testserver/dane/drzewa/#dataset> dct:temporal ?t ; dct:spatial ?l .
          ?t dcat:startDate ?start ; dcat:endDate ?end .
          ?l locn:geometry ?wkt FILTER(datatype(?wkt) = <http://www.opengis.net/ont/geosparql#wktLiteral>)
        }"""))  # fmt: skip
    assert rows and str(rows[0][0]) == "2020-01-01" and str(rows[0][1]) == "2025-12-31"
    assert str(rows[0][2]).startswith("MULTIPOLYGON")
    query = """SELECT ?u WHERE {
        <http://testserver/dane/drzewa/#dataset> dcat:distribution ?d . ?d dcat:downloadURL ?u }"""
    downloads = {str(r[0]) for r in graph.query(PREFIXES + query)}
    assert downloads == {
        f"{BASE}/api/v1/datasets/drzewa/download?format={f}"
        for f in ("gpkg", "geojson", "csv", "shp")
    }


def test_api_distributions_point_to_data_services(graph):
    rows = graph.query(PREFIXES + """
        SELECT ?url ?endpoint WHERE {
          <http://testserver/dane/drzewa/#dataset> dcat:distribution ?d .
          ?d dcat:accessURL ?url ; dcat:accessService ?s .
          ?s a dcat:DataService ; dcat:endpointURL ?endpoint ;
             dcat:servesDataset <http://testserver/dane/drzewa/#dataset> }""")  # fmt: skip
    found = {(str(u), str(e)) for u, e in rows}
    assert (f"{BASE}/ogcapi/collections/drzewa", f"{BASE}/ogcapi/") in found
    assert (f"{BASE}/api/v1/datasets/drzewa", f"{BASE}/api/v1/") in found
    ckan = graph.query(
        PREFIXES + f"SELECT ?s WHERE {{ <{BASE}/catalog> dcat:service ?s . "
        f"?s dcat:endpointURL <{BASE}/api/3/action/> }}"
    )
    assert len(list(ckan)) == 1


@pytest.mark.parametrize(
    ("accept", "content_type"),
    [
        ("text/turtle", "text/turtle"),
        ("application/rdf+xml", "application/rdf+xml"),
        ("application/ld+json", "application/ld+json"),
        ("text/html, application/rdf+xml;q=0.9, text/turtle;q=0.5", "application/rdf+xml"),
        ("", "text/turtle"),
        ("garbage;;;q=x", "text/turtle"),
    ],
)
def test_content_negotiation(client, hub, accept, content_type):
    response = client.get("/catalog", HTTP_ACCEPT=accept)
    assert response.status_code == 200 and response["Content-Type"].startswith(content_type)
    assert "Accept" in [v.strip() for v in response["Vary"].split(",")]


def test_empty_catalogue_still_parses(client, db):
    graph = fetch(client, "ttl", "turtle")
    assert identifiers(graph) == set()
    assert (URIRef(f"{BASE}/catalog"), DCTERMS.title, None) in graph


def test_declared_coverage_or_the_citys(client, hub):
    from django.contrib.gis.geos import MultiPolygon

    roads = hub["public"][1]
    roads.spatial_coverage = MultiPolygon(tf.square(500_000, 403_700, 100), srid=2180)
    roads.save()
    graph = fetch(client, "ttl", "turtle")
    query = """SELECT ?wkt ?teryt WHERE {{ <{base}/dane/{slug}/#dataset> dct:spatial ?l .
        ?l locn:geometry ?wkt . OPTIONAL {{ ?l dct:identifier ?teryt }}
        FILTER(datatype(?wkt) = <http://www.opengis.net/ont/geosparql#wktLiteral>) }}"""
    (own,) = graph.query(PREFIXES + query.format(base=BASE, slug="drogi"))
    (city,) = graph.query(PREFIXES + query.format(base=BASE, slug="drzewa"))
    assert own[1] is None and str(city[1]) == "1064011"  # the city's, named by its TERYT
    assert own[0] != city[0]
    catalogue = graph.value(URIRef(f"{BASE}/catalog"), DCTERMS.spatial)
    assert catalogue == graph.value(URIRef(f"{BASE}/dane/drzewa/#dataset"), DCTERMS.spatial)

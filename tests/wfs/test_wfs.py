"""WFS 2.0 at /wfs: capabilities list every public collection and no other, the schema, pages
of GML 3.2 with paging and hits, BBOX in each CRS's axis order, features by id, GeoJSON, and
an OWS exception (never a 5xx) for every bad request."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from lxml import etree

from miasto.core.collections import collections_all
from miasto.wfs.features import decode_id

pytestmark = pytest.mark.django_db

NS = {
    "wfs": "http://www.opengis.net/wfs/2.0",
    "ows": "http://www.opengis.net/ows/1.1",
    "gml": "http://www.opengis.net/gml/3.2",
    "xsd": "http://www.w3.org/2001/XMLSchema",
}


def get(**params: Any) -> Any:
    return Client().get("/wfs", {"SERVICE": "WFS", "VERSION": "2.0.0", **params})


def xml(response: Any) -> Any:
    return etree.fromstring(response.content)


def test_capabilities_list_the_public_collections(town) -> None:  # type: ignore[no-untyped-def]
    response = get(REQUEST="GetCapabilities")
    assert response.status_code == 200
    names = xml(response).xpath("//wfs:FeatureType/wfs:Name/text()", namespaces=NS)
    assert "miasto:parcels" in names
    assert len(names) == len(collections_all())
    assert not any("restricted" in n or "internal" in n for n in names)
    assert b"ImplementsResultPaging" in response.content


def test_describe_feature_type_is_a_gml_application_schema(town) -> None:  # type: ignore[no-untyped-def]
    root = xml(get(REQUEST="DescribeFeatureType", TYPENAMES="miasto:parcels"))
    assert root.tag == f"{{{NS['xsd']}}}schema"
    fields = root.xpath("//xsd:complexType[@name='parcelsType']//xsd:element/@name", namespaces=NS)
    assert {"identifier", "area", "land_use", "geometry"} <= set(fields)


def test_get_feature_pages_gml(town) -> None:  # type: ignore[no-untyped-def]
    first = xml(get(REQUEST="GetFeature", TYPENAMES="parcels", COUNT="7"))
    assert first.get("numberMatched") == "30" and first.get("numberReturned") == "7"
    members = first.xpath("wfs:member/*", namespaces=NS)
    assert len(members) == 7
    assert members[0].xpath("gml:MultiSurface|*/gml:MultiSurface", namespaces=NS)
    srs = first.xpath("string(//gml:MultiSurface/@srsName)", namespaces=NS)
    assert srs == "urn:ogc:def:crs:EPSG::2180"
    assert "STARTINDEX=7" in first.get("next")
    last = xml(get(REQUEST="GetFeature", TYPENAMES="parcels", COUNT="7", STARTINDEX="28"))
    assert last.get("numberReturned") == "2" and last.get("next") is None
    hits = xml(get(REQUEST="GetFeature", TYPENAMES="parcels", RESULTTYPE="hits"))
    assert hits.get("numberMatched") == "30" and hits.get("numberReturned") == "0"


def _ids(root: Any) -> list[str]:
    return root.xpath("wfs:member/*/@gml:id", namespaces=NS)


def test_bbox_in_each_axis_order(town) -> None:  # type: ignore[no-untyped-def]
    parcel = town["parcels"][0]
    x0, y0, x1, y1 = parcel.geom.extent
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    en = f"{cx - 1},{cy - 1},{cx + 1},{cy + 1}"
    ne = f"{cy - 1},{cx - 1},{cy + 1},{cx + 1}"
    by_short = _ids(xml(get(REQUEST="GetFeature", TYPENAMES="parcels", BBOX=f"{en},EPSG:2180")))
    by_urn = _ids(
        xml(get(REQUEST="GetFeature", TYPENAMES="parcels", BBOX=f"{ne},urn:ogc:def:crs:EPSG::2180"))
    )
    assert by_short == by_urn and len(by_short) >= 1
    assert parcel.identifier in [decode_id(i.split(".", 1)[1]) for i in by_short]


def test_wgs84_output_is_latitude_first(town) -> None:  # type: ignore[no-untyped-def]
    root = xml(get(REQUEST="GetFeature", TYPENAMES="parcels", COUNT="1",
                   SRSNAME="urn:ogc:def:crs:EPSG::4326"))  # fmt: skip
    first = root.xpath("string(//gml:posList)", namespaces=NS).split()
    lat, lon = float(first[0]), float(first[1])
    assert 49 < lat < 55 and 14 < lon < 25


def test_features_by_resource_id_and_stored_query(town) -> None:  # type: ignore[no-untyped-def]
    ids = _ids(xml(get(REQUEST="GetFeature", TYPENAMES="parcels", COUNT="2")))
    root = xml(get(REQUEST="GetFeature", RESOURCEID=",".join(ids)))
    assert _ids(root) == ids
    single = get(REQUEST="GetFeature", STOREDQUERY_ID="urn:ogc:def:query:OGC-WFS::GetFeatureById",
                 ID=ids[0])  # fmt: skip
    assert single.status_code == 200 and xml(single).get(f"{{{NS['gml']}}}id") == ids[0]
    missing = get(REQUEST="GetFeature", STOREDQUERY_ID="urn:ogc:def:query:OGC-WFS::GetFeatureById",
                  ID="parcels.nope")  # fmt: skip
    assert missing.status_code == 404


def test_geojson_output(town) -> None:  # type: ignore[no-untyped-def]
    response = get(REQUEST="GetFeature", TYPENAMES="parcels", COUNT="5",
                   OUTPUTFORMAT="application/json")  # fmt: skip
    body = json.loads(response.content)
    assert body["type"] == "FeatureCollection" and len(body["features"]) == 5


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"REQUEST": "Transaction"},
        {"REQUEST": "GetFeature"},
        {"REQUEST": "GetFeature", "TYPENAMES": "nope"},
        {"REQUEST": "GetFeature", "TYPENAMES": "parcels,buildings"},
        {"REQUEST": "GetFeature", "TYPENAMES": "parcels", "BBOX": "1,2,3"},
        {"REQUEST": "GetFeature", "TYPENAMES": "parcels", "BBOX": "3,3,1,1"},
        {"REQUEST": "GetFeature", "TYPENAMES": "parcels", "BBOX": "a,b,c,d"},
        {"REQUEST": "GetFeature", "TYPENAMES": "parcels", "BBOX": "1,2,3,4,EPSG:9999"},
        {"REQUEST": "GetFeature", "TYPENAMES": "parcels", "COUNT": "-1"},
        {"REQUEST": "GetFeature", "TYPENAMES": "parcels", "STARTINDEX": "1e9"},
        {"REQUEST": "GetFeature", "TYPENAMES": "parcels", "SRSNAME": "EPSG:1"},
        {"REQUEST": "GetFeature", "TYPENAMES": "parcels", "OUTPUTFORMAT": "shape-zip"},
        {"REQUEST": "GetFeature", "TYPENAMES": "parcels", "FILTER": "<fes:Filter/>"},
        {"REQUEST": "GetFeature", "TYPENAMES": "parcels'; DROP TABLE territory_parcel; --"},
        {"REQUEST": "GetFeature", "STOREDQUERY_ID": "x"},
        {"REQUEST": "GetCapabilities", "ACCEPTVERSIONS": "1.1.0"},
        {"REQUEST": "GetFeature", "TYPENAMES": "parcels", "VERSION": "1.0.0"},
        {"REQUEST": "GetCapabilities", "SERVICE": "WMS"},
    ],
)
def test_bad_requests_get_an_ows_exception(town, params) -> None:  # type: ignore[no-untyped-def]
    response = Client().get("/wfs", {"SERVICE": "WFS", **params})
    assert 400 <= response.status_code < 500, response.content[:300]
    report = xml(response)
    assert report.tag == f"{{{NS['ows']}}}ExceptionReport"
    assert report.xpath("string(//ows:ExceptionText)", namespaces=NS)


def test_post_is_refused(town) -> None:  # type: ignore[no-untyped-def]
    assert Client().post("/wfs").status_code == 405

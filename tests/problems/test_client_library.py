"""The Open311 endpoints through a real client library from PyPI (``georeport``), over HTTP
against the live server, in JSON and in XML; and POST with ``requests`` (the library reads only)."""

from __future__ import annotations

import pytest
import requests
from georeport import GeoReport

from miasto.core.apikeys import api_key_create
from miasto.problems.models import Report
from tests.problems.factories import X, Y, make_report, pothole_service

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_georeport_reads_services_and_requests(live_server, fmt):  # type: ignore[no-untyped-def]
    report = make_report(pothole_service())
    client = GeoReport(f"{live_server.url}/open311/v2", output_format=fmt)
    services = client.get_service_list()
    service = services if isinstance(services, dict) else services[0]  # xmltodict: one → dict
    assert service["service_code"] == "dziura"
    definition = client.get_service_definition("dziura")
    assert definition["service_code"] == "dziura"
    requests_ = client.get_service_requests(service_code="dziura", status="open")
    found = requests_ if isinstance(requests_, dict) else requests_[0]
    assert str(found["service_request_id"]) == str(report.pk)
    single = client.get_service_request(str(report.pk))
    assert str(single["service_request_id"]) == str(report.pk)
    assert single["status"] == "open"


def test_post_over_http_then_read_back(live_server, make_user):  # type: ignore[no-untyped-def]
    from django.contrib.gis.geos import Point

    from tests.territory.factories import CityFactory

    CityFactory()
    pothole_service()
    _key, raw = api_key_create(make_user(), "Aplikacja mobilna")
    lon, lat = Point(X, Y, srid=2180).transform(4326, clone=True).coords
    base = f"{live_server.url}/open311/v2"
    data = {"service_code": "dziura", "lat": lat, "long": lon, "description": "Dziura",
            "attribute[pas]": "lewy"}  # fmt: skip
    refused = requests.post(f"{base}/requests.json", data=data, timeout=30)
    assert refused.status_code == 403
    answer = requests.post(f"{base}/requests.json", data={**data, "api_key": raw}, timeout=30)
    assert answer.status_code == 200, answer.text
    request_id = answer.json()[0]["service_request_id"]
    assert Report.objects.filter(pk=request_id, channel="open311").exists()
    client = GeoReport(base, api_key=raw)
    assert client.get_service_request(str(request_id))["service_code"] == "dziura"

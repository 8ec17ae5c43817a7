"""Open311 GeoReport v2 against the specification (wiki.open311.org/GeoReport_v2): the shape
of every resource in JSON and XML, the filters, POST with and without a key, the errors."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from defusedxml import ElementTree
from django.utils import timezone

from miasto.core.apikeys import api_key_create
from miasto.problems.models import Report
from miasto.problems.services import report_transition
from tests.problems.factories import ServiceFactory, make_report, pothole_service

pytestmark = pytest.mark.django_db

REQUEST_FIELDS = [
    "service_request_id", "status", "status_notes", "service_name", "service_code",
    "description", "agency_responsible", "service_notice", "requested_datetime",
    "updated_datetime", "expected_datetime", "address", "address_id", "zipcode", "lat",
    "long", "media_url",
]  # fmt: skip


def xml(response):  # type: ignore[no-untyped-def]
    assert response["Content-Type"].startswith("text/xml")
    return ElementTree.fromstring(response.content)


def test_discovery_json_and_xml(client):  # type: ignore[no-untyped-def]
    data = client.get("/open311/v2/discovery.json").json()
    assert set(data) == {"changeset", "contact", "key_service", "endpoints"}
    endpoint = data["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/open311/v2")
    assert set(endpoint["formats"]) == {"text/xml", "application/json"}
    root = xml(client.get("/open311/v2/discovery.xml"))
    assert root.tag == "discovery"
    formats = [f.text for f in root.findall("endpoints/endpoint/formats/format")]
    assert set(formats) == {"text/xml", "application/json"}


def test_services_and_definition(client):  # type: ignore[no-untyped-def]
    service = pothole_service()
    ServiceFactory(code="latarnia", name="Niedziałająca latarnia")
    listed = client.get("/open311/v2/services.json").json()
    by_code = {s["service_code"]: s for s in listed}
    assert by_code["dziura"] == {
        "service_code": "dziura", "service_name": "Dziura w jezdni",
        "description": "Opis kategorii", "metadata": True, "type": "realtime",
        "keywords": "dziura, jezdnia", "group": "drogi",
    }  # fmt: skip
    assert by_code["latarnia"]["metadata"] is False
    root = xml(client.get("/open311/v2/services.xml"))
    codes = [s.findtext("service_code") for s in root.findall("service")]
    assert set(codes) == {"dziura", "latarnia"}
    assert root.find("service[service_code='dziura']/metadata").text == "true"

    definition = client.get(f"/open311/v2/services/{service.code}.json").json()
    assert definition["service_code"] == "dziura"
    first = definition["attributes"][0]
    assert first["code"] == "pas" and first["datatype"] == "singlevaluelist"
    assert first["required"] is True and first["variable"] is True and first["order"] == 1
    assert first["values"] == [{"key": "lewy", "name": "lewy"}, {"key": "prawy", "name": "prawy"}]
    root = xml(client.get(f"/open311/v2/services/{service.code}.xml"))
    assert root.tag == "service_definition"
    assert [v.findtext("key") for v in root.findall("attributes/attribute/values/value")] == [
        "lewy", "prawy",
    ]  # fmt: skip


def test_unknown_service_definition_is_the_specs_404(client):  # type: ignore[no-untyped-def]
    response = client.get("/open311/v2/services/nie-ma.json")
    assert response.status_code == 404
    [err] = response.json()
    assert err["code"] == 404 and "nie-ma" in err["description"]
    root = xml(client.get("/open311/v2/services/nie-ma.xml"))
    assert root.tag == "errors" and root.findtext("error/code") == "404"


def test_requests_fields_and_no_personal_data(client, make_user):  # type: ignore[no-untyped-def]
    report = make_report(pothole_service())
    officer = make_user("case_officer")
    report_transition(report, "acknowledged", officer, note="Przyjęte do realizacji.")
    [item] = client.get("/open311/v2/requests.json").json()
    assert list(item) == REQUEST_FIELDS
    assert item["service_request_id"] == report.pk
    assert item["status"] == "open"
    assert item["status_notes"] == "Przyjęte do realizacji."
    assert item["service_code"] == "dziura"
    assert item["agency_responsible"] == report.unit.name
    assert 51 < item["lat"] < 53 and 18 < item["long"] < 21  # kept by the trigger
    from django.contrib.gis.geos import Point

    expected = Point(item["long"], item["lat"], srid=4326).transform(2180, clone=True)
    assert expected.distance(report.geom) < 0.05
    body = client.get("/open311/v2/requests.json").content.decode()
    for personal in ("jan@example.org", "Kowalski", "600100200"):
        assert personal not in body
    root = xml(client.get("/open311/v2/requests.xml"))
    assert root.tag == "service_requests"
    request = root.find("request")
    assert [child.tag for child in request] == REQUEST_FIELDS
    assert request.findtext("status") == "open"
    assert request.findtext("requested_datetime").startswith(str(timezone.localdate().year))


def test_requests_filters(client, make_user):  # type: ignore[no-untyped-def]
    pothole = pothole_service()
    lamp = ServiceFactory(code="latarnia")
    a = make_report(pothole)
    b = make_report(lamp, dx=200)
    old = make_report(lamp, dx=400)
    Report.objects.filter(pk=old.pk).update(requested_at=timezone.now() - timedelta(days=200))
    report_transition(b, "resolved", make_user("case_officer"))

    def ids(query: str) -> set[int]:
        response = client.get(f"/open311/v2/requests.json?{query}")
        assert response.status_code == 200, response.content
        return {r["service_request_id"] for r in response.json()}

    assert ids("") == {a.pk, b.pk}  # the last 90 days by default
    assert ids("service_code=latarnia") == {b.pk}
    assert ids("service_code=latarnia,dziura") == {a.pk, b.pk}
    assert ids("status=closed") == {b.pk}
    assert ids("status=open,closed") == {a.pk, b.pk}
    assert ids(f"service_request_id={old.pk},{a.pk}") == {old.pk, a.pk}  # overrides the rest
    start = (timezone.now() - timedelta(days=210)).strftime("%Y-%m-%dT%H:%M:%SZ")
    end = (timezone.now() - timedelta(days=150)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert ids(f"start_date={start}&end_date={end}") == {old.pk}


@pytest.mark.parametrize(
    "query",
    [
        "status=pending",
        "start_date=yesterday",
        "start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z",  # more than 90 days
        "start_date=2026-06-01T00:00:00Z&end_date=2026-01-01T00:00:00Z",
        "service_request_id=abc",
    ],
)
def test_bad_filters_are_400_in_the_specs_format(client, query):  # type: ignore[no-untyped-def]
    response = client.get(f"/open311/v2/requests.json?{query}")
    assert response.status_code == 400
    [err] = response.json()
    assert err["code"] == 400 and err["description"]
    root = xml(client.get(f"/open311/v2/requests.xml?{query}"))
    assert root.findtext("error/code") == "400"


def test_request_detail_and_token(client):  # type: ignore[no-untyped-def]
    report = make_report(pothole_service())
    [item] = client.get(f"/open311/v2/requests/{report.pk}.json").json()
    assert item["service_request_id"] == report.pk
    root = xml(client.get(f"/open311/v2/requests/{report.pk}.xml"))
    assert root.findtext("request/service_request_id") == str(report.pk)
    [found] = client.get(f"/open311/v2/tokens/{report.token}.json").json()
    assert found == {"service_request_id": report.pk, "token": report.token}
    assert client.get("/open311/v2/tokens/nieznany.json").status_code == 404
    assert client.get("/open311/v2/requests/999999.json").status_code == 404
    assert client.get("/open311/v2/requests/999999.xml").status_code == 404


def test_hidden_reports_are_not_served(client):  # type: ignore[no-untyped-def]
    report = make_report(pothole_service())
    Report.objects.filter(pk=report.pk).update(hidden_reason="spam")
    assert client.get("/open311/v2/requests.json").json() == []
    assert client.get(f"/open311/v2/requests/{report.pk}.json").status_code == 404


def _post(client, fmt="json", **data):  # type: ignore[no-untyped-def]
    return client.post(f"/open311/v2/requests.{fmt}", data)


def test_post_without_key_is_403_and_writes_nothing(client):  # type: ignore[no-untyped-def]
    pothole_service()
    data = {"service_code": "dziura", "lat": "52.0", "long": "19.0", "description": "x"}
    response = _post(client, **data)
    assert response.status_code == 403
    assert response.json()[0]["code"] == 403
    response = _post(client, "xml", api_key="mst_falszywy", **data)
    assert response.status_code == 403 and xml(response).findtext("error/code") == "403"
    assert not Report.objects.exists()


def test_post_unknown_or_missing_service_code(client, make_user):  # type: ignore[no-untyped-def]
    _key, raw = api_key_create(make_user(), "Aplikacja")
    response = _post(client, api_key=raw, service_code="nie-ma", lat="52", long="19")
    assert response.status_code == 404 and response.json()[0]["code"] == 404
    response = _post(client, api_key=raw, lat="52", long="19")
    assert response.status_code == 400
    assert not Report.objects.exists()


def _centre_lonlat():  # type: ignore[no-untyped-def]
    from django.contrib.gis.geos import Point

    from tests.problems.factories import X, Y

    return Point(X, Y, srid=2180).transform(4326, clone=True).coords


def test_post_creates_a_routed_report(client, make_user):  # type: ignore[no-untyped-def]
    from tests.territory.factories import CityFactory

    CityFactory()
    service = pothole_service()
    _key, raw = api_key_create(make_user(), "Aplikacja")
    lon, lat = _centre_lonlat()
    response = client.post(
        "/open311/v2/requests.json",
        {"api_key": raw, "service_code": "dziura", "lat": lat, "long": lon,
         "description": "Głęboka dziura", "email": "anna@example.org",
         "attribute[pas]": "prawy", "attribute[glebokosc]": "12"},
    )  # fmt: skip
    assert response.status_code == 200, response.content
    [answer] = response.json()
    report = Report.objects.get(pk=answer["service_request_id"])
    assert answer["token"] == report.token and "service_notice" in answer
    assert report.channel == "open311" and report.unit == service.unit
    assert report.attributes == {"pas": "prawy", "glebokosc": "12"}
    assert report.email == "anna@example.org"


@pytest.mark.parametrize(
    ("extra", "status"),
    [
        ({"attribute[pas]": "srodkowy"}, 400),  # not in the list
        ({}, 400),  # the required attribute is missing
        ({"attribute[pas]": "lewy", "attribute[glebokosc]": "głęboko"}, 400),
        ({"attribute[pas]": "lewy", "attribute[kolor]": "x"}, 400),
        ({"attribute[pas]": "lewy", "description": ""}, 400),
        ({"attribute[pas]": "lewy", "lat": "40.0", "long": "10.0"}, 400),  # outside the city
        ({"attribute[pas]": "lewy", "lat": "abc"}, 400),
    ],
)
def test_post_bad_input_is_refused(client, make_user, extra, status):  # type: ignore[no-untyped-def]
    from tests.territory.factories import CityFactory

    CityFactory()
    pothole_service()
    _key, raw = api_key_create(make_user(), "Aplikacja")
    lon, lat = _centre_lonlat()
    data = {"api_key": raw, "service_code": "dziura", "lat": lat, "long": lon,
            "description": "Dziura", **extra}  # fmt: skip
    response = client.post("/open311/v2/requests.xml", data)
    assert response.status_code == status, response.content
    assert xml(response).findtext("error/code") == str(status)
    assert not Report.objects.exists()


def test_xml_survives_hostile_text(client):  # type: ignore[no-untyped-def]
    make_report(pothole_service(), description="<b>&amp;</b> \x01 ]]> <!DOCTYPE x>")
    root = xml(client.get("/open311/v2/requests.xml"))
    assert root.findtext("request/description") == "<b>&amp;</b>  ]]> <!DOCTYPE x>"
    assert json.loads(client.get("/open311/v2/requests.json").content)[0]["description"]


def test_ids_beyond_bigint_are_404_not_500(client):  # type: ignore[no-untyped-def]
    huge = "9" * 30
    assert client.get(f"/open311/v2/requests/{huge}.json").status_code == 404
    assert client.get(f"/open311/v2/requests.json?service_request_id={huge}").status_code == 400
    assert client.get(f"/zgloszenia/{huge}/").status_code == 404


def test_post_by_address_id(client, make_user):  # type: ignore[no-untyped-def]
    from tests.territory.factories import AddressFactory, CityFactory

    CityFactory()
    ServiceFactory(code="latarnia")
    address = AddressFactory()
    _key, raw = api_key_create(make_user(), "Aplikacja")
    data = {"api_key": raw, "service_code": "latarnia", "description": "Nie świeci"}
    for bad in ("9" * 30, "١٢", "abc", "0"):
        response = client.post("/open311/v2/requests.json", {**data, "address_id": bad})
        assert response.status_code == 400, bad
    response = client.post("/open311/v2/requests.json", {**data, "address_id": address.pk})
    assert response.status_code == 200, response.content
    report = Report.objects.get()
    assert report.geom.equals(address.geom) and report.address == str(address)


def test_lists_built_by_the_database_match_the_python_forms(client):  # type: ignore[no-untyped-def]
    """The lists' JSON and XML are built by PostgreSQL: dates in W3C with the city's offset
    (summer and winter), the photo's address, text with a carriage return and markup."""
    from miasto.problems.open311 import w3c

    report = make_report(pothole_service(), description="a\r\nb & <c>", address="Lipowa 5 & 7")
    summer = timezone.now().replace(month=7, day=1) - timedelta(days=365)
    Report.objects.filter(pk=report.pk).update(
        photo="problems/2026/07/x.jpg", expected_at=summer, requested_at=summer
    )
    report.refresh_from_db()
    query = f"service_request_id={report.pk}"
    item = client.get(f"/open311/v2/requests.json?{query}").json()[0]
    assert item["requested_datetime"] == w3c(report.requested_at)
    assert item["requested_datetime"].endswith("+02:00")  # Europe/Warsaw in summer
    assert item["updated_datetime"] == w3c(report.updated_at)
    assert item["expected_datetime"] == w3c(report.expected_at)
    assert item["media_url"].endswith(f"/zgloszenia/{report.pk}/zdjecie")
    assert item["description"] == "a\r\nb & <c>"
    root = xml(client.get(f"/open311/v2/requests.xml?{query}"))
    request = root.find("request")
    for key in REQUEST_FIELDS:
        expected = item[key]
        text = "" if expected is None else str(expected)
        assert (request.findtext(key) or "") == text, key
    assert client.get("/open311/v2/requests.xml?service_code=nie-ma").content.endswith(
        b"<service_requests></service_requests>\n"
    )

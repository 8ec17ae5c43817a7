"""The CKAN-compatible Action API, called directly: shapes, search, errors, visibility."""

from __future__ import annotations

import json
from typing import Any

import pytest

pytestmark = pytest.mark.django_db

PUBLIC = {"drzewa", "drogi", "plan-nasadzen"}


def call(client: Any, action: str, **params: Any) -> tuple[int, dict[str, Any]]:
    response = client.get(f"/api/3/action/{action}", params)
    return response.status_code, response.json()


def post(client: Any, action: str, body: Any) -> tuple[int, dict[str, Any]]:
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    response = client.post(f"/api/3/action/{action}", data, content_type="application/json")
    return response.status_code, response.json()


def test_status_show(client, hub):
    status, body = call(client, "status_show")
    assert status == 200 and body["success"] is True
    assert body["help"].endswith("/api/3/action/help_show?name=status_show")
    assert body["result"]["ckan_version"].startswith("2.10")
    assert body["result"]["site_url"] == "http://testserver"


def test_package_list_is_the_public_datasets_only(client, hub):
    status, body = call(client, "package_list")
    assert status == 200 and set(body["result"]) == PUBLIC
    _, page = call(client, "package_list", limit=1, offset=1)
    assert page["result"] == sorted(PUBLIC)[1:2]


def test_package_show_by_name_and_id(client, hub):
    status, body = call(client, "package_show", id="drzewa")
    assert status == 200
    package = body["result"]
    assert package["name"] == "drzewa" and package["title"] == "Drzewa"
    assert package["organization"]["name"] == "wos"
    assert package["organization"]["title"] == "Wydział Ochrony Środowiska"
    assert [g["name"] for g in package["groups"]] == ["envi"]
    assert {t["name"] for t in package["tags"]} == {"drzewa", "zieleń"}
    assert package["license_id"] == "CC-BY-4.0" and package["isopen"] is True
    formats = {r["format"] for r in package["resources"]}
    assert {"GeoPackage", "GeoJSON", "CSV", "Shapefile", "OGC API Features", "WFS 2.0"} <= formats
    urls = {r["url"] for r in package["resources"]}
    assert "http://testserver/api/v1/datasets/drzewa/download?format=gpkg" in urls
    assert "http://testserver/ogcapi/collections/drzewa" in urls
    assert package["num_resources"] == len(package["resources"])
    _, again = call(client, "package_show", id=package["id"])
    assert again["result"]["name"] == "drzewa"


def test_dataset_without_version_has_only_its_metadata_resource(client, hub):
    _, body = call(client, "package_show", id="plan-nasadzen")
    assert [r["resource_type"] for r in body["result"]["resources"]] == ["api"]


@pytest.mark.parametrize("slug", ["wewnetrzny", "tajny", "archiwalny", "nie-ma"])
def test_hidden_datasets_are_not_found(client, hub, slug):
    status, body = call(client, "package_show", id=slug)
    assert status == 404 and body["success"] is False
    assert body["error"]["__type"] == "Not Found Error"


def test_hidden_datasets_stay_hidden_from_signed_in_staff(client, hub, make_user):
    client.force_login(make_user("administrator"))
    _, body = call(client, "package_list")
    assert set(body["result"]) == PUBLIC
    _, search = call(client, "package_search", rows=1000)
    assert {p["name"] for p in search["result"]["results"]} == PUBLIC


def test_package_search_q_fq_sort_paging(client, hub):
    _, body = call(client, "package_search", q="drogi")
    assert [p["name"] for p in body["result"]["results"]] == ["drogi"]
    _, body = call(client, "package_search", fq="tags:zieleń")
    assert {p["name"] for p in body["result"]["results"]} == {"drzewa", "plan-nasadzen"}
    _, body = call(client, "package_search", fq="organization:wgk")
    assert [p["name"] for p in body["result"]["results"]] == ["drogi"]
    _, body = call(client, "package_search", fq="groups:tran")
    assert [p["name"] for p in body["result"]["results"]] == ["drogi"]
    _, body = call(client, "package_search", fq='res_format:"GeoPackage" +organization:wos')
    assert [p["name"] for p in body["result"]["results"]] == ["drzewa"]
    _, body = call(client, "package_search", sort="name desc", rows=2, start=1)
    assert body["result"]["count"] == 3
    assert [p["name"] for p in body["result"]["results"]] == ["drzewa", "drogi"]


def test_package_search_facets(client, hub):
    _, body = call(
        client, "package_search", **{"facet.field": '["tags", "organization", "res_format"]'}
    )
    facets = body["result"]["search_facets"]
    tags = {i["name"]: i["count"] for i in facets["tags"]["items"]}
    assert tags == {"zieleń": 2, "drzewa": 1, "drogi": 1}
    orgs = {i["name"]: i["count"] for i in facets["organization"]["items"]}
    assert orgs == {"wos": 2, "wgk": 1}
    assert body["result"]["facets"]["organization"] == orgs
    assert {i["name"]: i["count"] for i in facets["res_format"]["items"]}["GeoJSON"] == 2


def test_post_json_body_like_ckan(client, hub):
    status, body = post(
        client, "package_search", {"fq": "tags:drogi", "rows": 5, "facet.field": ["groups"]}
    )
    assert status == 200 and [p["name"] for p in body["result"]["results"]] == ["drogi"]
    assert body["result"]["search_facets"]["groups"]["items"] == [
        {"name": "tran", "display_name": "tran", "count": 1}
    ]


def test_organizations_groups_tags_resources(client, hub):
    _, body = call(client, "organization_list")
    assert body["result"] == ["wgk", "wos"]
    _, body = call(client, "organization_list", all_fields="true")
    assert {o["name"]: o["package_count"] for o in body["result"]} == {"wgk": 1, "wos": 2}
    status, body = call(client, "organization_show", id="wos", include_datasets="true")
    assert status == 200 and body["result"]["is_organization"] is True
    assert {p["name"] for p in body["result"]["packages"]} == {"drzewa", "plan-nasadzen"}
    _, body = call(client, "group_list")
    assert body["result"] == ["envi", "tran"]
    _, body = call(client, "tag_list")
    assert body["result"] == ["drogi", "drzewa", "zieleń"]
    _, body = call(client, "tag_list", query="drz")
    assert body["result"] == ["drzewa"]
    _, package = call(client, "package_show", id="drogi")
    resource = package["result"]["resources"][0]
    status, body = call(client, "resource_show", id=resource["id"])
    assert status == 200 and body["result"] == resource


def test_owner_unit_of_only_hidden_datasets_is_not_an_organization(client, hub):
    hub["public"][1].delete()  # WGK keeps only its restricted dataset
    _, body = call(client, "organization_list")
    assert body["result"] == ["wos"]
    status, body = call(client, "organization_show", id="wgk")
    assert status == 404 and body["error"]["__type"] == "Not Found Error"


@pytest.mark.parametrize(
    ("action", "params", "status", "kind"),
    [
        ("package_show", {}, 409, "Validation Error"),
        ("resource_show", {"id": "x" * 500}, 409, "Validation Error"),
        ("resource_show", {"id": "00000000-0000-0000-0000-000000000000"}, 404, "Not Found Error"),
        ("organization_show", {"id": "nie-ma"}, 404, "Not Found Error"),
        ("package_search", {"rows": "abc"}, 409, "Validation Error"),
        ("package_search", {"start": "-1"}, 409, "Validation Error"),
        ("package_search", {"q": "x" * 1001}, 409, "Validation Error"),
        ("package_search", {"fq": "owner_secret:1"}, 409, "Search Query Error"),
        ("package_search", {"fq": 'tags:"open'}, 409, "Search Query Error"),
        ("package_search", {"sort": "password asc"}, 409, "Search Query Error"),
        ("package_search", {"facet.field": '{"a": 1}'}, 409, "Validation Error"),
        ("package_create", {"name": "x"}, 400, "Bad Request"),
        ("help_show", {"name": "nope"}, 404, "Not Found Error"),
    ],
)
def test_errors_are_shaped_like_ckan(client, hub, action, params, status, kind):
    got, body = call(client, action, **params)
    assert got == status
    assert body["success"] is False and body["error"]["__type"] == kind
    assert body["error"]["message"] and "help" in body


def test_rows_are_capped_at_1000(client, hub):
    _, body = call(client, "package_search", rows="5000")
    assert body["success"] is True and body["result"]["count"] == 3


@pytest.mark.parametrize("raw", ["{not json", "[1, 2]", '"text"'])
def test_bad_json_bodies_are_400(client, hub, raw):
    status, body = post(client, "package_search", raw)
    assert status == 400 and body["error"]["__type"] == "Bad Request"


def test_injection_in_parameters_is_harmless(client, hub):
    status, body = call(client, "package_search", q='"; DROP TABLE datahub_dataset; --"')
    assert status == 200 and body["result"]["count"] == 0
    status, body = call(client, "package_search", q="'; DROP TABLE datahub_dataset; --")
    assert status == 409 and body["error"]["__type"] == "Search Query Error"
    assert call(client, "package_list")[1]["result"]
    status, body = call(client, "package_show", id="drzewa' OR '1'='1")
    assert status == 404


def test_api_version_root(client, hub):
    assert client.get("/api/3").json() == {"version": 3}
    assert client.get("/api/action/package_list").json()["success"] is True


def test_help_show_describes_an_action(client, hub):
    status, body = call(client, "help_show", name="package_search")
    assert status == 200 and "fq" in body["result"] and "rows" in body["result"]


@pytest.mark.parametrize(
    "body", [{"id": ["drzewa"]}, {"rows": 1.5}, {"rows": True}, {"facet.limit": "x"}]
)
def test_wrong_types_in_json_bodies_are_validation_errors(client, hub, body):
    action = "package_show" if "id" in body else "package_search"
    status, answer = post(client, action, body)
    assert status == 409 and answer["error"]["__type"] == "Validation Error"


def test_form_encoded_posts_are_accepted(client, hub):
    response = client.post("/api/3/action/package_search", {"fq": "groups:tran", "rows": "5"})
    assert response.status_code == 200
    assert [p["name"] for p in response.json()["result"]["results"]] == ["drogi"]

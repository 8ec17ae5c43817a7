"""ckanapi — the CKAN client harvesters and scripts use — reads the catalogue unchanged,
over HTTP from a live server, by POST (its default) and by GET."""

from __future__ import annotations

from typing import Any

import ckanapi
import pytest

PUBLIC = {"drzewa", "drogi", "plan-nasadzen"}


@pytest.fixture(params=[False, True], ids=["post", "get"])
def remote(request: pytest.FixtureRequest, live_server: Any, live_hub: Any) -> ckanapi.RemoteCKAN:
    return ckanapi.RemoteCKAN(live_server.url, user_agent="miasto-tests", get_only=request.param)


def test_list_show_search(remote):
    assert remote.action.status_show()["ckan_version"].startswith("2.10")
    assert set(remote.action.package_list()) == PUBLIC
    package = remote.action.package_show(id="drzewa")
    assert package["organization"]["name"] == "wos" and package["num_resources"] == 7
    result = remote.action.package_search(
        q="drzewa", fq="tags:zieleń organization:wos", rows=10,
        **{"facet.field": '["tags", "res_format", "groups"]'},
    )  # fmt: skip
    assert [p["name"] for p in result["results"]] == ["drzewa"]
    tags = {i["name"] for i in result["search_facets"]["tags"]["items"]}
    assert "zieleń" in tags


def test_search_with_fq_and_facets(remote):
    result = remote.action.package_search(fq="groups:envi", **{"facet.field": '["organization"]'})
    assert {p["name"] for p in result["results"]} == {"drzewa", "plan-nasadzen"}
    assert result["search_facets"]["organization"]["items"] == [
        {"name": "wos", "display_name": "wos", "count": 2}
    ]
    page = remote.action.package_search(rows=1, start=2, sort="name asc")
    assert [p["name"] for p in page["results"]] == ["plan-nasadzen"] and page["count"] == 3


def test_organizations_groups_tags_resources(remote):
    assert remote.action.organization_list() == ["wgk", "wos"]
    assert remote.action.organization_show(id="wgk")["package_count"] == 1
    assert remote.action.group_list() == ["envi", "tran"]
    assert "zieleń" in remote.action.tag_list()
    resource = remote.action.package_show(id="drogi")["resources"][1]
    assert remote.action.resource_show(id=resource["id"])["url"] == resource["url"]


def test_errors_become_ckanapi_exceptions(remote):
    with pytest.raises(ckanapi.NotFound):
        remote.action.package_show(id="tajny")  # restricted: invisible
    with pytest.raises(ckanapi.NotFound):
        remote.action.package_show(id="wewnetrzny")
    with pytest.raises(ckanapi.ValidationError):
        remote.action.package_show()
    with pytest.raises(ckanapi.SearchQueryError):
        remote.action.package_search(fq="secret_field:1")

"""The OpenAPI document of /api/v1: every api/v1 URL is documented, the document is well
formed, and the reference page serves Swagger UI from the site's own files under the CSP."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from miasto.core.openapi import operation_registry

pytestmark = pytest.mark.django_db


def api_patterns(patterns: list[Any] | None = None, prefix: str = "") -> list[tuple[str, str]]:
    """(route, URL name) of every URL pattern under api/v1."""
    found: list[tuple[str, str]] = []
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + str(p.pattern).lstrip("^")
        if isinstance(p, URLResolver):
            found += api_patterns(p.url_patterns, route)
        elif isinstance(p, URLPattern) and route.startswith("api/v1"):
            found.append((route, p.name or ""))
    return found


def test_every_api_v1_url_is_documented():
    documented = {op.url_name for op in operation_registry}
    patterns = api_patterns()
    assert len(patterns) >= 25
    missing = sorted(route for route, name in patterns if name not in documented)
    assert not missing, f"api/v1 URLs without an OpenAPI operation: {missing}"


def _as_template(route: str) -> str:
    """``api/v1/parcels/<path:identifier>`` (or a regex) → ``/api/v1/parcels/{identifier}``."""
    route = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", route)
    route = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
    return "/" + route.rstrip("$")


def test_documented_paths_are_the_urls():
    routes = {name: _as_template(route) for route, name in api_patterns()}
    for op in operation_registry:
        assert routes.get(op.url_name) == op.path, op


def test_document_shape(client):
    doc = client.get("/api/v1/openapi.json").json()
    assert doc["openapi"].startswith("3.0")
    assert doc["servers"] == [{"url": "http://testserver"}]
    ids = [op["operationId"] for path in doc["paths"].values() for op in path.values()]
    assert len(ids) == len(set(ids)) >= 29
    for path, operations in doc["paths"].items():
        names = set(re.findall(r"{(\w+)}", path))
        for method, op in operations.items():
            assert method in ("get", "post")
            declared = {p["name"] for p in op["parameters"] if p["in"] == "path"}
            assert declared == names, (path, method)
            assert all(p["required"] for p in op["parameters"] if p["in"] == "path")
            assert "200" in op["responses"] and op["summary"] and op["tags"]
            for status, answer in op["responses"].items():
                if int(status) >= 400:  # the shared error body, or a result's own state
                    schema = answer["content"]["application/json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/Error"} or (
                        "message" in schema["properties"]
                    ), (path, status)
    assert doc["components"]["schemas"]["Error"]["required"] == ["error", "message"]
    assert doc["paths"]["/api/v1/layers/{name}/features"]["get"]["deprecated"] is True


def test_reference_page_uses_local_swagger_ui_under_the_csp(client):
    response = client.get("/api/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="pl"' in html and "Dokumentacja API" in html
    assert "swagger-ui/swagger-ui-bundle.js" in html and "opendata/api-reference.js" in html
    assert 'data-url="/api/v1/openapi.json"' in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "no inline scripts"
    assert (
        "https://"
        not in re.sub(r'href="https://[^"]*"', "", html).split("<main")[1].split("</main>")[0]
    )
    csp = response["Content-Security-Policy"]
    assert (
        "script-src 'self'" in csp
        and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    )


def test_layer_features_is_deprecated(client, city):
    response = client.get("/api/v1/layers/parcels/features", {"bbox": "19,51,20,52"})
    assert response.status_code == 200
    assert response["Deprecation"] == "@1796601600"  # RFC 9745: a date, 2026-12-07
    assert 'rel="successor-version"' in response["Link"]

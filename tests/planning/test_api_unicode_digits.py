"""Identifiers with digits that str.isdigit() accepts and int() refuses ("¹", superscript one)
answer 400, not 500 (found by the OpenAPI fuzzing in tests/opendata/test_fuzz.py)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/api/v1/plans/¹", "/api/v1/plans/¹/app.gml", "/api/v1/plans/1²"])
def test_plan_id_with_superscript_digits_is_400(client, url):
    response = client.get(url)
    assert response.status_code == 400 and response.json()["error"] == "invalid_parameter"


def test_scenario_id_with_superscript_digits_is_400(client, make_user):
    client.force_login(make_user("planner"))
    response = client.get("/api/v1/scenarios/¹")
    assert response.status_code == 400 and response.json()["error"] == "invalid_parameter"


def test_plan_page_with_superscript_digits_is_400(client):
    assert client.get("/planowanie/plany/¹/").status_code == 400

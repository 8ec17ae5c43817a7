"""The conflicts page lists its conflicts a page at a time, filtered by district, severity,
kind of conflict (rule) and plan, with one unit (m²) in the chart, the tables and the map's
labels; hostile parameters answer 400 with the message next to the form, never 500."""

from __future__ import annotations

import json
import re

import pytest

from miasto.planning.pages import analyses as pages
from miasto.territory import models as tm
from tests.planning.analyses.conftest import multi
from tests.territory import factories as tf

pytestmark = pytest.mark.django_db


def text(response) -> str:  # type: ignore[no-untyped-def]
    return re.sub(r"\s+", " ", response.content.decode().replace("\xa0", " "))


def listed(response) -> str:  # type: ignore[no-untyped-def]
    return text(response).split('id="conflict-list"')[1].split("</table>")[0]


def rows(response) -> int:  # type: ignore[no-untyped-def]
    return listed(response).count("<tr>") - 1  # the header's row


@pytest.fixture
def crowded(town):  # type: ignore[no-untyped-def]
    """The town with 29 more 1 % flood areas (10 × 1 000 m strips over 1MN and 1SJ): 30
    flood areas, each conflicting with 1MN and with 1SJ — 60 conflicts."""
    for i in range(29):
        x = 110 + i * 12
        tf.ConstraintFactory(
            kind=tm.Constraint.Kind.FLOOD_HAZARD_1,
            name=f"Zalew {i:02d}",
            geom=multi(x, 0, x + 10, 1000),
        )
    return town


def test_conflicts_are_paged(client, crowded, monkeypatch):
    monkeypatch.setattr(pages, "CONFLICTS_PAGE", 25)
    first = client.get("/planowanie/analizy/konflikty/")
    assert first.status_code == 200
    assert rows(first) == 25
    body = text(first)
    assert "Konflikty 1–25 z 60" in body
    assert "Strona 1 z 3" in body
    assert 'rel="next" href="?page=2#lista"' in body
    # the map draws the conflicts of this page only
    overlay = body.split('id="analysis-map-config"')[1].split("</script>")[0]
    assert overlay.count('"severity_label"') == 25
    last = client.get("/planowanie/analizy/konflikty/?page=3")
    assert rows(last) == 10 and "Konflikty 51–60 z 60" in text(last)
    # a page past the end shows the last one
    assert "Strona 3 z 3" in text(client.get("/planowanie/analizy/konflikty/?page=99"))


def test_paging_keeps_the_filters(client, crowded, town, monkeypatch):
    monkeypatch.setattr(pages, "CONFLICTS_PAGE", 10)
    r = client.get(f"/planowanie/analizy/konflikty/?plan={town.l1.pk}&rule=housing-flood-hazard")
    assert r.status_code == 200
    assert "Konflikty 1–10 z 30" in text(r)
    assert "1SJ" not in listed(r)
    assert f'href="?rule=housing-flood-hazard&amp;plan={town.l1.pk}&amp;page=2#lista"' in text(r)
    # the plan is selected in the form, the other plan still offered
    body = text(r)
    assert f'<option value="{town.l1.pk}" selected>' in body
    assert f'<option value="{town.pog.pk}">' in body


def test_filter_by_plan_district_and_kind(client, town):
    r = client.get(f"/planowanie/analizy/konflikty/?plan={town.pog.pk}")
    assert r.status_code == 200
    assert "1SJ" in listed(r) and "1MN" not in listed(r)
    assert rows(r) == 1
    # the totals follow the filter: one conflict of 100 000 m²
    assert "1 konflikt terenu z uwarunkowaniem, łącznie 100 000 m²." in text(r)
    r = client.get("/planowanie/analizy/konflikty/?district=02")
    assert "Brak konfliktów." in listed(r)
    r = client.get("/planowanie/analizy/konflikty/?rule=housing-flood-risk")
    assert r.status_code == 200 and "Brak konfliktów." in listed(r)
    # a plan without conflicts: said, not an error
    r = client.get(f"/planowanie/analizy/konflikty/?plan={town.l2.pk}")
    assert r.status_code == 200
    assert "Wybrany plan nie ma konfliktów przy pozostałych filtrach." in text(r)


def test_one_unit_everywhere(client, town):
    body = text(client.get("/planowanie/analizy/konflikty/"))
    chart = body.split('id="conflicts-chart"')[1].split("</svg>")[0]
    assert "200 000 m²" in chart and " ha" not in chart
    config = json.loads(
        body.split('id="analysis-map-config" type="application/json">')[1].split("</script>")[0]
    )
    labels = [f["properties"]["label"] for f in config["districts"]["features"]]
    assert [label.replace("\xa0", " ") for label in labels] == ["200 000 m²", "0 m²"]
    assert " ha<" not in body and "(ha)" not in body


@pytest.mark.parametrize(
    "query",
    [
        "page=abc",
        "page=0",
        "page=-1",
        "page=1e9",
        "page=99999999999999999999999",
        "plan=abc",
        "plan=0",
        "plan=99999999999999999999999",
        "rule=nie-ma-takiej",
        "rule=%3Cscript%3E",
        "district=%27%3B--",
        "severity=z%C5%82y",
    ],
)
def test_hostile_parameters_answer_400_with_the_message(client, town, query):
    r = client.get(f"/planowanie/analizy/konflikty/?{query}")
    assert r.status_code == 400
    body = text(r)
    assert 'role="alert"' in body and "Filtry nie zostały zastosowane." in body
    assert "<script>" not in body.split('id="conflicts-form-error"')[1][:400]
    # the page still lists every conflict (no filter)
    assert rows(r) == 2


def test_a_nul_byte_answers_400(client, town):
    assert client.get("/planowanie/analizy/konflikty/?plan=1%00").status_code == 400


def test_api_filters_by_rule_and_plan(client, town):
    r = client.get(f"/api/v1/analyses/conflicts?plan={town.l1.pk}")
    assert r.status_code == 200
    data = r.json()
    assert data["filters"]["plan"] == town.l1.pk
    assert [c["zone"]["designation"] for c in data["conflicts"]] == ["1MN"]
    assert client.get("/api/v1/analyses/conflicts?rule=housing-flood-risk").json()["total"] == {
        "count": 0,
        "area": 0,
    }
    assert client.get("/api/v1/analyses/conflicts?rule=x").status_code == 400
    assert client.get("/api/v1/analyses/conflicts?plan=x").status_code == 400

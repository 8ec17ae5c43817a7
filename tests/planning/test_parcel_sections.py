"""Planning's section of a parcel's page (:mod:`miasto.planning.parcel_sections`): the plans
in force that bind the hand-made parcel of ``test_report``, their zones' shares, the links to
the plans and to the parcel's wypis i wyrys."""

from __future__ import annotations

import re

import pytest

from miasto.planning.parcel_sections import plans_section
from miasto.territory.sections import parcel_sections, sections_for
from tests.i18n import compile_messages
from tests.planning.test_report import site  # noqa: F401
from tests.planning.test_report_page import text_of


@pytest.fixture(autouse=True)
def _messages() -> None:
    compile_messages("web")
    compile_messages("planning")


def test_planning_registers_its_section() -> None:
    section = parcel_sections.get("planning")
    assert section is not None and section.template == "planning/parcel_section.html"


def test_section_data(site):  # noqa: F811
    data = plans_section(site.identifier)
    assert data is not None
    # R1 binds the parcel; R2 only touches it (a sliver), R0 was annulled
    assert [plan["local_id"] for plan in data["plans"]] == ["R1"]
    plan = data["plans"][0]
    assert [z["designation"] for z in plan["zones"]] == ["1MN", "2MW"]
    assert [round(z["share_percent"], 1) for z in plan["zones"]] == [60.0, 40.0]
    assert round(plan["share_percent"], 1) == 100.0
    assert plan["url"] == f"/planowanie/plany/{plan['id']}/"
    assert data["report_url"] == f"/planowanie/wypis/{site.identifier}/"
    assert [s.key for s, _ in sections_for(site.identifier)] == ["planning"]


def test_no_section_for_an_unknown_parcel(db) -> None:  # type: ignore[no-untyped-def]
    assert plans_section("106401_1.0007.999") is None
    assert sections_for("106401_1.0007.999") == []


def test_parcel_page_lists_the_binding_plans(client, site):  # noqa: F811
    response = client.get(f"/dzialki/{site.identifier}/", HTTP_ACCEPT_LANGUAGE="pl")
    assert response.status_code == 200
    html = response.content.decode()
    text = text_of(html)
    assert "Plany obowiązujące na działce" in text
    assert "Plan R1" in text and "Plan R0" not in text and "Plan R2" not in text
    assert "1MN (60,0 %)" in text and "2MW (40,0 %)" in text
    assert re.search(r'href="/planowanie/plany/\d+/"', html)
    assert f'href="/planowanie/wypis/{site.identifier}/"' in html
    assert "Wypis i wyrys z planu dla tej działki" in text

"""The analysis pages render with their map, chart and table (figures of the hand-made town)."""

from __future__ import annotations

import re

import pytest

from tests.planning.analyses.conftest import get_computed

pytestmark = pytest.mark.django_db


def text(response) -> str:  # type: ignore[no-untyped-def]
    html = response.content.decode()
    return re.sub(r"\s+", " ", html.replace("\xa0", " "))


def test_index_links_every_analysis(client, town):
    r = client.get("/planowanie/analizy/")
    assert r.status_code == 200
    body = text(r)
    for path in ("pokrycie", "chlonnosc", "konflikty", "dostepnosc"):
        assert f'href="/planowanie/analizy/{path}/"' in body
    assert "60 m²" in body and ("2.3" in body or "2,3" in body)


def test_coverage_page_table_chart_map(client, town):
    r = client.get("/planowanie/analizy/pokrycie/?from=2012&to=2016-01-01&step=4")
    assert r.status_code == 200
    body = text(r)
    assert 'id="analysis-map"' in body and 'id="analysis-map-config"' in body
    assert '<svg class="chart" id="coverage-chart"' in body and 'role="img"' in body
    timeline = body.split('id="coverage-timeline"')[1].split("</table>")[0]
    assert "37,5 %" in timeline or "37.5 %" in timeline  # 750 000 of 2 000 000 m² in 2016
    assert "65,0 %" in timeline or "65.0 %" in timeline  # 130 of 200 residents
    districts = body.split('id="coverage-districts"')[1].split("</table>")[0]
    assert "Zachód" in districts and "Wschód" in districts
    assert "/api/v1/analyses/coverage?from=2012" in body and "format=csv" in body


def test_coverage_page_bad_parameter_shows_polish_message(client, town):
    r = client.get("/planowanie/analizy/pokrycie/?from=jutro")
    assert r.status_code == 400
    assert "RRRR-MM-DD" in r.content.decode()
    assert 'aria-invalid="true"' in r.content.decode()


def test_capacity_page_with_forecast(client, town):
    r = get_computed(
        client, "/planowanie/analizy/chlonnosc/?forecast_population=246&forecast_year=2035"
    )
    assert r.status_code == 200
    body = text(r)
    table = body.split('id="capacity-districts"')[1].split("</table>")[0]
    # today: P1 12 + P2 7 + P3 8 dwellings, all in 01; 200 residents now
    row_01 = table.split("Zachód")[1].split("</tr>")[0]
    assert ">27<" in row_01 and ">150<" in row_01
    tfoot = table.split("<tfoot>")[1]
    assert ">27<" in tfoot and ">200<" in tfoot and ">20<" in tfoot  # needed (246 − 200) ÷ 2.3
    assert '<svg class="chart" id="capacity-chart"' in body
    assert '"capacity"' in body  # the parcel tile layer is on the map
    assert "level=parcel" in body and "format=csv" in body


def test_capacity_page_bad_forecast(client, town):
    r = get_computed(client, "/planowanie/analizy/chlonnosc/?forecast_population=-3")
    assert r.status_code == 400
    assert "forecast_population" in r.content.decode()


def test_conflicts_page(client, town):
    r = client.get("/planowanie/analizy/konflikty/")
    assert r.status_code == 200
    body = text(r)
    rows = body.split('id="conflict-list"')[1].split("</table>")[0]
    assert "1MN" in rows and "1SJ" in rows and "Zalew testowy" in rows
    assert "100 000" in rows or "100,000" in rows
    assert '"overlay"' in body  # conflict polygons for the map
    r = client.get("/planowanie/analizy/konflikty/?district=02")
    assert r.status_code == 200
    assert "1MN" not in text(r).split('id="conflict-list"')[1].split("</table>")[0]
    assert client.get("/planowanie/analizy/konflikty/?severity=zły").status_code == 400


def test_accessibility_page(client, town):
    r = client.get("/planowanie/analizy/dostepnosc/")
    assert r.status_code == 200
    body = text(r)
    assert '"accessibility-gaps"' in body
    assert "/api/v1/analyses/accessibility?format=csv" in body


def test_bar_chart_shortens_long_labels_keeping_the_full_text():
    from miasto.planning.analyses.charts import Chart, Series, bar_chart

    long = "Zabudowa mieszkaniowa na obszarze szczególnego zagrożenia powodzią " * 3
    svg = str(
        bar_chart(
            Chart(
                chart_id="c",
                title="Konflikty",
                description="Konflikty według reguł",
                labels=[long.strip(), "Krótka"],
                series=[Series(label="ha", values=[2.0, 1.0])],
            ),
            value_format=lambda v: f"{v} ha",
        )
    )
    assert f"<title>{long.strip()}</title>" in svg  # full text as a tooltip
    assert "…</text>" in svg and ">Krótka</text>" in svg

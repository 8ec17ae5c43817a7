"""The housing balance counts dwellings in the Polish plural form: 1 mieszkanie, 2
mieszkania, 5 mieszkań (gettext ngettext, not one form for every number)."""

from __future__ import annotations

import re

import pytest

from tests.planning.analyses.conftest import get_computed

pytestmark = pytest.mark.django_db


def verdict(client, population: int) -> str:  # type: ignore[no-untyped-def]
    r = get_computed(
        client,
        f"/planowanie/analizy/chlonnosc/?forecast_population={population}&forecast_year=2035",
    )
    assert r.status_code == 200
    html = r.content.decode().replace("\xa0", " ")
    return re.sub(r"\s+", " ", html.split('class="balance__verdict')[1].split("</p>")[0])


def test_balance_in_every_plural_form(client, town):
    # 27 potential dwellings (the town's half-covered parcel counts its general-plan part
    # too); the forecast's needs: (population − 200) ÷ 2.3, rounded up
    forms = {population: verdict(client, population) for population in (257, 259, 250, 390)}
    assert "plany pozwalają na 2 mieszkania więcej" in forms[257]
    assert "plany pozwalają na 1 mieszkanie więcej" in forms[259]
    assert "plany pozwalają na 5 mieszkań więcej" in forms[250]
    assert "Niedobór: −56 mieszkań" in forms[390]

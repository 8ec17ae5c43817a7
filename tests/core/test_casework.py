"""Answer templates: placeholders filled, hostile text left harmless, and the checks before a
template is kept (:mod:`miasto.core.casework`)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from miasto.core import casework
from miasto.core.casework import PLACEHOLDERS, template_problems, template_render

VALUES = casework.case_values(
    number=17, received=date(2026, 3, 4), category="Dziura w jezdni", unit="Wydział Dróg"
)


def test_placeholders_are_filled() -> None:
    text = template_render("Zgłoszenie nr {numer} z {data} ({kategoria}), {jednostka}.", VALUES)
    assert text == "Zgłoszenie nr 17 z 04.03.2026 (Dziura w jezdni), Wydział Dróg."


def test_a_datetime_is_shown_as_a_local_date() -> None:
    values = {**VALUES, "data": datetime(2026, 3, 4, 23, 30, tzinfo=UTC)}
    # 23:30 UTC is already the next day in Warsaw
    assert template_render("{data}", values) == "05.03.2026"


@pytest.mark.parametrize(
    "body",
    [
        "{nieznany}",
        "{0.__class__.__mro__}",
        "{numer.__class__}",
        "{numer!r}",
        "{numer:>99999}",
        "{{numer}}",
        "{}",
    ],
)
def test_anything_else_in_braces_stays_as_written(body: str) -> None:
    rendered = template_render(body, VALUES)
    assert "__" not in rendered.replace(body, "") and len(rendered) < 100
    if body == "{{numer}}":
        assert rendered == "{17}"
    else:
        assert rendered == body


def test_unknown_placeholders_are_refused_with_the_allowed_ones() -> None:
    problems = template_problems("Dzień dobry {imie} {numer} {0.__class__}")
    assert len(problems) == 1
    assert "{imie}" in problems[0] and "{numer}" in problems[0]


def test_an_oversized_template_is_refused_and_a_rendering_is_bounded() -> None:
    assert template_problems("x" * (casework.TEMPLATE_BODY_MAX + 1))
    assert not template_problems("x" * casework.TEMPLATE_BODY_MAX)
    big = "{kategoria}" * 1000
    assert len(template_render(big, {**VALUES, "kategoria": "y" * 100})) == 5000


def test_every_placeholder_is_documented() -> None:
    assert set(PLACEHOLDERS) == {"numer", "data", "kategoria", "jednostka", "dzis"}

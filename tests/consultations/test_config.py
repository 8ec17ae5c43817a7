"""The law's checks at set-up: art. 8i's minimum combination of forms and the minimum
duration (versioned configuration)."""

from __future__ import annotations

import datetime as dt

import pytest

from miasto.consultations import config
from miasto.core.versioning import check_versions


@pytest.mark.parametrize(
    "forms",
    [
        ["comments", "meeting", "study_walk"],
        ["comments", "workshop", "geo_survey"],
        ["comments", "expert_panel", "duty_hours", "other"],
        ["comments", "meeting", "consultation_point"],
    ],
)
def test_minimum_combinations_pass(forms: list[str]) -> None:
    assert config.forms_problems(forms) == []


@pytest.mark.parametrize(
    ("forms", "missing"),
    [
        (["meeting", "study_walk"], "Collecting comments"),
        (["comments", "study_walk", "survey"], "open meeting"),
        (["comments", "meeting", "workshop"], "outdoor meeting"),
        (["comments", "other"], "open meeting"),
        ([], "Collecting comments"),
    ],
)
def test_incomplete_combinations_are_named(forms: list[str], missing: str) -> None:
    problems = config.forms_problems(forms)
    assert problems and any(missing in p for p in problems), problems


def test_unknown_form_is_refused() -> None:
    assert "Unknown" in config.forms_problems(["comments", "séance"])[0]


def test_every_art_8i_group_has_forms() -> None:
    groups = {group for group, _label in config.FORMS.values()}
    assert groups == {0, 1, 2, 3, 4, 5}


def test_duration_counts_both_ends() -> None:
    start = dt.date(2026, 3, 1)
    assert config.duration_days(start, dt.date(2026, 3, 21)) == 21
    assert config.dates_problems(start, dt.date(2026, 3, 21)) == []
    short = config.dates_problems(start, dt.date(2026, 3, 20))
    assert short and "20 days" in short[0] and "21" in short[0]
    assert config.dates_problems(start, dt.date(2026, 2, 1))
    assert config.dates_problems(None, start)


def test_rules_are_versioned_and_do_not_overlap() -> None:
    check_versions(config.RULES)
    rules = config.rules_on(dt.date(2026, 12, 7))
    assert rules.min_days == 21 and "8" in rules.source

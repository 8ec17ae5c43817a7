"""The one convention of versioned configuration: half-open periods [valid_from, valid_to)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from psycopg import sql

from miasto.core.db import fetch_value
from miasto.core.sql import as_text
from miasto.core.versioning import (
    VersionOverlap,
    check_versions,
    in_force,
    in_force_sql,
    version_for,
)

DAY = dt.date(2026, 7, 1)


@dataclass(frozen=True)
class V:
    key: str
    valid_from: dt.date
    valid_to: dt.date | None


OLD = V("old", dt.date(2020, 1, 1), DAY)
NEW = V("new", DAY, None)


def test_the_changeover_day_belongs_to_the_new_version_only():
    assert in_force(OLD, DAY - dt.timedelta(days=1)) and not in_force(OLD, DAY)
    assert in_force(NEW, DAY) and not in_force(NEW, DAY - dt.timedelta(days=1))
    assert version_for([OLD, NEW], DAY) is NEW
    assert version_for([OLD, NEW], DAY - dt.timedelta(days=1)) is OLD


def test_before_every_version_the_newest_is_the_fallback():
    assert version_for([OLD, NEW], dt.date(1999, 1, 1)) is NEW
    with pytest.raises(LookupError):
        version_for([], DAY)


def test_overlapping_versions_are_refused():
    check_versions([OLD, NEW])  # ends the day the next begins: fine
    with pytest.raises(VersionOverlap, match="old and new"):
        check_versions([V("old", OLD.valid_from, DAY + dt.timedelta(days=1)), NEW])
    with pytest.raises(VersionOverlap, match="open"):
        check_versions([V("open", OLD.valid_from, None), NEW])
    with pytest.raises(VersionOverlap, match="not after"):
        check_versions([V("empty", DAY, DAY)])
    with pytest.raises(VersionOverlap, match="2 versions"):
        version_for([V("open", OLD.valid_from, None), NEW], DAY)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("valid_to", "day", "expected"),
    [(None, DAY, True), (DAY, DAY, False), (DAY, DAY - dt.timedelta(days=1), True),
     (DAY, dt.date(2019, 12, 31), False)],
)  # fmt: skip
def test_in_force_sql_is_the_same_rule(valid_to, day, expected):
    condition = in_force_sql("v", sql.SQL("%(day)s::date"))
    query = sql.SQL(
        "SELECT {} FROM (SELECT %(start)s::date AS valid_from, %(end)s::date AS valid_to) v"
    )
    params = {"day": day, "start": OLD.valid_from, "end": valid_to}
    assert fetch_value(as_text(query.format(condition)), params) is expected

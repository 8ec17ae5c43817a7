"""Versioned configuration: one convention for the validity of every version.

Rates, distances, catalogues and rules from the law are versions, each valid over a
**half-open** period ``[valid_from, valid_to)``: in force from ``valid_from`` inclusive until
``valid_to`` exclusive (``None``: open-ended). A version that replaces another starts on the
day the old one ends (old ``valid_to`` = new ``valid_from``), so on a changeover day exactly
one version applies — the new one.

The same rule for the three places versions live:

- configuration written in code (frozen dataclasses with ``valid_from``/``valid_to``):
  :func:`version_for` picks the version in force on a date, :func:`check_versions` refuses
  overlapping versions (called where the versions are declared, so a bad entry fails at
  import, and in the tests);
- configuration in the database: :class:`VersionedQuerySet` (``in_force(on)``) and
  :func:`overlapping_q` for the validation of a model's versions;
- SQL: :func:`in_force_sql` (the condition on a table's columns).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Protocol, TypeVar

from django.db import models
from django.db.models import Q
from psycopg import sql


class Versioned(Protocol):
    @property
    def valid_from(self) -> dt.date: ...

    @property
    def valid_to(self) -> dt.date | None: ...


V = TypeVar("V", bound=Versioned)


class VersionOverlap(ValueError):
    """Two versions of the same configuration are in force on a common day, or a version
    ends before it starts."""


def in_force(version: Versioned, on: dt.date) -> bool:
    """Whether ``version`` is in force on ``on``: ``valid_from <= on < valid_to``."""
    return version.valid_from <= on and (version.valid_to is None or on < version.valid_to)


def version_for(versions: Iterable[V], on: dt.date | None = None) -> V:
    """The version in force on ``on`` (today by default). Before the first version (or in a
    gap) the newest one is the fallback, so that a date outside the configuration still gets
    the current rules. Raises :class:`LookupError` if there is no version at all."""
    day = on or dt.date.today()
    pool = list(versions)
    if not pool:
        raise LookupError("no versions configured")
    current = [v for v in pool if in_force(v, day)]
    if len(current) > 1:
        raise VersionOverlap(f"{len(current)} versions in force on {day.isoformat()}")
    return current[0] if current else max(pool, key=lambda v: v.valid_from)


def check_versions(
    versions: Iterable[V], name: Callable[[V], str] = lambda v: str(getattr(v, "key", v))
) -> None:
    """Refuse versions that overlap (two in force on a common day) or whose ``valid_to`` is
    not after ``valid_from``; :class:`VersionOverlap` names them."""
    ordered: Sequence[V] = sorted(versions, key=lambda v: v.valid_from)
    for v in ordered:
        if v.valid_to is not None and v.valid_to <= v.valid_from:
            raise VersionOverlap(
                f"{name(v)}: valid_to {v.valid_to.isoformat()} is not after valid_from "
                f"{v.valid_from.isoformat()}"
            )
    for earlier, later in zip(ordered, ordered[1:], strict=False):
        if earlier.valid_to is None or earlier.valid_to > later.valid_from:
            raise VersionOverlap(
                f"{name(earlier)} and {name(later)} are both in force on "
                f"{later.valid_from.isoformat()} (a version ends on the day the next begins)"
            )


def overlapping_q(valid_from: dt.date, valid_to: dt.date | None) -> Q:
    """Rows whose period ``[valid_from, valid_to)`` shares a day with the given one."""
    q = Q(valid_to__isnull=True) | Q(valid_to__gt=valid_from)
    if valid_to is not None:
        q &= Q(valid_from__lt=valid_to)
    return q


class VersionedQuerySet(models.QuerySet[Any]):
    """A query set of a model with ``valid_from``/``valid_to`` date fields."""

    def in_force(self, on: dt.date | None = None) -> VersionedQuerySet:
        """The rows in force on ``on`` (today by default): ``valid_from <= on < valid_to``."""
        day = on or dt.date.today()
        return self.filter(valid_from__lte=day).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gt=day)
        )

    def overlapping(self, valid_from: dt.date, valid_to: dt.date | None) -> VersionedQuerySet:
        """The rows sharing a day with ``[valid_from, valid_to)``."""
        return self.filter(overlapping_q(valid_from, valid_to))


def in_force_sql(alias: str, day: sql.Composable) -> sql.Composed:
    """The SQL condition "row ``alias`` is in force on ``day``" (a placeholder or literal):
    ``alias.valid_from <= day AND (alias.valid_to IS NULL OR alias.valid_to > day)``."""
    a = sql.Identifier(alias)
    return sql.SQL(
        "({a}.valid_from <= {d} AND ({a}.valid_to IS NULL OR {a}.valid_to > {d}))"
    ).format(a=a, d=day)

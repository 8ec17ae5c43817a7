"""Parsing and validation of the analyses' request parameters (API and pages alike).

Every function raises :class:`~miasto.core.errors.InvalidParameter` with a Polish message, so
the API answers 400 and a page shows the message next to its form.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass

from miasto.core.errors import InvalidParameter
from miasto.core.http import int_value
from miasto.planning.analyses.common import districts
from miasto.planning.analyses.config import SEVERITIES, analysis_config_for
from miasto.planning.analyses.conflicts import ConflictFilters

MIN_DATE = dt.date(1950, 1, 1)
MAX_DATE = dt.date(2100, 12, 31)
#: a population forecast above this is not a city's (bounds of the form and the API)
MAX_POPULATION = 50_000_000
MAX_FORECAST_YEARS = 50
LEVELS = ("city", "district", "block", "parcel")

_YEAR = re.compile(r"^\d{4}$")


def date_param(query: Mapping[str, str], name: str, default: dt.date | None) -> dt.date | None:
    """``YYYY-MM-DD`` or a year ``YYYY`` (its 1 January), within 1950–2100."""
    raw = (query.get(name) or "").strip()
    if raw == "":
        return default
    try:
        value = dt.date(int(raw), 1, 1) if _YEAR.match(raw) else dt.date.fromisoformat(raw)
    except ValueError:
        raise InvalidParameter(
            f"Parametr „{name}” musi być datą w formacie RRRR-MM-DD albo rokiem RRRR."
        ) from None
    if not MIN_DATE <= value <= MAX_DATE:
        raise InvalidParameter(f"Parametr „{name}” musi być datą z lat 1950–2100.")
    return value


def choice_param(
    query: Mapping[str, str], name: str, choices: tuple[str, ...], default: str | None
) -> str | None:
    raw = (query.get(name) or "").strip()
    if raw == "":
        return default
    if raw not in choices:
        raise InvalidParameter(f"Parametr „{name}” przyjmuje wartości: {', '.join(choices)}.")
    return raw


def district_param(query: Mapping[str, str], name: str = "district") -> str | None:
    raw = (query.get(name) or "").strip()
    if raw == "":
        return None
    codes = [d["code"] for d in districts()]
    if raw not in codes:
        raise InvalidParameter(
            f"Nieznana dzielnica „{raw[:20]}”. Dostępne kody: {', '.join(codes) or 'brak'}."
        )
    return raw


def severity_param(query: Mapping[str, str]) -> str | None:
    return choice_param(query, "severity", tuple(SEVERITIES), None)


def rule_param(query: Mapping[str, str], as_of: dt.date | None = None) -> str | None:
    """``rule``: the code of a conflict rule of the configuration in force (the kind of
    conflict), or None."""
    codes = tuple(rule.code for rule in analysis_config_for(as_of).conflict_rules)
    return choice_param(query, "rule", codes, None)


def plan_param(query: Mapping[str, str]) -> int | None:
    """``plan``: a plan's id (a positive integer), or None; an unknown plan gives no
    conflicts."""
    return int_value(query, "plan", None, 1, 2**63 - 1)


def conflict_filters(query: Mapping[str, str], as_of: dt.date | None = None) -> ConflictFilters:
    """The conflicts' filters of a request (page and API alike)."""
    return ConflictFilters(
        district=district_param(query),
        severity=severity_param(query),
        rule=rule_param(query, as_of),
        plan=plan_param(query),
    )


@dataclass(frozen=True)
class Forecast:
    population: int
    year: int


def forecast_params(query: Mapping[str, str], today: dt.date | None = None) -> Forecast | None:
    """``forecast_population`` (1–50 000 000) and ``forecast_year`` (this year – +50, this
    year + 10 when only the population is given); None when neither is given."""
    today = today or dt.date.today()
    population = int_value(query, "forecast_population", None, 1, MAX_POPULATION)
    year = int_value(query, "forecast_year", None, today.year, today.year + MAX_FORECAST_YEARS)
    if population is None and year is None:
        return None
    if population is None:
        raise InvalidParameter(
            "Podaj prognozowaną liczbę mieszkańców (parametr „forecast_population”)."
        )
    return Forecast(population=population, year=year or today.year + 10)


@dataclass(frozen=True)
class CoverageRange:
    start: dt.date | None
    end: dt.date
    step: int


def coverage_params(query: Mapping[str, str], today: dt.date | None = None) -> CoverageRange:
    today = today or dt.date.today()
    start = date_param(query, "from", None)
    end = date_param(query, "to", today) or today
    step = int_value(query, "step", 1, 1, 50) or 1
    if start is not None and start > end:
        raise InvalidParameter("Data „from” musi być wcześniejsza niż data „to”.")
    if start is not None and (end.year - start.year) / step > 100:
        raise InvalidParameter(
            "Za dużo dat w serii (najwyżej 100): zwiększ krok „step” lub skróć okres."
        )
    return CoverageRange(start=start, end=end, step=step)

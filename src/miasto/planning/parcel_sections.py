"""Planning's section of a parcel's page (:mod:`miasto.territory.sections`): the plans in
force today that bind the parcel, each with its zones on it, and the link to the parcel's
*wypis i wyrys* — from the same report as the extract (:mod:`miasto.planning.report`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse

from miasto.planning import report
from miasto.territory.sections import ParcelSection, parcel_sections


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _percent(share: Any) -> float | None:
    return None if share is None else float(share) * 100


def plans_section(identifier: str) -> dict[str, Any] | None:
    data = report.parcel_report(identifier)
    if data is None:
        return None
    plans = []
    for plan in data["plans"]:
        plans.append(
            {
                **plan,
                "url": reverse("planning:plan", args=[plan["id"]]),
                "share_percent": _percent(plan["share"]),
                "zones": [{**z, "share_percent": _percent(z["share"])} for z in plan["zones"]],
                "valid_from": _date(plan["valid_from"]),
            }
        )
    return {
        "plans": plans,
        "as_of": _date(data["as_of"]),
        "report_url": reverse("planning:report", args=[identifier]),
    }


parcel_sections.register(
    "planning",
    ParcelSection(
        key="planning", template="planning/parcel_section.html", context=plans_section, order=10
    ),
)

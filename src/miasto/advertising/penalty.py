"""The art. 37d penalty (u.p.z.p.): for each day a carrier stands against the landscape
resolution, from the start of the proceedings until it is adjusted or removed,
``40 × fixed rate + 40 × variable rate × display area``, the rates being those of the
advertising fee in force on that day (:class:`~miasto.advertising.models.FeeRate`). Where
the council has set no fee rates for a day, the statutory cap in force
(:class:`~miasto.advertising.models.FeeCap`) is used (docs/advertising.md). The period is
half-open: the first day counts, the day of adjustment or removal does not.

:func:`penalty_for` is pure arithmetic over the configuration: it returns the amount and its
derivation, one line per rate version, for the enforcement workflow's decision.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _

from miasto.advertising.models import Carrier, FeeCap, FeeRate

MULTIPLIER = Decimal(40)
CENT = Decimal("0.01")


class PenaltyError(ValueError):
    """The period or the configuration does not allow a computation."""


@dataclass(frozen=True)
class PenaltyPart:
    start: dt.date
    end: dt.date  # exclusive
    days: int
    fixed_rate: Decimal
    variable_rate: Decimal
    source: str  # "rate" (the council's) or "cap" (the statutory maximum)
    basis: str  # the resolution or the obwieszczenie
    daily: Decimal
    amount: Decimal


@dataclass(frozen=True)
class PenaltyResult:
    carrier_id: int
    reference: str
    area: Decimal
    start: dt.date
    end: dt.date
    days: int
    amount: Decimal
    parts: list[PenaltyPart] = field(default_factory=list)

    @property
    def derivation(self) -> list[str]:
        """The computation in words, one line per rate version and the total."""
        lines = [
            _(
                "%(start)s – %(end)s: %(days)d days × (40 × %(fixed)s zł + 40 × %(variable)s zł "
                "× %(area)s m²) = %(days)d × %(daily)s zł = %(amount)s zł (%(basis)s)"
            )
            % {"start": p.start.isoformat(), "end": (p.end - dt.timedelta(days=1)).isoformat(),
               "days": p.days, "fixed": p.fixed_rate, "variable": p.variable_rate,
               "area": self.area, "daily": p.daily, "amount": p.amount, "basis": p.basis}
            for p in self.parts
        ]  # fmt: skip
        lines.append(_("Total: %(amount)s zł for %(days)d days.") % {
            "amount": self.amount, "days": self.days})  # fmt: skip
        return lines

    def as_dict(self) -> dict[str, Any]:
        return {
            "carrier": self.carrier_id,
            "reference": self.reference,
            "area_m2": str(self.area),
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "days": self.days,
            "amount": str(self.amount),
            "currency": "PLN",
            "parts": [
                {
                    "from": p.start.isoformat(),
                    "to": p.end.isoformat(),
                    "days": p.days,
                    "fixed_rate": str(p.fixed_rate),
                    "variable_rate": str(p.variable_rate),
                    "rates": p.source,
                    "basis": p.basis,
                    "daily": str(p.daily),
                    "amount": str(p.amount),
                }
                for p in self.parts
            ],  # fmt: skip
            "derivation": self.derivation,
        }


def _versions(model: Any, start: dt.date, end: dt.date) -> list[Any]:
    return list(model.objects.overlapping(start, end).order_by("valid_from"))


def _boundaries(start: dt.date, end: dt.date, versions: list[Any]) -> list[dt.date]:
    days = {start, end}
    for v in versions:
        for d in (v.valid_from, v.valid_to):
            if d is not None and start < d < end:
                days.add(d)
    return sorted(days)


def _in_force(versions: list[Any], day: dt.date) -> Any:
    for v in versions:
        if v.valid_from <= day and (v.valid_to is None or day < v.valid_to):
            return v
    return None


def daily_penalty(fixed: Decimal, variable: Decimal, area: Decimal) -> Decimal:
    """One day's penalty: 40 × fixed + 40 × variable × area (to the grosz)."""
    return (MULTIPLIER * fixed + MULTIPLIER * variable * area).quantize(CENT, ROUND_HALF_UP)


def penalty_for(carrier: Carrier, start: dt.date, end: dt.date) -> PenaltyResult:
    """The penalty for ``carrier`` over ``[start, end)`` with its derivation."""
    if end <= start:
        raise PenaltyError(_("The end of the period must be after its start."))
    if (end - start).days > 366 * 20:
        raise PenaltyError(_("The period is longer than twenty years."))
    rates, caps = _versions(FeeRate, start, end), _versions(FeeCap, start, end)
    bounds = _boundaries(start, end, rates + caps)
    parts: list[PenaltyPart] = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        rate = _in_force(rates, a)
        source, version = ("rate", rate) if rate is not None else ("cap", _in_force(caps, a))
        if version is None:
            raise PenaltyError(
                _("Neither fee rates nor a statutory cap are configured for %s.") % a.isoformat()
            )
        basis = version.resolution if source == "rate" else version.source
        daily = daily_penalty(version.fixed_daily, version.variable_daily_per_m2, carrier.area)
        days = (b - a).days
        if parts and parts[-1].basis == basis and parts[-1].daily == daily:
            last = parts.pop()  # the same version across a boundary of the other kind
            a, days = last.start, last.days + days
        parts.append(
            PenaltyPart(a, b, days, version.fixed_daily, version.variable_daily_per_m2, source,
                        basis, daily, daily * days)
        )  # fmt: skip
    total = sum((p.amount for p in parts), Decimal("0")).quantize(CENT)
    return PenaltyResult(
        carrier.pk, carrier.reference, carrier.area, start, end, (end - start).days, total, parts
    )

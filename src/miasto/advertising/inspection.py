"""Recording an inspection (*oględziny*) of a carrier: the service behind the inspection form.

An inspector sends what they measured and saw, with the position and a photo, from the field —
possibly long after filling the form, when the phone had no connection. The form carries its
own identifier (``client_id``): a form sent twice is stored once. The inspection is stored
with the carrier's open case (a ``detected`` case moves to ``inspected``); a carrier without
one gets a case opened by the inspector, and a carrier not in the register yet is added.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.gis.db.models.functions import Distance
from django.contrib.gis.geos import Point
from django.contrib.gis.measure import D
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from miasto.advertising.enforcement import (
    INSPECTORS,
    CaseError,
    Move,
    case_open,
    case_transition,
)
from miasto.advertising.inspection_photos import photo_clean
from miasto.advertising.models import Carrier
from miasto.advertising.models.enforcement import CaseState, EnforcementCase, Inspection
from miasto.advertising.services import AdvertisingError, CarrierInput, carrier_save
from miasto.core.statemachine import TransitionError, roles_of
from miasto.territory.models import City


@dataclass(frozen=True)
class Measurements:
    width: Decimal
    height: Decimal
    sides: int
    bottom_edge: Decimal | None = None
    illuminated: bool = False

    @property
    def area(self) -> Decimal:
        return (self.width * self.height * self.sides).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class Position:
    point: Point | None  # EPSG:2180
    source: str = ""
    accuracy: Decimal | None = None


@dataclass(frozen=True)
class InspectionInput:
    """What the form sends. ``carrier`` None with ``new_kind`` set: a carrier not in the
    register yet, placed at the position."""

    client_id: uuid.UUID
    carrier: Carrier | None
    measurements: Measurements
    position: Position
    taken_at: dt.datetime
    notes: str = ""
    photo: Any = None
    new_kind: str = ""


def inspection_record(data: InspectionInput, user: Any) -> tuple[Inspection, bool]:
    """Store an inspection (and its effect on the case); ``(inspection, False)`` when this
    form was stored before. Raises :class:`CaseError` with a Polish message on bad input,
    :class:`TransitionError` when ``user`` may not inspect."""
    if not (INSPECTORS & roles_of(user)):
        raise TransitionError(_("Only inspectors record inspections."))
    earlier = Inspection.objects.filter(client_id=data.client_id).first()
    if earlier is not None:
        return _same_sender(earlier, user), False
    _check_position(data.position)
    photo = photo_clean(data.photo) if data.photo is not None else None
    try:
        with transaction.atomic():
            carrier = data.carrier or _new_carrier(data)
            case = _case_for(carrier, user)
            inspection = Inspection(
                case=case,
                carrier=carrier,
                inspector=user,
                client_id=data.client_id,
                taken_at=data.taken_at,
                position=data.position.point,
                position_source=data.position.source,
                accuracy_m=data.position.accuracy,
                width_m=data.measurements.width,
                height_m=data.measurements.height,
                sides=data.measurements.sides,
                display_area_m2=data.measurements.area,
                bottom_edge_m=data.measurements.bottom_edge,
                illuminated=data.measurements.illuminated,
                notes=data.notes,
                photo_position=photo.position if photo else None,
            )
            if photo is not None:
                inspection.photo.save(f"{data.client_id}.jpg", photo.content, save=False)
            inspection.save()
            if case.state == CaseState.DETECTED:
                # on the day of the inspection (not before the case was opened)
                day = max(timezone.localdate(data.taken_at), timezone.localdate(case.state_since))
                move = Move(CaseState.INSPECTED, on=day, note=_("inspection"))
                case_transition(case, move, user)
    except IntegrityError:  # the same form, sent at the same moment by a second request
        earlier = Inspection.objects.filter(client_id=data.client_id).first()
        if earlier is None:
            raise
        return _same_sender(earlier, user), False
    return inspection, True


def _same_sender(earlier: Inspection, user: Any) -> Inspection:
    if earlier.inspector_id != user.pk:
        raise CaseError(_("This form was already sent by another person."))
    return earlier


def _check_position(position: Position) -> None:
    if position.point is None:
        return
    city = City.objects.order_by("pk").first()
    if city is not None and not city.geom.covers(position.point):
        raise CaseError(_("The position is outside the city: check it or type it by hand."))


def _new_carrier(data: InspectionInput) -> Carrier:
    """A carrier not in the register, added through the register's own service (checked,
    linked to the spine, judged against the rules in force)."""
    if data.position.point is None:
        raise CaseError(_("A carrier not in the register needs its position."))
    m = data.measurements
    try:
        return carrier_save(
            CarrierInput(data.new_kind, data.position.point, m.width, m.height, m.sides),
            bottom_edge=m.bottom_edge,
            notes=_("Added from an inspection on %(day)s.") % {"day": data.taken_at.date()},
        )
    except AdvertisingError as exc:
        raise CaseError(str(exc)) from None


def _case_for(carrier: Carrier, user: Any) -> EnforcementCase:
    case = EnforcementCase.objects.filter(carrier=carrier).exclude(state=CaseState.CLOSED).first()
    return case if case is not None else case_open(carrier, user=user, note=_("inspection"))


def inspection_taken_at(text: str) -> dt.datetime:
    """When the form was filled (sent by the browser as ISO 8601); now when missing or absurd
    (in the future, or more than 30 days back: a phone's clock may be wrong)."""
    now = timezone.now()
    try:
        value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except (ValueError, AttributeError):
        return now
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if value > now + dt.timedelta(minutes=5) or value < now - dt.timedelta(days=30):
        return now
    return value


# --- the form's carrier choice (reads) ------------------------------------------------------

NEAR_METRES = 150
NEAR_LIMIT = 15


def carriers_near(point: Point, limit: int = NEAR_LIMIT) -> list[dict[str, Any]]:
    """The standing carriers within :data:`NEAR_METRES` of ``point`` (EPSG:2180), nearest first
    (the GiST index on the location answers the radius)."""
    rows = (
        Carrier.objects.filter(
            status=Carrier.Status.ACTIVE, location__dwithin=(point, D(m=NEAR_METRES))
        )
        .annotate(distance=Distance("location", point))
        .order_by("distance", "pk")[:limit]
    )
    return [_choice(c, round(c.distance.m)) for c in rows]


def carriers_matching(text: str, limit: int = NEAR_LIMIT) -> list[dict[str, Any]]:
    """Carriers whose register number contains ``text``."""
    rows = Carrier.objects.filter(reference__icontains=text.strip()[:40]).order_by("reference")
    return [_choice(c, None) for c in rows[:limit]]


def _choice(carrier: Carrier, distance: int | None) -> dict[str, Any]:
    return {
        "reference": carrier.reference,
        "kind": str(carrier.get_kind_display()),
        "area": str(carrier.area),
        "distance_m": distance,
    }

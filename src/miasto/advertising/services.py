"""Writes of the advertising module: the resolution and its rule versions, the register,
photos and the fee configuration. Each service is atomic and refuses bad input with an
:class:`AdvertisingError` carrying a sentence for people (Polish through gettext).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Point, Polygon
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from miasto.advertising import compliance
from miasto.advertising.kinds import KIND_VALUES, Illumination, Mounting
from miasto.advertising.models import (
    Carrier,
    CarrierPhoto,
    FeeCap,
    FeeRate,
    LandscapeResolution,
    ResolutionStatusChange,
    RuleSet,
    Zone,
    ZoneRule,
)
from miasto.advertising.models.register import MAX_AREA_M2, MAX_DIMENSION_M
from miasto.advertising.rules import RuleInput, validate_rule
from miasto.advertising.statuses import ALLOWED_STATUS_CHANGES, ResolutionStatus
from miasto.core import db
from miasto.core.audit import audit_record_bulk
from miasto.core.photos import PhotoPolicy, PhotoRefused, photo_accept
from miasto.core.uploads import safe_filename
from miasto.core.versioning import overlapping_q

#: a photo larger than this is refused (bytes)
MAX_PHOTO_BYTES = 15 * 1024 * 1024
#: and one with more pixels than this (a decompression bomb)
MAX_PHOTO_PIXELS = 60_000_000
PHOTO_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


class AdvertisingError(ValueError):
    """Input the module refuses; the message is for people."""


# --- the resolution -----------------------------------------------------------------------


def resolution_change_status(
    *, resolution: LandscapeResolution, status: str, effective: dt.date, note: str = "",
    actor_name: str = "",
) -> LandscapeResolution:  # fmt: skip
    """Move the resolution along its lifecycle (:mod:`miasto.advertising.statuses`)."""
    if status not in ALLOWED_STATUS_CHANGES.get(resolution.status, frozenset()):
        raise AdvertisingError(
            _("A resolution cannot go from “%(from)s” to “%(to)s”.")
            % {
                "from": ResolutionStatus(resolution.status).label,
                "to": ResolutionStatus(status).label
                if status in ResolutionStatus.values
                else status,
            }
        )
    with transaction.atomic():
        previous = resolution.status
        resolution.status = status
        if status == ResolutionStatus.ADOPTED and resolution.adopted_on is None:
            resolution.adopted_on = effective
        if status == ResolutionStatus.IN_FORCE:
            resolution.valid_from = resolution.valid_from or effective
        if status in (ResolutionStatus.REPEALED, ResolutionStatus.ANNULLED):
            resolution.valid_to = effective
            resolution.rulesets.filter(overlapping_q(effective, None)).filter(
                valid_from__lt=effective
            ).update(valid_to=effective)
        resolution.save()
        ResolutionStatusChange.objects.create(
            resolution=resolution, from_status=previous, to_status=status, effective=effective,
            note=note[:500], actor_name=actor_name[:150],
        )  # fmt: skip
    return resolution


# --- rule versions, zones, rules -----------------------------------------------------------


def _city_area() -> GEOSGeometry | None:
    row = db.fetch_one("SELECT ST_AsEWKB(ST_Union(geom)) FROM territory_city", [])
    return GEOSGeometry(memoryview(bytes(row[0]))) if row and row[0] is not None else None


ZONE_CLASH = """
SELECT code FROM advertising_zone
 WHERE ruleset_id = %(rs)s AND id <> %(id)s AND geom && %(g)s::geometry
   AND ST_Relate(geom, %(g)s::geometry, '2********')
 ORDER BY code LIMIT 1
"""


@dataclass
class ZoneInput:
    code: str
    name: str
    geom: GEOSGeometry
    adjustment_months: int | None
    provision: str = ""
    description: str = ""


def zone_save(*, ruleset: RuleSet, data: ZoneInput, zone: Zone | None = None) -> Zone:
    """Create or change a zone; refuse an invalid outline, one outside the city, or one that
    overlaps another zone of the same version."""
    geom, adjustment_months = data.geom, data.adjustment_months
    if isinstance(geom, Polygon):
        geom = MultiPolygon(geom, srid=geom.srid)
    if not isinstance(geom, MultiPolygon) or geom.empty:
        raise AdvertisingError(_("A zone is an area (a polygon)."))
    if geom.srid != 2180:
        geom.transform(2180)
    if not geom.valid:
        raise AdvertisingError(_("The zone's outline is not valid: %s.") % geom.valid_reason)
    if adjustment_months is not None and not 0 <= adjustment_months <= 600:
        raise AdvertisingError(_("The adjustment period is between 0 and 600 months."))
    city = _city_area()
    if city is not None and not city.buffer(1).contains(geom):
        raise AdvertisingError(_("The zone reaches outside the city."))
    clash = db.fetch_value(
        ZONE_CLASH, {"rs": ruleset.pk, "id": zone.pk if zone else 0, "g": geom.ewkt}
    )
    if clash is not None:
        raise AdvertisingError(
            _("The zone overlaps zone %(code)s of the same version; zones may touch, not overlap.")
            % {"code": clash}
        )
    target = zone or Zone(ruleset=ruleset)
    target.code, target.name, target.geom = data.code.strip()[:20], data.name.strip()[:250], geom
    target.adjustment_months, target.provision = adjustment_months, data.provision[:200]
    target.description = data.description
    try:
        with transaction.atomic():
            target.full_clean(exclude=["ruleset"])
            target.save()
    except ValidationError as exc:
        raise AdvertisingError(" ".join(exc.messages)) from None
    except IntegrityError as exc:  # the trigger, if another writer got there first
        raise AdvertisingError(_("The zone overlaps another zone of the same version.")) from exc
    return target


def _decimal(value: Any, name: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value).replace(",", "."))
    except InvalidOperation:
        raise AdvertisingError(_("%s is not a number.") % name) from None
    if not number.is_finite():
        raise AdvertisingError(_("%s is not a number.") % name)
    return number


def rule_values(
    kind: str, min_value: Any = None, max_value: Any = None, **settings: Any
) -> RuleInput:
    """A rule as entered (numbers may come as text, with a decimal comma)."""
    return RuleInput(
        kind=kind,
        carrier_kinds=list(settings.get("carrier_kinds") or []),
        min_value=_decimal(min_value, _("The minimum")),
        max_value=_decimal(max_value, _("The maximum")),
        params=dict(settings.get("params") or {}),
    )


def rule_save(
    *, zone: Zone, entered: RuleInput, provision: str = "", rule: ZoneRule | None = None
) -> ZoneRule:
    """Create or change a rule after its kind has validated it."""
    errors = validate_rule(entered)
    if errors:
        raise AdvertisingError(" ".join(errors))
    target = rule or ZoneRule(zone=zone)
    target.kind, target.carrier_kinds = entered.kind, entered.carrier_kinds
    target.min_value, target.max_value = entered.min_value, entered.max_value
    target.params, target.provision = entered.params, provision[:200]
    with transaction.atomic():
        target.save()
    return target


def ruleset_apply(*, ruleset: RuleSet, on: dt.date | None = None) -> compliance.RunSummary:
    """Make a version binding (after its preview) and judge the register under it. Two
    applied versions of one resolution may not be in force on a common day."""
    clash = (
        RuleSet.objects.filter(resolution=ruleset.resolution, applied=True)
        .exclude(pk=ruleset.pk)
        .overlapping(ruleset.valid_from, ruleset.valid_to)
        .first()
    )
    if clash is not None:
        raise AdvertisingError(
            _("Version %(other)s is in force on some of the same days; end it first.")
            % {"other": clash.label}
        )
    if not ruleset.zones.exists():
        raise AdvertisingError(_("A version without zones cannot be applied."))
    with transaction.atomic():
        ruleset.applied, ruleset.applied_at = True, timezone.now()
        ruleset.save(update_fields=["applied", "applied_at"])
        return compliance.check(on)


# --- the register --------------------------------------------------------------------------


@dataclass
class CarrierInput:
    """A carrier as entered or imported (strings allowed: they are parsed and checked)."""

    kind: str
    location: GEOSGeometry
    width: Any
    height: Any
    sides: Any = 1
    area: Any = None
    illumination: str = Illumination.NONE
    mounting: str = Mounting.FREESTANDING
    reference: str = ""
    extra: dict[str, Any] | None = None


def carrier_errors(data: CarrierInput) -> list[str]:
    """Everything wrong with a carrier as entered (empty: it may be saved)."""
    errors: list[str] = []
    if data.kind not in KIND_VALUES:
        errors.append(_("Unknown carrier kind “%s”.") % str(data.kind)[:40])
    if data.illumination not in Illumination.values:
        errors.append(_("Unknown kind of illumination “%s”.") % str(data.illumination)[:40])
    if data.mounting not in Mounting.values:
        errors.append(_("Unknown mounting “%s”.") % str(data.mounting)[:40])
    try:
        width, height = _decimal(data.width, _("Width")), _decimal(data.height, _("Height"))
        area = _decimal(data.area, _("Area"))
        sides = int(data.sides or 1)
    except (AdvertisingError, ValueError) as exc:
        errors.append(str(exc) if isinstance(exc, AdvertisingError) else _("Sides is a number."))
        return errors
    for label, value in ((_("Width"), width), (_("Height"), height)):
        if value is None or value <= 0:
            errors.append(_("%s must be a positive number of metres.") % label)
        elif value > MAX_DIMENSION_M:
            errors.append(
                _("%(what)s of %(value)s m is not credible (at most %(max)s m).")
                % {"what": label, "value": value, "max": MAX_DIMENSION_M}
            )
    if not 1 <= sides <= 4:
        errors.append(_("A carrier has 1 to 4 display sides."))
    if area is not None and (area <= 0 or area > MAX_AREA_M2):
        errors.append(_("The display area must be above 0 and at most %s m².") % MAX_AREA_M2)
    if not isinstance(data.location, Point) or data.location.empty:
        errors.append(_("A carrier's location is a point."))
    else:
        city = _city_area()
        point = (
            data.location.transform(2180, clone=True)
            if data.location.srid != 2180
            else data.location
        )
        if city is not None and not city.contains(point):
            errors.append(_("The location lies outside the city."))
    return errors


def carrier_area(width: Decimal, height: Decimal, sides: int) -> Decimal:
    return (width * height * sides).quantize(Decimal("0.01"))


LINK_SPINE = """
UPDATE advertising_carrier c SET
  parcel_id = (SELECT p.id FROM territory_parcel p WHERE ST_Intersects(p.geom, c.location)
                ORDER BY p.id LIMIT 1),
  building_id = coalesce(
    (SELECT b.id FROM territory_building b WHERE ST_DWithin(b.geom, c.location, %(reach)s)
      ORDER BY b.geom <-> c.location LIMIT 1), NULL)
 WHERE c.id = ANY (%(ids)s)
"""


def carriers_link_spine(ids: list[int], reach: float = 1.0) -> int:
    """Set the parcel (containing the point) and the building (within ``reach`` m: a façade
    carrier stands on the wall) of the carriers ``ids`` from the spine, in one statement."""
    return db.execute(LINK_SPINE, {"ids": ids, "reach": reach})


def carrier_save(data: CarrierInput, *, carrier: Carrier | None = None, **fields: Any) -> Carrier:
    """Create or change a carrier: validate, link it to the spine, re-check it (and its
    neighbours) against the rules in force."""
    errors = carrier_errors(data)
    if errors:
        raise AdvertisingError(" ".join(errors))
    width, height = _decimal(data.width, "w"), _decimal(data.height, "h")
    sides = int(data.sides or 1)
    location = (
        data.location.transform(2180, clone=True) if data.location.srid != 2180 else data.location
    )
    if width is None or height is None or not isinstance(location, Point):
        raise AdvertisingError(_("A carrier needs its dimensions and a point."))  # checked above
    target = carrier or Carrier()
    old_location = carrier.location.clone() if carrier is not None else None
    target.kind, target.location, target.width, target.height = data.kind, location, width, height
    target.sides, target.illumination, target.mounting = sides, data.illumination, data.mounting
    target.area = _decimal(data.area, "a") or carrier_area(width, height, sides)
    if data.reference:
        target.reference = data.reference[:40]
    elif not target.reference:
        target.reference = _next_reference()
    for name, value in {**(data.extra or {}), **fields}.items():
        setattr(target, name, value)
    try:
        with transaction.atomic():
            target.full_clean(exclude=["owner", "operator", "parcel", "building"])
            target.save()
            carriers_link_spine([target.pk])
            target.refresh_from_db()
            compliance.recheck_carrier(target, old_location=old_location)
    except ValidationError as exc:
        raise AdvertisingError(" ".join(exc.messages)) from None
    return target


def _next_reference() -> str:
    year = dt.date.today().year
    n = db.fetch_value("SELECT count(*) + 1 FROM advertising_carrier", [])
    return f"R/{year}/{int(n or 1):06d}"


def carrier_remove(*, carrier: Carrier, on: dt.date) -> Carrier:
    """Record that a carrier was taken down; its open violations are resolved."""
    with transaction.atomic():
        carrier.status, carrier.removed_on = Carrier.Status.REMOVED, on
        carrier.full_clean(exclude=["owner", "operator", "parcel", "building"])
        carrier.save()
        compliance.recheck_carrier(carrier, on=on)
    return carrier


#: a carrier's photo is stored in the format it was sent in
PHOTO_POLICY = PhotoPolicy(
    max_bytes=MAX_PHOTO_BYTES, max_pixels=MAX_PHOTO_PIXELS, formats=frozenset(PHOTO_FORMATS),
    store_as={k: k for k in PHOTO_FORMATS},
)  # fmt: skip


def _photo_refusal(exc: PhotoRefused) -> AdvertisingError:
    not_image = _("The file is not an image (JPEG, PNG or WebP).")
    return AdvertisingError(exc.say({
        "too_large": _("The photo is too large (at most %d MB).") % (MAX_PHOTO_BYTES // 2**20),
        "format": _("A photo must be a JPEG, PNG or WebP image."),
        "too_many_pixels": _("The photo has too many pixels."),
        "not_image": not_image, "broken": not_image, "empty": not_image,
    }))  # fmt: skip


def photo_add(
    *, carrier: Carrier, upload: UploadedFile, caption: str = "", user: Any = None
) -> CarrierPhoto:
    """Store a photo after checking it is a real, not too large image (JPEG, PNG, WebP):
    decoded by Pillow, never trusted by its name or declared type, and rewritten from its
    pixels without EXIF (the camera's GPS position) or other metadata."""
    try:
        clean = photo_accept(upload, PHOTO_POLICY)
    except PhotoRefused as exc:
        raise _photo_refusal(exc) from None
    name = safe_filename(upload.name or "zdjecie")
    photo = CarrierPhoto(
        carrier=carrier, content_type=clean.content_type, width_px=clean.width,
        height_px=clean.height, caption=caption[:250],
        uploaded_by=user if getattr(user, "is_authenticated", False) else None,
    )  # fmt: skip
    with transaction.atomic():
        content = io.BytesIO(clean.content)
        photo.image.save(name.rsplit(".", 1)[0] + clean.extension, content, save=False)  # type: ignore[arg-type]
        photo.save()
    return photo


# --- fee configuration ---------------------------------------------------------------------


def fee_rate_save(
    *, valid_from: dt.date, valid_to: dt.date | None, fixed_daily: Any,
    variable_daily_per_m2: Any, resolution: str,
) -> FeeRate:  # fmt: skip
    """Record the council's rates; refuse rates above the statutory cap in force and periods
    overlapping another version."""
    fixed = _decimal(fixed_daily, _("The fixed part"))
    variable = _decimal(variable_daily_per_m2, _("The variable part"))
    if fixed is None or variable is None or fixed < 0 or variable < 0:
        raise AdvertisingError(_("Rates are amounts of at least 0 zł."))
    if valid_to is not None and valid_to <= valid_from:
        raise AdvertisingError(_("The end date must be after the start date."))
    if FeeRate.objects.overlapping(valid_from, valid_to).exists():
        raise AdvertisingError(_("Other rates are in force on some of the same days."))
    for cap in FeeCap.objects.overlapping(valid_from, valid_to):
        if fixed > cap.fixed_daily or variable > cap.variable_daily_per_m2:
            raise AdvertisingError(
                _("The rates exceed the statutory cap in force from %(day)s: %(fixed)s zł "
                  "and %(variable)s zł per m² a day.")
                % {"day": cap.valid_from, "fixed": cap.fixed_daily,
                   "variable": cap.variable_daily_per_m2}
            )  # fmt: skip
    with transaction.atomic():
        return FeeRate.objects.create(
            valid_from=valid_from, valid_to=valid_to, fixed_daily=fixed,
            variable_daily_per_m2=variable, resolution=resolution[:250],
        )  # fmt: skip


def carriers_bulk_recorded(count: int, note: str) -> None:
    """One audit entry for a bulk load of carriers (imports, the demo)."""
    audit_record_bulk(model=Carrier, action="create", count=count, note=note)

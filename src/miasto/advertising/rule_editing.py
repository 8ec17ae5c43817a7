"""Editing the landscape resolution's rules from the staff pages: a draft version copied from
the current one, its zones and rules, and its application.

Only a draft (not applied) version may be changed: an applied version judged the register
and is kept as it was (an amendment is a new version). The checks of a zone (outline inside
the city, no overlap within the version) and of a rule (its kind's own validation) are the
services' (:func:`miasto.advertising.services.zone_save`, :func:`~.services.rule_save`); this
module adds the draft guard, the copy, the GeoJSON upload and the application of a draft that
ends the version it replaces. Every write goes through audited models.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.conf import settings
from django.contrib.gis.gdal import GDALException
from django.contrib.gis.geos import GEOSException, GEOSGeometry
from django.db import DataError, InternalError, transaction
from django.utils.translation import gettext as _

from miasto.advertising import compliance
from miasto.advertising.models import RuleSet, Zone, ZoneRule
from miasto.advertising.services import (
    AdvertisingError,
    ZoneInput,
    rule_save,
    rule_values,
    ruleset_apply,
    zone_save,
)
from miasto.core import db
from miasto.core.versioning import overlapping_q

#: a zone's GeoJSON file larger than this is refused (bytes)
MAX_GEOJSON_BYTES = 5 * 1024 * 1024
SRID = settings.MIASTO_SRID


def ensure_draft(ruleset: RuleSet) -> None:
    """Refuse a change to an applied version."""
    if ruleset.applied:
        raise AdvertisingError(
            _("Version %(v)s has been applied and cannot be changed; create a draft version.")
            % {"v": ruleset.label}
        )


def current_version(resolution_id: int) -> RuleSet | None:
    """The version a new draft starts from: the latest applied one, else the latest one."""
    versions = RuleSet.objects.filter(resolution_id=resolution_id).order_by("-valid_from", "-id")
    return versions.filter(applied=True).first() or versions.first()


def draft_create(*, source: RuleSet, label: str, valid_from: dt.date, note: str = "") -> RuleSet:
    """A new draft version of ``source``'s resolution with a copy of ``source``'s zones and
    rules, valid from ``valid_from`` (open-ended)."""
    label = label.strip()[:100]
    if not label:
        raise AdvertisingError(_("Give the new version a name."))
    if RuleSet.objects.filter(resolution_id=source.resolution_id, label=label).exists():
        raise AdvertisingError(_("This resolution already has a version named %s.") % label)
    with transaction.atomic():
        draft = RuleSet.objects.create(
            resolution_id=source.resolution_id, label=label, valid_from=valid_from,
            applied=False, note=note,
        )  # fmt: skip
        for zone in source.zones.prefetch_related("rules").order_by("code"):
            rules = list(zone.rules.all())
            zone.pk, zone.id, zone.ruleset = None, None, draft
            zone._state.adding = True
            zone.save()
            for rule in rules:
                rule.pk, rule.id, rule.zone = None, None, zone
                rule._state.adding = True
                rule.save()
    return draft


def geometry_from_geojson(text: str) -> GEOSGeometry:
    """The area in a GeoJSON text (a geometry, a feature, or a collection of one feature);
    coordinates in WGS 84 (RFC 7946) unless the text names another system."""
    if len(text.encode()) > MAX_GEOJSON_BYTES:
        raise AdvertisingError(_("The GeoJSON file is too large (at most 5 MB)."))
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise AdvertisingError(_("The file is not valid GeoJSON.")) from None
    if isinstance(data, dict) and data.get("type") == "FeatureCollection":
        features = data.get("features") or []
        if not isinstance(features, list) or len(features) != 1:
            raise AdvertisingError(_("The GeoJSON file must hold exactly one area."))
        data = features[0]
    if isinstance(data, dict) and data.get("type") == "Feature":
        data = data.get("geometry")
    if not isinstance(data, dict) or data.get("type") not in ("Polygon", "MultiPolygon"):
        raise AdvertisingError(_("A zone is an area: a Polygon or MultiPolygon in GeoJSON."))
    try:
        geom = GEOSGeometry(json.dumps(data))
    except (GEOSException, GDALException, ValueError, TypeError):
        raise AdvertisingError(_("The file is not valid GeoJSON.")) from None
    if not geom.srid:
        geom.srid = 4326
    return geom


#: an outline in the city's system on a 1 cm grid
ON_GRID = "SELECT ST_AsEWKB(ST_SnapToGrid(ST_Transform(%(g)s::geometry, %(srid)s), 0.01))"


def on_city_grid(geom: GEOSGeometry) -> GEOSGeometry:
    """``geom`` in the city's system, its coordinates rounded to 1 cm: an edge drawn on the
    web map (EPSG:3857) or given in degrees comes back from the transformation a few
    nanometres off, and would "overlap" the neighbouring zone it was meant to touch."""
    # (EWKB, not EWKT: GEOS's WKT writer overruns its buffer on absurd coordinates)
    try:
        with transaction.atomic():
            row = db.fetch_one(ON_GRID, {"g": geom.hexewkb.decode(), "srid": SRID})
    except (InternalError, DataError):  # PROJ: the coordinates cannot be transformed
        raise AdvertisingError(_("The outline lies outside any place in Poland.")) from None
    if row is None or row[0] is None:
        raise AdvertisingError(_("A zone is an area (a polygon)."))
    return GEOSGeometry(memoryview(bytes(row[0])))


def zone_edit(*, ruleset: RuleSet, data: ZoneInput, zone: Zone | None = None) -> Zone:
    """Create or change a zone of a draft (its outline put on the city's 1 cm grid first)."""
    ensure_draft(ruleset)
    if data.geom is not None and not data.geom.empty:
        data.geom = on_city_grid(data.geom)
    return zone_save(ruleset=ruleset, data=data, zone=zone)


def zone_delete(zone: Zone) -> None:
    ensure_draft(zone.ruleset)
    with transaction.atomic():
        zone.delete()


def rule_edit(
    *, zone: Zone, values: dict[str, Any], provision: str = "", rule: ZoneRule | None = None
) -> ZoneRule:
    """Create or change a rule of a draft's zone; ``values`` as entered (numbers may be text
    with a decimal comma), validated by the rule's kind."""
    ensure_draft(zone.ruleset)
    entered = rule_values(
        values.get("kind", ""), values.get("min_value"), values.get("max_value"),
        carrier_kinds=values.get("carrier_kinds") or [], params=values.get("params") or {},
    )  # fmt: skip
    return rule_save(zone=zone, entered=entered, provision=provision, rule=rule)


def rule_delete(rule: ZoneRule) -> None:
    ensure_draft(rule.zone.ruleset)
    with transaction.atomic():
        rule.delete()


def draft_apply(ruleset: RuleSet, on: dt.date | None = None) -> compliance.RunSummary:
    """Apply a draft: the applied version of the same resolution in force when the draft
    starts ends that day, then the draft applies through :func:`ruleset_apply` (which judges
    the whole register under the rules now in force). All or nothing."""
    ensure_draft(ruleset)
    with transaction.atomic():
        replaced = (
            RuleSet.objects.select_for_update()
            .filter(resolution_id=ruleset.resolution_id, applied=True)
            .filter(overlapping_q(ruleset.valid_from, None))
            .filter(valid_from__lt=ruleset.valid_from)
        )
        for version in replaced:
            version.valid_to = ruleset.valid_from
            version.save(update_fields=["valid_to"])
        return ruleset_apply(ruleset=ruleset, on=on)

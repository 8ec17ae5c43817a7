"""Semantic validation of a plan's zones (what the APP XSD cannot check).

Works on plain :class:`ZoneInput` records, so the same rules serve the APP importer, the
demo generator, the admin and the services. Every problem found is reported (not only the
first), each naming the zone(s) concerned, in Polish.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import shapely
from django.conf import settings
from django.contrib.gis.geos import Point
from shapely.geometry.base import BaseGeometry

from miasto.planning.catalogue import Catalogue, ParamSpec, ZoneKind, catalogue_for
from miasto.planning.designations import DesignationError, parse_mpzp, parse_pog

ERROR = "error"
WARNING = "warning"


@dataclass
class Problem:
    message: str
    zone: str = ""  # label of the zone(s) concerned
    severity: str = ERROR

    def __str__(self) -> str:
        return f"{self.zone}: {self.message}" if self.zone else self.message


@dataclass
class ZoneInput:
    """A zone before it is stored. ``params`` values are Decimals (as written) or None."""

    local_id: str
    designation: str
    symbol: str = ""
    category: str = "pog_zone"  # Zone.Category
    name: str = ""
    basic_profile: list[str] = field(default_factory=list)
    additional_profile: list[str] = field(default_factory=list)
    params: dict[str, Decimal | None] = field(default_factory=dict)
    geom: BaseGeometry | None = None  # shapely, storage SRID
    geom_problem: str = ""
    # filled by validation
    number: str = ""
    land_use_classes: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> str:
        if self.designation and self.local_id:
            return f"strefa {self.designation} ({self.local_id})"
        return f"strefa {self.designation or self.local_id or '?'}"


def to_decimal(text: str | None) -> Decimal | None:
    if text is None or str(text).strip() == "":
        return None
    try:
        value = Decimal(str(text).strip())
    except InvalidOperation:
        raise ValueError(f"„{str(text)[:30]}” nie jest liczbą") from None
    if not value.is_finite():
        raise ValueError(f"„{str(text)[:30]}” nie jest liczbą skończoną")
    return value


def decimals_of(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -int(exponent))


def check_param(name: str, value: Decimal | None, spec: ParamSpec) -> list[str]:
    if value is None:
        return []
    problems = []
    if not spec.lo <= value <= spec.hi:
        problems.append(f"{spec.label} = {value} poza zakresem {spec.lo}–{spec.hi}")
    places = decimals_of(value)
    if places > spec.decimals:
        allowed = "bez części ułamkowej" if spec.decimals == 0 else f"najwyżej {spec.decimals}"
        problems.append(
            f"{spec.label} = {value} ma {places} miejsca po przecinku (dozwolone {allowed})"
        )
    return problems


_GEOS_REASONS = {
    "Self-intersection": "granica przecina samą siebie (samoprzecięcie)",
    "Ring Self-intersection": "pierścień granicy przecina sam siebie (samoprzecięcie pierścienia)",
    "Too few points in geometry component": "za mało punktów w pierścieniu",
    "Hole lies outside shell": "otwór leży poza obrysem",
    "Nested shells": "zagnieżdżone obrysy",
    "Interior is disconnected": "wnętrze jest rozłączne",
    "Duplicate Rings": "powtórzone pierścienie",
    "Invalid Coordinate": "nieprawidłowa współrzędna",
    "Nested holes": "zagnieżdżone otwory",
}


def geometry_problem(geom: BaseGeometry) -> str:
    """Polish reason why a polygon is invalid, or ''."""
    if geom.is_empty:
        return "geometria jest pusta"
    if geom.geom_type not in ("Polygon", "MultiPolygon"):
        return f"geometria musi być powierzchnią, a jest {geom.geom_type}"
    if shapely.is_valid(geom):
        return ""
    reason = shapely.is_valid_reason(geom)
    head, _, where = reason.partition("[")
    text = _GEOS_REASONS.get(head.strip(), f"nieprawidłowa geometria ({head.strip()})")
    if where:
        coords = where.rstrip("]").split()
        try:
            x, y = float(coords[0]), float(coords[1])
            text += f" w punkcie x={x:.2f}, y={y:.2f}"
        except (IndexError, ValueError):
            pass
    return text


def _check_pog_zone(zone: ZoneInput, catalogue: Catalogue) -> list[Problem]:
    out: list[Problem] = []
    label = zone.label
    try:
        number, symbol = parse_pog(zone.designation, catalogue)
    except DesignationError as exc:
        out.append(Problem(str(exc), label))
        number, symbol = "", ""
    zone.number = number
    if zone.symbol and symbol and zone.symbol != symbol:
        out.append(
            Problem(
                f"symbol {zone.symbol} nie zgadza się z oznaczeniem {zone.designation} "
                f"(oczekiwano {symbol})",
                label,
            )
        )
    if not zone.symbol:
        zone.symbol = symbol
    kind = catalogue.zone_kind(zone.symbol)
    if kind is None:
        if zone.symbol and zone.symbol != symbol:
            out.append(Problem(f"nieznany symbol strefy planistycznej „{zone.symbol}”", label))
        return out
    zone.name = zone.name or kind.name
    out += _check_basic_profile(zone, kind)
    zone.land_use_classes = list(zone.basic_profile or kind.basic_profile)
    out += _check_pog_params(zone, kind, catalogue)
    return out


def _check_basic_profile(zone: ZoneInput, kind: ZoneKind) -> list[Problem]:
    """The zone's basic profile is exactly its kind's; the additional one does not repeat it."""
    label = zone.label
    if not zone.basic_profile:
        return [Problem(f"brak profilu podstawowego strefy {kind.symbol}", label)]
    out: list[Problem] = []
    given, expected = set(zone.basic_profile), set(kind.basic_profile)
    if given != expected:
        missing = ", ".join(sorted(expected - given))
        extra = ", ".join(sorted(given - expected))
        detail = "; ".join(
            p for p in (missing and f"brak: {missing}", extra and f"nadmiarowe: {extra}") if p
        )
        out.append(
            Problem(
                f"profil podstawowy strefy {kind.symbol} musi obejmować dokładnie: "
                f"{', '.join(kind.basic_profile)} ({detail})",
                label,
            )
        )
    overlap = set(zone.additional_profile) & given
    if overlap:
        out.append(
            Problem(
                "profil dodatkowy powtarza klasy profilu podstawowego: "
                + ", ".join(sorted(overlap)),
                label,
            )
        )
    return out


def _check_pog_params(zone: ZoneInput, kind: ZoneKind, catalogue: Catalogue) -> list[Problem]:
    """The parameters the zone's kind requires, their ranges, and no parameter of local plans."""
    out: list[Problem] = []
    label = zone.label
    required = []
    if kind.requires_maxima:
        required += ["max_intensity", "max_coverage", "max_height"]
    if kind.requires_bio_active:
        required.append("min_bio_active")
    for name in required:
        if zone.params.get(name) is None:
            spec = catalogue.pog_params[name]
            out.append(Problem(f"brak wymaganego parametru: {spec.label}", label))
    for name, spec in catalogue.pog_params.items():
        for message in check_param(name, zone.params.get(name), spec):
            out.append(Problem(message, label))
    unknown = set(k for k, v in zone.params.items() if v is not None) - set(catalogue.pog_params)
    for name in sorted(unknown):
        out.append(Problem(f"parametr „{name}” nie dotyczy strefy planu ogólnego", label))
    return out


def _check_plan_area(zone: ZoneInput, catalogue: Catalogue) -> list[Problem]:
    out: list[Problem] = []
    label = zone.label
    try:
        parsed = parse_mpzp(zone.designation, catalogue)
    except DesignationError as exc:
        out.append(Problem(str(exc), label))
        parsed = None
    if parsed is not None:
        zone.number = parsed.number or ""
        if zone.symbol:
            given = zone.symbol.upper().replace(" ", "")
            if given != parsed.symbol:
                out.append(
                    Problem(
                        f"symbol {zone.symbol} nie zgadza się z oznaczeniem {zone.designation} "
                        f"(oczekiwano {parsed.symbol})",
                        label,
                    )
                )
        else:
            zone.symbol = parsed.symbol
        if not zone.land_use_classes:
            zone.land_use_classes = list(parsed.kpt_classes)
        if parsed.unknown_symbols:
            out.append(
                Problem(
                    "symbol spoza słownika (przyjęto bez klasy KPT): "
                    + ", ".join(parsed.unknown_symbols),
                    label,
                    WARNING,
                )
            )
    for name, spec in catalogue.mpzp_params.items():
        for message in check_param(name, zone.params.get(name), spec):
            out.append(Problem(message, label))
    lo, hi = zone.params.get("min_intensity"), zone.params.get("max_intensity")
    if lo is not None and hi is not None and lo > hi:
        out.append(Problem(f"minimalna intensywność {lo} jest większa od maksymalnej {hi}", label))
    unknown = set(k for k, v in zone.params.items() if v is not None) - set(catalogue.mpzp_params)
    for name in sorted(unknown):
        out.append(Problem(f"nieznany parametr „{name}”", label))
    return out


def validate_zone(zone: ZoneInput, catalogue: Catalogue | None = None) -> list[Problem]:
    """Checks of one zone alone: designation, symbol, profile, required fields, ranges."""
    catalogue = catalogue or catalogue_for()
    if zone.category == "pog_zone":
        out = _check_pog_zone(zone, catalogue)
    else:
        out = _check_plan_area(zone, catalogue)
    if zone.geom_problem:
        out.append(Problem(zone.geom_problem, zone.label))
    elif zone.geom is None:
        out.append(Problem("brak geometrii", zone.label))
    else:
        reason = geometry_problem(zone.geom)
        if reason:
            zone.geom_problem = reason
            out.append(Problem(reason, zone.label))
    return out


def _duplicates(zones: Sequence[ZoneInput], attr: str, what: str) -> list[Problem]:
    seen: dict[str, list[ZoneInput]] = {}
    for zone in zones:
        value = getattr(zone, attr)
        if value:
            seen.setdefault(value, []).append(zone)
    out = []
    for value, group in seen.items():
        if len(group) > 1:
            names = ", ".join(z.designation or z.local_id for z in group)
            out.append(
                Problem(f"{what} „{value}” powtarza się w strefach: {names}", group[0].label)
            )
    return out


def check_layout(
    zones: Sequence[ZoneInput],
    *,
    plan_geom: BaseGeometry | None,
    gaps: str,
    tolerance: float,
    source_srid: int | None = None,
) -> list[Problem]:
    """Overlaps (naming both zones), gaps (holes or uncovered plan area), zones outside.
    ``source_srid``: the CRS of the file the zones come from (a gap's position is given in it
    too)."""
    valid = [z for z in zones if z.geom is not None and not z.geom_problem]
    if not valid:
        return []
    out = _overlaps(valid, tolerance)
    if len(valid) != len(zones):
        return out  # gaps are meaningless while some geometry is missing or broken
    union = shapely.union_all([z.geom for z in valid])
    holes = _holes(union, tolerance)
    if plan_geom is not None and not plan_geom.is_empty:
        holes += _uncovered(plan_geom, union, holes, tolerance)
        out += _outside(valid, plan_geom, union, tolerance)
    severity = ERROR if gaps == ERROR else WARNING
    out += [_gap_problem(hole, valid, severity, source_srid) for hole in holes]
    return out


def _overlaps(valid: list[ZoneInput], tolerance: float) -> list[Problem]:
    """Each pair of zones overlapping by more than ``tolerance`` m², naming both."""
    out: list[Problem] = []
    geoms = [z.geom for z in valid if z.geom is not None]  # (all of them: see check_layout)
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    for i, j in zip(left.tolist(), right.tolist(), strict=True):
        if i >= j:
            continue
        area = shapely.area(shapely.intersection(geoms[i], geoms[j]))
        if area > tolerance:
            a, b = valid[i], valid[j]
            out.append(
                Problem(
                    f"strefy {a.designation} ({a.local_id}) i {b.designation} ({b.local_id}) "
                    f"nakładają się na powierzchni ok. {area:,.0f} m²".replace(",", " "),
                    f"{a.label} / {b.label}",
                )
            )
    return out


def _holes(union: BaseGeometry, tolerance: float) -> list[BaseGeometry]:
    """The holes inside the zones' union larger than ``tolerance`` m²."""
    holes: list[BaseGeometry] = []
    for polygon in getattr(union, "geoms", [union]):
        for ring in polygon.interiors:
            ring_hole = shapely.Polygon(ring)
            if ring_hole.area > tolerance:
                holes.append(ring_hole)
    return holes


def _uncovered(
    plan_geom: BaseGeometry, union: BaseGeometry, holes: list[BaseGeometry], tolerance: float
) -> list[BaseGeometry]:
    """The parts of the plan area no zone covers (beyond the ``holes`` already found)."""
    found: list[BaseGeometry] = []
    uncovered = shapely.difference(plan_geom, union)
    for part in getattr(uncovered, "geoms", [uncovered]):
        if part.area > tolerance and not any(
            shapely.area(shapely.intersection(part, h)) > tolerance for h in [*holes, *found]
        ):
            found.append(part)
    return found


def _outside(
    valid: list[ZoneInput], plan_geom: BaseGeometry, union: BaseGeometry, tolerance: float
) -> list[Problem]:
    """Each zone reaching beyond the plan's boundary by more than ``tolerance`` m²."""
    out: list[Problem] = []
    if shapely.area(shapely.difference(union, plan_geom)) <= tolerance:
        return out
    for zone in valid:
        area = shapely.area(shapely.difference(zone.geom, plan_geom))
        if area > tolerance:
            out.append(
                Problem(f"strefa wychodzi poza granicę planu (ok. {area:.0f} m²)", zone.label)
            )
    return out


def _gap_problem(
    hole: BaseGeometry, valid: list[ZoneInput], severity: str, source_srid: int | None = None
) -> Problem:
    neighbours = [z.designation for z in valid if shapely.distance(z.geom, hole) < 0.01]
    return Problem(
        f"luka między strefami ({', '.join(neighbours) or 'brak sąsiadów'}) "
        f"o powierzchni ok. {hole.area:.0f} m² w punkcie {_position(hole, source_srid)} — "
        "obszar planu musi być w całości pokryty strefami",
        "",
        severity,
    )


def _position(geom: BaseGeometry, source_srid: int | None) -> str:
    """A point inside ``geom`` (stored coordinates) in the storage CRS and, for a file, in the
    file's CRS in the file's axis order (APP: northing first), so it can be found in either."""
    point = geom.representative_point()
    storage = int(settings.MIASTO_SRID)
    text = f"x={point.x:.2f}, y={point.y:.2f} (EPSG:{storage}, x — wschodnia)"
    if source_srid is None:
        return text
    there = Point(point.x, point.y, srid=storage)
    if source_srid != storage:
        there.transform(source_srid)
    return (
        f"{text}; w układzie pliku EPSG:{source_srid}: {there.y:.2f} {there.x:.2f} "
        "(kolejność jak w pliku: północna, wschodnia)"
    )


def validate_zones(
    zones: Sequence[ZoneInput],
    *,
    plan_kind: str,
    plan_geom: BaseGeometry | None = None,
    catalogue: Catalogue | None = None,
    source_srid: int | None = None,
) -> list[Problem]:
    """All checks of a plan's zone set; returns every problem (errors and warnings).
    ``source_srid``: the CRS of the file they were read from, if any."""
    catalogue = catalogue or catalogue_for()
    out: list[Problem] = []
    for zone in zones:
        out += validate_zone(zone, catalogue)
    out += _duplicates(zones, "local_id", "identyfikator lokalnyId")
    out += _duplicates(zones, "designation", "oznaczenie")
    out += check_layout(
        zones,
        plan_geom=plan_geom,
        gaps=catalogue.gaps.get(plan_kind, WARNING),
        tolerance=catalogue.area_tolerance,
        source_srid=source_srid,
    )
    return out


def errors_of(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == ERROR]

"""Demo plans for the demo city: a general plan (POG) over all of it and about 20 local plans
(MPZP) over about 60 % of its area — some drafts, one annulled, one amended (with history) —
plus deliberate conflicts for the analyses (housing in the flood area, building land on the
nature reserve). Deterministic: the same city gives the same plans.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import shapely
from django.contrib.gis.geos import GEOSGeometry
from django.db import transaction
from psycopg import sql
from shapely.geometry.base import BaseGeometry

from miasto.core.audit import audit_record_bulk
from miasto.core.db import execute
from miasto.planning.catalogue import catalogue_for
from miasto.planning.models import BuildingLine, LegalAct, Plan, Scenario, Zone
from miasto.planning.scenarios import scenario_save
from miasto.planning.services import (
    _multi,
    plan_apply_amendment,
    plan_change_status,
    plan_create,
    plan_set_zones,
)
from miasto.planning.statuses import DRAFT_STATUSES
from miasto.planning.validation import ZoneInput
from miasto.territory.models import Block, City, Constraint, District, Precinct, Street

NAMESPACE_POG = "PL.ZIPPZP.1/106401-POG"
NAMESPACE_MPZP = "PL.ZIPPZP.1/106401-MPZP"
D = Decimal

#: district character → POG zone symbol and standards (intensity, coverage %, height m, bio %)
POG_BY_CHARACTER = {
    "old_town": ("SW", D("3.5"), D("80"), D("20"), D("10")),
    "tenement": ("SW", D("2.8"), D("60"), D("25"), D("15")),
    "estate": ("SW", D("2.0"), D("40"), D("35"), D("35")),
    "suburb": ("SJ", D("0.8"), D("35"), D("12"), D("45")),
    "industrial": ("SP", D("2.0"), D("70"), D("30"), D("10")),
    "farmland": ("SR", D("0.3"), D("20"), D("12"), D("70")),
    "mixed": ("SU", D("2.0"), D("50"), D("18"), D("25")),
}
#: district character → MPZP designation and parameters
MPZP_BY_CHARACTER: dict[str, tuple[str, dict[str, Decimal]]] = {
    "old_town": ("MW/U", {"min_intensity": D("1.2"), "max_intensity": D("3.5"),
                          "max_coverage": D("70"), "min_bio_active": D("10"),
                          "max_height": D("18"), "max_storeys": D("5"),
                          "parking_ratio": D("0.5")}),
    "tenement": ("MW/U", {"min_intensity": D("0.8"), "max_intensity": D("2.8"),
                          "max_coverage": D("60"), "min_bio_active": D("15"),
                          "max_height": D("22"), "max_storeys": D("6"),
                          "parking_ratio": D("1")}),
    "estate": ("MW", {"min_intensity": D("0.5"), "max_intensity": D("2"),
                      "max_coverage": D("35"), "min_bio_active": D("35"),
                      "max_height": D("30"), "max_storeys": D("10"),
                      "parking_ratio": D("1.2")}),
    "suburb": ("MN", {"min_intensity": D("0.1"), "max_intensity": D("0.6"),
                      "max_coverage": D("35"), "min_bio_active": D("45"),
                      "max_height": D("10"), "max_storeys": D("2"),
                      "min_plot_area": D("600"), "parking_ratio": D("2")}),
    "industrial": ("P/U", {"min_intensity": D("0.2"), "max_intensity": D("2"),
                           "max_coverage": D("70"), "min_bio_active": D("10"),
                           "max_height": D("25")}),
    "farmland": ("R", {"max_coverage": D("5"), "min_bio_active": D("90"),
                       "max_height": D("12")}),
    "mixed": ("MN/U", {"min_intensity": D("0.2"), "max_intensity": D("1.2"),
                       "max_coverage": D("45"), "min_bio_active": D("30"),
                       "max_height": D("14"), "max_storeys": D("3")}),
}  # fmt: skip
GREEN = ("ZP", {"max_coverage": D("5"), "min_bio_active": D("80"), "max_height": D("6")})
ROAD: tuple[str, dict[str, Decimal]] = ("KD-L", {})
RULES = {
    "MN": "Dachy strome o nachyleniu 30–45°. Ogrodzenia ażurowe do 1,6 m.",
    "MW": "Obowiązek lokalizacji placu zabaw. Miejsca postojowe w garażach podziemnych.",
    "MW/U": "Usługi w parterach od strony ulicy. Zakaz reklam wolnostojących.",
    "P/U": "Zakaz lokalizacji zakładów o zwiększonym ryzyku awarii.",
    "R": "Zakaz zabudowy z wyjątkiem obiektów infrastruktury technicznej.",
    "ZP": "Zieleń urządzona; dopuszcza się obiekty małej architektury.",
    "KD-L": "Droga publiczna klasy lokalnej; szerokość w liniach rozgraniczających 12 m.",
}

#: the MPZP programme: (precinct codes, status, adopted date) — 20 plans
PROGRAMME: list[tuple[tuple[str, ...], str, dt.date]] = [
    (("0001", "0002"), "in_force", dt.date(2008, 5, 14)),
    (("0003",), "in_force", dt.date(2009, 3, 2)),
    (("0004", "0005"), "in_force", dt.date(2010, 9, 21)),  # amended later
    (("0009",), "in_force", dt.date(2011, 1, 12)),
    (("0010", "0011"), "in_force", dt.date(2012, 6, 6)),
    (("0012", "0013"), "annulled", dt.date(2012, 11, 20)),
    (("0016", "0017"), "in_force", dt.date(2013, 4, 17)),
    (("0018",), "in_force", dt.date(2014, 2, 26)),
    (("0019", "0020"), "in_force", dt.date(2015, 7, 8)),
    (("0023",), "in_force", dt.date(2016, 10, 5)),
    (("0024", "0025"), "in_force", dt.date(2017, 12, 13)),
    (("0026", "0027"), "in_force", dt.date(2018, 3, 28)),
    (("0030", "0031"), "in_force", dt.date(2019, 5, 22)),
    (("0032",), "in_force", dt.date(2020, 9, 30)),
    (("0037", "0038", "0039"), "in_force", dt.date(2021, 6, 16)),
    (("0033", "0034"), "in_force", dt.date(2022, 2, 9)),  # on the reserve
    (("0044", "0045"), "in_force", dt.date(2023, 4, 26)),
    (("0046", "0047"), "consultation", dt.date(2025, 3, 1)),
    (("0051", "0052"), "in_preparation", dt.date(2025, 9, 1)),
]
AMENDED_INDEX = 2
AMENDMENT_DATE = dt.date(2019, 11, 6)
ANNULMENT_DATE = dt.date(2016, 2, 18)


@dataclass
class DemoPlansResult:
    plans: int
    zones: int
    pog_zones: int
    skipped: bool = False

    def summary(self) -> str:
        if self.skipped:
            return "Plany demonstracyjne już istnieją — pominięto."
        return (
            f"Plany demonstracyjne: {self.plans} planów (1 POG, {self.plans - 1} MPZP), "
            f"{self.pog_zones} stref POG, {self.zones} terenów MPZP."
        )


class NoCity(Exception):
    pass


def _g(geom: GEOSGeometry) -> BaseGeometry:
    return shapely.from_wkb(bytes(geom.wkb))


def _clean(geom: BaseGeometry) -> BaseGeometry | None:
    geom = shapely.make_valid(geom)
    polys = [
        p
        for p in shapely.get_parts(geom)
        if p.geom_type in ("Polygon", "MultiPolygon") and p.area > 1.0
    ]
    if not polys:
        return None
    parts = []
    for p in polys:
        parts += list(getattr(p, "geoms", [p]))
    return parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts)


def _resolution(n: int, date: dt.date) -> tuple[str, str]:
    roman = ["XII", "XIX", "XXV", "XXXI", "XL", "XLVII", "LIII", "LX"][n % 8]
    return (
        f"{roman}/{100 + 7 * n}/{date.year % 100:02d}",
        f"Dz. Urz. Woj. Łódzkiego {date.year} poz. {1000 + 37 * n}",
    )


def _walk(plan: Plan, target: str, adopted: dt.date) -> None:
    """Move a plan through the lifecycle up to ``target`` with plausible dates."""
    steps = {
        "in_preparation": ["in_preparation"],
        "consultation": ["in_preparation", "consultation"],
        "in_force": ["in_preparation", "consultation", "adopted", "in_force"],
        "annulled": ["in_preparation", "consultation", "adopted", "in_force", "annulled"],
    }[target]
    dates = {
        "in_preparation": adopted - dt.timedelta(days=540),
        "consultation": adopted - dt.timedelta(days=120),
        "adopted": adopted,
        "in_force": adopted + dt.timedelta(days=30),
        "annulled": ANNULMENT_DATE,
    }
    for step in steps:
        plan_change_status(plan=plan, status=step, effective=dates[step])


def _pog(city_geom: BaseGeometry) -> tuple[Plan, int]:
    valley = shapely.union_all(
        [_g(c.geom) for c in Constraint.objects.filter(kind=Constraint.Kind.NATURA2000)]
    )
    valley = shapely.intersection(valley, city_geom) if not valley.is_empty else valley
    roads = shapely.union_all(
        [
            shapely.buffer(_g(s.geom), {"GP": 20.0, "G": 15.0}[s.road_class], cap_style="flat")
            for s in Street.objects.filter(road_class__in=["GP", "G"]).order_by("id")
        ]
    )
    roads = shapely.difference(shapely.intersection(roads, city_geom), valley)
    taken = shapely.union_all([valley, roads])
    zones: list[ZoneInput] = []
    counters: dict[str, int] = {}

    def add(symbol: str, geom: BaseGeometry | None, params: dict[str, Decimal]) -> None:
        if geom is None:
            return

        counters[symbol] = counters.get(symbol, 0) + 1
        designation = f"{counters[symbol]}{symbol}"
        kind = catalogue_for().zone_kinds[symbol]
        zones.append(
            ZoneInput(
                local_id=f"1POG-{designation}",
                designation=designation,
                symbol=symbol,
                category="pog_zone",
                basic_profile=list(kind.basic_profile),
                params=dict(params),
                geom=geom,
            )
        )

    for district in District.objects.order_by("code"):
        symbol, intensity, coverage, height, bio = POG_BY_CHARACTER.get(
            district.character, POG_BY_CHARACTER["mixed"]
        )
        geom = _clean(shapely.difference(_g(district.geom), taken))
        if geom is None:
            continue
        taken = shapely.union_all([taken, geom])
        if district.character == "farmland" and district.code >= "12":
            add("SO", geom, {"min_bio_active": D("90")})
        else:
            add(
                symbol,
                geom,
                {
                    "max_intensity": intensity,
                    "max_coverage": coverage,
                    "max_height": height,
                    "min_bio_active": bio,
                },
            )
    add("SN", _clean(valley), {"min_bio_active": D("80")})
    add("SK", _clean(roads), {})
    rest = _clean(shapely.difference(city_geom, taken))
    if rest is not None:
        add("SO", rest, {"min_bio_active": D("90")})
    plan = plan_create(
        kind=Plan.Kind.POG,
        title="Plan ogólny Miasta Przykładowego",
        local_id="1POG",
        namespace=NAMESPACE_POG,
        geom=city_geom,
        note="plan demonstracyjny",
    )
    plan_set_zones(plan=plan, zones=zones)
    _walk(plan, "in_force", dt.date(2025, 6, 25))
    number, journal = _resolution(0, dt.date(2025, 6, 25))
    LegalAct.objects.create(
        plan=plan, kind=LegalAct.Kind.ADOPTION, local_id="1POG-U1",
        title="Uchwała w sprawie planu ogólnego Miasta Przykładowego", number=number,
        date=dt.date(2025, 6, 25), journal_position=journal,
    )  # fmt: skip
    return plan, len(zones)


def _mpzp_zones(
    prefix: str, boundary: BaseGeometry, blocks: list[tuple[BaseGeometry, str]],
    nature: BaseGeometry, override: str | None = None,
) -> tuple[list[ZoneInput], dict[str, str]]:  # fmt: skip
    zones: list[ZoneInput] = []
    rules: dict[str, str] = {}
    taken: list[BaseGeometry] = []
    n = 0
    tree = shapely.STRtree([b for b, _c in blocks])
    for idx in sorted(tree.query(boundary, predicate="intersects").tolist()):
        geom, character = blocks[idx]
        if not shapely.contains(boundary, shapely.point_on_surface(geom)):
            continue
        clipped = _clean(shapely.intersection(geom, boundary))
        if clipped is None:
            continue
        n += 1
        symbol, params = MPZP_BY_CHARACTER.get(character, MPZP_BY_CHARACTER["mixed"])
        if override:
            symbol, params = MPZP_BY_CHARACTER[override]
        elif n % 9 == 0:
            symbol, params = GREEN
        if not nature.is_empty and shapely.intersects(clipped, nature) and character == "farmland":
            # deliberate conflict: building land on the nature reserve
            symbol, params = MPZP_BY_CHARACTER["suburb"]
        designation = f"{n}{symbol}"
        local_id = f"{prefix}-{designation}"
        zones.append(
            ZoneInput(
                local_id=local_id, designation=designation, category="plan_area",
                params=dict(params), geom=clipped,
            )
        )  # fmt: skip
        rules[local_id] = RULES.get(symbol, "")
        taken.append(clipped)
    road = _clean(shapely.difference(boundary, shapely.union_all(taken)))
    if road is not None:
        designation = f"{n + 1}KD-L"
        local_id = f"{prefix}-{designation}"
        zones.append(
            ZoneInput(
                local_id=local_id, designation=designation, category="plan_area", params={},
                geom=road,
            )
        )  # fmt: skip
        rules[local_id] = RULES["KD-L"]
    return zones, rules


#: the tables holding rows of a plan (``plan_id``), emptied before the plans themselves
PLAN_TABLES = (
    "planning_buildingline", "planning_zone", "planning_specialarea",
    "planning_planstatuschange", "planning_legalact", "planning_scenario_drafts",
)  # fmt: skip


def _delete_plans(ids: list[int]) -> None:
    """Remove earlier demo plans in bulk (one audit entry, not one per zone)."""
    if not ids:
        return
    for table in PLAN_TABLES:
        execute(
            sql.SQL("DELETE FROM {} WHERE plan_id = ANY(%s)").format(sql.Identifier(table)), [ids]
        )
    execute("UPDATE planning_plan SET amends_id = NULL WHERE id = ANY(%s)", [ids])
    execute("DELETE FROM planning_plan WHERE id = ANY(%s)", [ids])
    audit_record_bulk(model=Plan, action="delete", count=len(ids), note="plany demonstracyjne")


@dataclass(frozen=True)
class DemoSite:
    """What the demo plans are drawn from: the city's blocks (with their district's
    character), its precincts by code and the nature reserves (for the deliberate conflict)."""

    blocks: list[tuple[BaseGeometry, str]]
    precincts: dict[str, BaseGeometry]
    nature: BaseGeometry


def _demo_site() -> DemoSite:
    nature = shapely.union_all(
        [_g(c.geom) for c in Constraint.objects.filter(kind=Constraint.Kind.NATURE)]
    )
    blocks = [
        (_g(geom), character)
        for geom, character in Block.objects.order_by("id").values_list(
            "geom", "district__character"
        )
    ]
    precincts = {p.code: _g(p.geom) for p in Precinct.objects.all()}
    return DemoSite(blocks=blocks, precincts=precincts, nature=nature)


def demo_plans_generate(*, if_missing: bool = False) -> DemoPlansResult:
    city = City.objects.order_by("id").first()
    if city is None:
        raise NoCity("Brak miasta demonstracyjnego — najpierw uruchom „miasto demo-city”.")
    existing = Plan.objects.filter(namespace__in=[NAMESPACE_POG, NAMESPACE_MPZP])
    if if_missing and existing.exists():
        return DemoPlansResult(existing.count(), 0, 0, skipped=True)
    with transaction.atomic():
        _delete_plans([p.pk for p in existing])
        pog, pog_zones = _pog(_g(city.geom))
        site = _demo_site()
        plans = [pog]
        zone_count = 0
        amended: Plan | None = None
        for i, (codes, status, adopted) in enumerate(PROGRAMME):
            made = _local_plan(site, i, (codes, status, adopted))
            if made is None:
                continue
            plan, zones = made
            zone_count += zones
            if i == AMENDED_INDEX:
                amended = plan
            plans.append(plan)
        if amended is not None and amended.geom is not None:
            amendment, zones = _amendment(site, amended)
            zone_count += zones
            plans.append(amendment)
        _building_lines()
        _demo_scenarios(plans)
        audit_record_bulk(
            model=Plan, action="create", count=len(plans), note="plany demonstracyjne"
        )
    return DemoPlansResult(len(plans), zone_count, pog_zones)


def _local_plan(
    site: DemoSite, i: int, programme: tuple[tuple[str, ...], str, dt.date]
) -> tuple[Plan, int] | None:
    """The local plan of ``PROGRAMME[i]`` over its precincts, walked to its status, with its
    resolution (and annulment); ``(plan, number of zones)``, or None without precincts."""
    codes, status, adopted = programme
    geoms = [site.precincts[c] for c in codes if c in site.precincts]
    if not geoms:
        return None
    boundary = _clean(shapely.union_all(geoms))
    if boundary is None:
        return None
    local_id = f"{i + 1}MPZP"
    plan = plan_create(
        kind=Plan.Kind.MPZP,
        title=f"Miejscowy plan zagospodarowania przestrzennego nr {i + 1}",
        local_id=local_id,
        namespace=NAMESPACE_MPZP,
        geom=boundary,
        note="plan demonstracyjny",
    )
    zones, rules = _mpzp_zones(local_id, boundary, site.blocks, site.nature)
    plan_set_zones(plan=plan, zones=zones, rules=rules)
    _walk(plan, status, adopted)
    if status not in ("in_preparation", "consultation"):
        number, journal = _resolution(i + 1, adopted)
        LegalAct.objects.create(
            plan=plan, kind=LegalAct.Kind.ADOPTION, local_id=f"{local_id}-U1",
            title=f"Uchwała w sprawie uchwalenia planu nr {i + 1}", number=number,
            date=adopted, journal_position=journal,
        )  # fmt: skip
    if status == "annulled":
        LegalAct.objects.create(
            plan=plan, kind=LegalAct.Kind.ANNULMENT, local_id=f"{local_id}-W1",
            title="Wyrok WSA w Łodzi stwierdzający nieważność uchwały",
            number="II SA/Łd 812/15", date=ANNULMENT_DATE,
        )  # fmt: skip
    return plan, len(zones)


def _amendment(site: DemoSite, amended: Plan) -> tuple[Plan, int]:
    """The amendment of the west half of ``amended``, brought into force (with history);
    ``(amendment, number of zones)``."""
    assert amended.geom is not None
    minx, miny, maxx, maxy = _g(amended.geom).bounds
    part = _clean(
        shapely.intersection(_g(amended.geom), shapely.box(minx, miny, (minx + maxx) / 2, maxy))
    )
    amendment = plan_create(
        kind=Plan.Kind.MPZP,
        title=f"Zmiana planu nr {AMENDED_INDEX + 1} (część zachodnia)",
        local_id=f"{AMENDED_INDEX + 1}MPZP-Z1",
        namespace=NAMESPACE_MPZP,
        geom=part,
        amends=amended,
        note="plan demonstracyjny",
    )
    # (the west half of a plan's area: never empty)
    zones, rules = _mpzp_zones(amendment.local_id, part, site.blocks, site.nature, "tenement")  # type: ignore[arg-type]
    plan_set_zones(plan=amendment, zones=zones, rules=rules)
    for step in ("in_preparation", "consultation", "adopted"):
        plan_change_status(plan=amendment, status=step, effective=AMENDMENT_DATE)
    number, journal = _resolution(40, AMENDMENT_DATE)
    LegalAct.objects.create(
        plan=amendment, kind=LegalAct.Kind.AMENDMENT, local_id=f"{amendment.local_id}-U1",
        title="Uchwała w sprawie zmiany planu", number=number, date=AMENDMENT_DATE,
        journal_position=journal,
    )  # fmt: skip
    plan_apply_amendment(amendment=amendment, effective=AMENDMENT_DATE)
    return amendment, len(zones)


def _building_lines() -> None:
    """Non-exceedable building lines 6 m inside the single-family areas of two plans."""
    lines = []
    for zone in Zone.objects.filter(
        plan__local_id__in=["5MPZP", "7MPZP"], plan__namespace=NAMESPACE_MPZP, symbol="MN"
    ).order_by("id"):
        inner = _g(zone.geom).buffer(-6.0)
        if inner.is_empty:
            continue
        boundary_line = shapely.line_merge(inner.boundary)
        parts = [p for p in shapely.get_parts(boundary_line) if p.geom_type == "LineString"]
        if parts:
            multi = shapely.MultiLineString(parts)
            lines.append(
                BuildingLine(
                    plan_id=zone.plan_id, zone=zone,
                    kind=BuildingLine.Kind.NON_EXCEEDABLE, valid_from=zone.valid_from,
                    geom=GEOSGeometry(memoryview(shapely.to_wkb(multi)), srid=zone.geom.srid),  # type: ignore[misc]
                )
            )  # fmt: skip
    BuildingLine.objects.bulk_create(lines)


DEMO_SCENARIOS = (
    "Uchwalenie projektów planów w opracowaniu",
    "Intensyfikacja zabudowy wielorodzinnej",
)


def _demo_scenarios(plans: list[Plan]) -> None:
    """Two scenarios to compare: all draft plans adopted; denser multi-family areas."""
    Scenario.objects.filter(name__in=DEMO_SCENARIOS).delete()
    plans = list(Plan.objects.filter(pk__in=[p.pk for p in plans]).order_by("id"))  # statuses
    drafts = [p for p in plans if p.status in DRAFT_STATUSES]
    if drafts:
        scenario_save(
            name=DEMO_SCENARIOS[0],
            description="Co zmieni się w chłonności, pokryciu planami, konfliktach i "
            "dostępności, jeśli rada uchwali projekty planów, które są w opracowaniu?",
            drafts=drafts,
        )
    in_force = [p for p in plans if p.status == "in_force" and p.kind == Plan.Kind.MPZP]
    lines: list[str] = []
    for plan in in_force:
        for zone in plan.zones.filter(symbol__startswith="MW", valid_to__isnull=True).order_by(
            "id"
        )[:3]:
            if zone.max_intensity is not None and len(lines) < 6:
                lines.append(
                    f"{plan.local_id} {zone.designation} "
                    f"max_intensity={(zone.max_intensity * 3 / 2).quantize(zone.max_intensity)}"
                )
    if lines:
        scenario_save(
            name=DEMO_SCENARIOS[1],
            description="Intensywność zabudowy terenów MW i MW/U większa o połowę.",
            drafts=[],
            overrides="\n".join(lines),
        )


__all__ = ["DemoPlansResult", "NoCity", "demo_plans_generate", "_multi"]

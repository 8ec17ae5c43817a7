"""The demo landscape resolution and register (``miasto demo-advertising``).

A resolution in force since 1 July 2023 with five zones around the city centre — A, the old
town (strictest: only signs, citylights and pillars, small signs, no LED), B the centre, C the
inner districts, D and E the outer north and south — and about 5 000 carriers of which about
15 % break the rules in varied ways (wrong kind, too large, LED, lit too late, too much of a
façade or window, too many signs, too low, wraps left too long, boards too close to each
other). Carriers that stood before the resolution are judged under each zone's adjustment
period. The fee configuration (the statutory caps we could verify and the council's rates)
gives fees for the year. Deterministic for a seed.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.gis.geos import Point
from django.db import transaction

from miasto.advertising import compliance, fees
from miasto.advertising.models import (
    Carrier,
    FeeCap,
    FeeExemption,
    FeeRate,
    LandscapeResolution,
    Owner,
    RuleSet,
    Zone,
)
from miasto.advertising.services import (
    carriers_bulk_recorded,
    carriers_link_spine,
    resolution_change_status,
    rule_save,
    rule_values,
)
from miasto.core import db
from miasto.territory.models import City

IN_FORCE = dt.date(2023, 7, 1)
D = Decimal

#: the statutory caps verified so far (docs/advertising.md): (from, until, fixed, variable, source)
CAPS = [
    (
        dt.date(2015, 9, 11),
        dt.date(2016, 1, 1),
        "2.50",
        "0.20",
        "art. 19 pkt 1 lit. g–h u.p.o.l. (2015)",
    ),
    (dt.date(2016, 1, 1), dt.date(2017, 1, 1), "2.47", "0.20", "M.P. 2015 poz. 912"),
    (dt.date(2018, 1, 1), dt.date(2019, 1, 1), "2.50", "0.21", "M.P. 2017 poz. 800"),
    (dt.date(2021, 1, 1), dt.date(2022, 1, 1), "2.70", "0.24", "obwieszczenie MF na 2021 r."),
]

ZONES_SQL = """
WITH c AS (SELECT ST_Union(geom) AS g FROM territory_city),
p AS (SELECT g, ST_PointOnSurface(g) AS o, sqrt(ST_Area(g) / pi()) AS r FROM c),
ring AS (
  SELECT ST_Buffer(o, r * 0.10, 32) AS b1, ST_Buffer(o, r * 0.30, 32) AS b2,
         ST_Buffer(o, r * 0.55, 32) AS b3,
         ST_MakeEnvelope(ST_XMin(g) - 1, ST_Y(o), ST_XMax(g) + 1, ST_YMax(g) + 1, 2180) AS north
    FROM p)
SELECT code, ST_AsEWKT(ST_Multi(ST_CollectionExtract(ST_MakeValid(geom), 3)))
  FROM (
    SELECT 'A' AS code, ST_Intersection(p.g, ring.b1) AS geom FROM p, ring
    UNION ALL SELECT 'B', ST_Difference(ST_Intersection(p.g, ring.b2), ring.b1) FROM p, ring
    UNION ALL SELECT 'C', ST_Difference(ST_Intersection(p.g, ring.b3), ring.b2) FROM p, ring
    UNION ALL SELECT 'D', ST_Intersection(ST_Difference(p.g, ring.b3), ring.north) FROM p, ring
    UNION ALL SELECT 'E', ST_Difference(ST_Difference(p.g, ring.b3), ring.north) FROM p, ring
  ) z
 ORDER BY code
"""

#: zone code → (name, adjustment months, share of the carriers)
ZONES = {
    "A": ("Stare Miasto", 24, 0.12),
    "B": ("Śródmieście", 36, 0.25),
    "C": ("Dzielnice wewnętrzne", 48, 0.25),
    "D": ("Dzielnice zewnętrzne — północ", 60, 0.20),
    "E": ("Dzielnice zewnętrzne — południe", 60, 0.18),
}
ALL_KINDS = [
    "board_freestanding",
    "board_facade",
    "banner",
    "wrap",
    "sticker",
    "led_screen",
    "pillar",
    "citylight",
    "sign",
]
FACADE_KINDS = {"board_facade", "banner", "wrap", "sticker", "sign"}


_LIT = ["none", "external"]
#: each zone's rules as (values, provision)
RULES: dict[str, list[tuple[dict[str, Any], str]]] = {
    "A": [
        (
            {"kind": "allowed_kinds", "params": {"kinds": ["sign", "citylight", "pillar"]}},
            "§ 6 ust. 1",
        ),
        ({"kind": "max_area", "max_value": "1.5", "carrier_kinds": ["sign"]}, "§ 6 ust. 2"),
        ({"kind": "sign_count", "max_value": "2", "carrier_kinds": ["sign"]}, "§ 6 ust. 3"),
        ({"kind": "illumination", "params": {"allowed": _LIT}}, "§ 6 ust. 4"),
        ({"kind": "lighting_hours", "max_value": "22"}, "§ 6 ust. 5"),
        ({"kind": "facade_share", "max_value": "10"}, "§ 6 ust. 6"),
        ({"kind": "window_share", "max_value": "10"}, "§ 6 ust. 7"),
        ({"kind": "bottom_edge", "min_value": "2.5", "carrier_kinds": ["sign"]}, "§ 6 ust. 8"),
        (
            {
                "kind": "distance_monument",
                "min_value": "20",
                "carrier_kinds": ["pillar", "citylight"],
            },
            "§ 6 ust. 9",
        ),
    ],
    "B": [
        (
            {
                "kind": "allowed_kinds",
                "params": {
                    "kinds": [
                        "sign",
                        "board_facade",
                        "citylight",
                        "pillar",
                        "banner",
                        "wrap",
                        "sticker",
                    ]
                },
            },
            "§ 7 ust. 1",
        ),
        (
            {
                "kind": "max_area",
                "max_value": "12",
                "carrier_kinds": ["board_facade", "banner"],
            },
            "§ 7 ust. 2",
        ),
        ({"kind": "max_area", "max_value": "3", "carrier_kinds": ["sign"]}, "§ 7 ust. 3"),
        (
            {"kind": "max_exposure", "max_value": "180", "carrier_kinds": ["wrap", "banner"]},
            "§ 7 ust. 4",
        ),
        ({"kind": "facade_share", "max_value": "20"}, "§ 7 ust. 5"),
        ({"kind": "window_share", "max_value": "20"}, "§ 7 ust. 6"),
        ({"kind": "lighting_hours", "max_value": "23"}, "§ 7 ust. 7"),
    ],
    "C": [
        (
            {
                "kind": "allowed_kinds",
                "params": {"kinds": [k for k in ALL_KINDS if k != "led_screen"]},
            },
            "§ 8 ust. 1",
        ),
        ({"kind": "max_area", "max_value": "12"}, "§ 8 ust. 2"),
        (
            {
                "kind": "distance_carrier",
                "min_value": "80",
                "carrier_kinds": ["board_freestanding"],
                "params": {"other_kinds": ["board_freestanding"]},
            },
            "§ 8 ust. 3",
        ),
        (
            {
                "kind": "distance_building",
                "min_value": "10",
                "carrier_kinds": ["board_freestanding"],
            },
            "§ 8 ust. 4",
        ),
        (
            {
                "kind": "distance_intersection",
                "min_value": "30",
                "carrier_kinds": ["board_freestanding"],
            },
            "§ 8 ust. 5",
        ),
        (
            {
                "kind": "distance_stop",
                "min_value": "15",
                "carrier_kinds": ["board_freestanding"],
            },
            "§ 8 ust. 6",
        ),
        ({"kind": "lighting_hours", "max_value": "23"}, "§ 8 ust. 7"),
    ],
    "D": [
        ({"kind": "max_area", "max_value": "18"}, "§ 9 ust. 1"),
        (
            {
                "kind": "distance_carrier",
                "min_value": "100",
                "carrier_kinds": ["board_freestanding", "led_screen"],
                "params": {"other_kinds": ["board_freestanding", "led_screen"]},
            },
            "§ 9 ust. 2",
        ),
        (
            {
                "kind": "distance_intersection",
                "min_value": "30",
                "carrier_kinds": ["led_screen"],
            },
            "§ 9 ust. 3",
        ),
        ({"kind": "max_dimension", "max_value": "6"}, "§ 9 ust. 4"),
    ],
    "E": [
        ({"kind": "max_area", "max_value": "18"}, "§ 10 ust. 1"),
        (
            {
                "kind": "distance_carrier",
                "min_value": "100",
                "carrier_kinds": ["board_freestanding"],
                "params": {"other_kinds": ["board_freestanding"]},
            },
            "§ 10 ust. 2",
        ),
        (
            {
                "kind": "distance_road",
                "min_value": "3",
                "carrier_kinds": ["board_freestanding"],
                "params": {"edge_offset": 3},
            },
            "§ 10 ust. 3",
        ),
        ({"kind": "max_dimension", "max_value": "6"}, "§ 10 ust. 4"),
    ],
}


class NoCity(Exception):
    pass


@dataclass
class DemoResult:
    created: bool
    carriers: int = 0
    non_compliant: int = 0
    fee_total: Decimal = D("0")
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        if not self.created:
            return "Uchwała krajobrazowa już jest — nic nie zmieniono."
        share = 100 * self.non_compliant / self.carriers if self.carriers else 0
        return (
            f"Uchwała krajobrazowa (5 stref), {self.carriers} nośników, z czego "
            f"{self.non_compliant} ({share:.1f} %) narusza uchwałę; opłata reklamowa za rok: "
            f"{self.fee_total} zł."
        )


def demo_advertising_generate(
    *, if_missing: bool = True, count: int = 5000, seed: int = 2026, today: dt.date | None = None
) -> DemoResult:
    if if_missing and LandscapeResolution.objects.exists():
        return DemoResult(created=False)
    if not City.objects.exists():
        raise NoCity("Brak miasta: najpierw `miasto demo-city`.")
    day = today or dt.date.today()
    rng = random.Random(seed)
    with transaction.atomic():
        ruleset = _resolution()
        zones = _zones(ruleset)
        owners = _owners(rng)
        intended = _carriers(rng, zones, owners, count, seed)
        ids = list(Carrier.objects.values_list("id", flat=True))
        carriers_link_spine(ids)
        compliance.check(day)
        _drop_accidental(intended)
        summary = compliance.check(day)
        _fees(rng, owners)
        carriers_bulk_recorded(len(ids), "demo-advertising")
    total = sum((o["amount"] for o in fees.by_owner(fees.schedule(day.year))), D("0"))
    bad = Carrier.objects.filter(compliance__compliant=False).count()
    return DemoResult(True, Carrier.objects.count(), bad, total, [f"{summary.violations} naruszeń"])


def _resolution() -> RuleSet:
    resolution = LandscapeResolution.objects.create(
        title="Uchwała w sprawie zasad i warunków sytuowania obiektów małej architektury, "
        "tablic reklamowych i urządzeń reklamowych oraz ogrodzeń (uchwała krajobrazowa)",
        number="LXII/1520/2023",
        journal_position="Dz. Urz. Woj. Łódzkiego z 2023 r. poz. 4321 (demonstracyjna)",
        description="Uchwała demonstracyjna miasta przykładowego.",
    )
    steps = [
        ("consultation", dt.date(2022, 10, 1)),
        ("adopted", dt.date(2023, 4, 20)),
        ("in_force", IN_FORCE),
    ]
    for status, day in steps:
        resolution_change_status(resolution=resolution, status=status, effective=day)
    return RuleSet.objects.create(
        resolution=resolution, label="tekst pierwotny", valid_from=IN_FORCE, applied=True
    )


def _zones(ruleset: RuleSet) -> dict[str, Zone]:
    zones = {}
    for code, ewkt in db.fetch_all(ZONES_SQL, []):
        name, months, _share = ZONES[code]
        zone = Zone.objects.create(
            ruleset=ruleset,
            code=code,
            name=name,
            adjustment_months=months,
            geom=ewkt,
            provision=f"§ {5 + list(ZONES).index(code)}",
        )
        for values, provision in RULES[code]:
            values = dict(values)
            entered = rule_values(
                values.pop("kind"),
                values.pop("min_value", None),
                values.pop("max_value", None),
                **values,
            )
            rule_save(zone=zone, entered=entered, provision=provision)
        zones[code] = zone
    return zones


def _owners(rng: random.Random) -> list[Owner]:
    companies = [
        "AMS",
        "Stroer",
        "Outdoor Media",
        "Clear Channel",
        "Reklama Centrum",
        "Billboard Łódź",
        "City Media",
        "Ekspozycja",
        "Nośnik Plus",
        "Miejskie Reklamy",
    ]
    owners = [
        Owner(
            name=f"{name} sp. z o.o.",
            tax_id=f"72{rng.randrange(10**7, 10**8)}",
            address=f"ul. Piotrkowska {rng.randint(1, 300)}",
            email=f"biuro{i}@example.org",
        )
        for i, name in enumerate(companies)
    ]
    owners += [
        Owner(
            name=f"Sklep {n} — {first} {last}",
            kind=Owner.Kind.PERSON,
            tax_id=f"73{rng.randrange(10**7, 10**8)}",
        )
        for n, (first, last) in enumerate(
            [
                ("Anna", "Nowak"),
                ("Piotr", "Wiśniewski"),
                ("Maria", "Wójcik"),
                ("Tomasz", "Kamiński"),
                ("Ewa", "Lewandowska"),
                ("Jan", "Zieliński"),
            ],
            1,
        )
    ]
    owners.append(Owner(name="Miejski Ośrodek Kultury", kind=Owner.Kind.PUBLIC, fee_exempt=True))
    return Owner.objects.bulk_create(owners)


POINTS_SQL = """
SELECT ST_X(p), ST_Y(p) FROM (
  SELECT (ST_Dump(ST_GeneratePoints(z.geom, %(n)s, %(seed)s))).geom AS p
    FROM advertising_zone z WHERE z.id = %(zone)s) x
"""

FACADE_SQL = """
SELECT ST_X(p), ST_Y(p) FROM (
  SELECT ST_LineInterpolatePoint(ST_ExteriorRing(b.geom),
                                 0.05 + (abs(hashtext(b.id::text)) %% 90) / 100.0) AS p
    FROM territory_building b JOIN advertising_zone z ON ST_Contains(z.geom, b.geom)
   WHERE z.id = %(zone)s
   ORDER BY md5(b.id::text || %(seed)s::text) LIMIT %(n)s) x
"""


def _points(zone: Zone, n: int, seed: int, facade: bool) -> list[tuple[float, float]]:
    rows = db.fetch_all(FACADE_SQL, {"zone": zone.pk, "n": n, "seed": seed}) if facade else []
    if len(rows) < n:  # too few buildings: free points instead
        rows += db.fetch_all(POINTS_SQL, {"zone": zone.pk, "n": n - len(rows), "seed": seed})
    return [(float(x), float(y)) for x, y in rows]


#: zone → carrier kinds drawn for carriers meant to comply (weights)
MIX = {
    "A": {"sign": 70, "citylight": 15, "pillar": 15},
    "B": {
        "sign": 45,
        "board_facade": 20,
        "citylight": 15,
        "pillar": 5,
        "banner": 5,
        "wrap": 5,
        "sticker": 5,
    },
    "C": {"sign": 40, "board_freestanding": 25, "board_facade": 15, "citylight": 10, "sticker": 10},
    "D": {
        "sign": 30,
        "board_freestanding": 35,
        "led_screen": 15,
        "board_facade": 15,
        "citylight": 5,
    },
    "E": {"sign": 30, "board_freestanding": 40, "board_facade": 20, "led_screen": 10},
}
#: zone → the ways carriers there break the rules
BREAKS = {
    "A": ["kind", "sign_area", "led", "late", "facade", "window", "signs", "low"],
    "B": ["kind", "area", "exposure", "facade", "late"],
    "C": ["kind", "area", "pair", "late"],
    "D": ["area", "pair", "dimension"],
    "E": ["area", "pair", "dimension"],
}


def _compliant(kind: str, zone: str, rng: random.Random) -> dict[str, Any]:
    if kind == "sign":
        w, h = rng.choice([(1.0, 0.5), (1.2, 0.6), (1.0, 1.0), (0.8, 0.8)])
    elif kind in ("citylight",):
        w, h = 1.2, 1.8
    elif kind == "pillar":
        w, h = 1.5, 2.5
    elif kind == "sticker":
        w, h = 0.5, 0.5
    elif kind in ("wrap", "banner"):
        w, h = (3.0, 3.0) if zone == "B" else (4.0, 3.0)
    else:
        w, h = rng.choice(
            [(3.0, 2.0), (4.0, 3.0)] if zone in ("B", "C") else [(4.0, 3.0), (6.0, 3.0)]
        )
    sides = 2 if kind in ("citylight", "board_freestanding") and w * h * 2 <= 12 else 1
    lit = rng.random() < 0.4 and kind != "sticker"
    return {
        "width": D(str(w)),
        "height": D(str(h)),
        "sides": sides,
        "area": D(str(round(w * h * sides, 2))),
        "illumination": ("led" if kind == "led_screen" else "external")
        if lit or kind == "led_screen"
        else "none",
        "lit_from": 17 if lit or kind == "led_screen" else None,
        "lit_until": 21 if lit or kind == "led_screen" else None,
        "mounting": "facade" if kind in FACADE_KINDS else "freestanding",
        "bottom_edge": D("2.8") if kind == "sign" else None,
        "facade_share": D(str(rng.randint(2, 8))) if kind in FACADE_KINDS else None,
        "window_share": D("5") if kind == "sticker" else None,
    }


def _break(how: str, values: dict[str, Any], rng: random.Random) -> str:
    """Make ``values`` break the rules in the way ``how``; returns the carrier's kind if the
    way needs a particular one (else "")."""
    if how == "kind":
        return "board_freestanding" if rng.random() < 0.5 else "led_screen"
    if how in ("area", "sign_area", "dimension"):
        values.update(
            width=D("8"), height=D("4"), area=D("32")
        ) if how != "sign_area" else values.update(width=D("2"), height=D("1.5"), area=D("3"))
        return (
            "sign"
            if how == "sign_area"
            else ("board_facade" if how == "area" else "board_freestanding")
        )
    if how == "led":
        values.update(illumination="led", lit_from=17, lit_until=21)
        return "sign"
    if how == "late":
        values.update(illumination="external", lit_from=18, lit_until=1)
        return ""
    if how == "facade":
        values.update(facade_share=D(str(rng.randint(30, 45))))
        return "board_facade" if rng.random() < 0.5 else "sign"
    if how == "window":
        values.update(window_share=D(str(rng.randint(40, 80))))
        return "sticker"
    if how == "low":
        values.update(bottom_edge=D("1.9"))
        return "sign"
    if how == "exposure":
        return "wrap"
    return ""  # "signs" and "pair": placement, done by the caller


def _carriers(
    rng: random.Random, zones: dict[str, Zone], owners: list[Owner], count: int, seed: int
) -> set[str]:
    """Create the carriers (about a third more than ``count``: placements that break distance
    rules by accident are dropped afterwards); the references of those meant to break the
    rules."""
    intended: set[str] = set()
    objects: list[Carrier] = []
    companies = [o for o in owners if o.kind == Owner.Kind.COMPANY]
    shops = [o for o in owners if o.kind != Owner.Kind.COMPANY]
    n = 0
    for code, zone in zones.items():
        total = int(count * 1.3 * ZONES[code][2])
        facade_points = _points(zone, total, seed, facade=True)
        free_points = _points(zone, total, seed + 1, facade=False)
        for i in range(total):
            kind = rng.choices(list(MIX[code]), weights=list(MIX[code].values()))[0]
            values = _compliant(kind, code, rng)
            breaking = rng.random() < 0.13
            how = rng.choice(BREAKS[code]) if breaking else ""
            kind = (_break(how, values, rng) or kind) if breaking else kind
            if how:
                values = {
                    **_compliant(kind, code, rng),
                    **{
                        k: v
                        for k, v in values.items()
                        if k
                        in (
                            "width",
                            "height",
                            "area",
                            "illumination",
                            "lit_from",
                            "lit_until",
                            "facade_share",
                            "window_share",
                            "bottom_edge",
                        )
                    },
                }
            x, y = (facade_points if kind in FACADE_KINDS else free_points)[i % total]
            installed = dt.date(2016, 1, 1) + dt.timedelta(days=rng.randrange(0, 3600))
            if how == "exposure":
                installed = dt.date.today() - dt.timedelta(days=rng.randint(200, 400))
            elif kind == "wrap":
                installed = dt.date.today() - dt.timedelta(days=rng.randint(10, 90))
            group = 3 if how == "signs" else 2 if how == "pair" else 1
            business = f"Firma {code}{i}" if kind == "sign" or how == "signs" else ""
            for j in range(group):
                n += 1
                ref = f"R/{code}/{n:05d}"
                if how:
                    intended.add(ref)
                dx = 20.0 * j if how == "pair" else 1.5 * j
                objects.append(
                    Carrier(
                        reference=ref,
                        kind="sign"
                        if how == "signs"
                        else ("board_freestanding" if how == "pair" else kind),
                        location=Point(x + dx, y, srid=2180),
                        business=business,
                        owner=rng.choice(shops)
                        if kind == "sign" or how == "signs"
                        else rng.choice(companies),
                        installed_on=installed,
                        exposure_until=installed
                        + dt.timedelta(days=120 if how != "exposure" else 365)
                        if kind == "wrap"
                        else None,
                        **values,
                    )
                )
    Carrier.objects.bulk_create(objects, batch_size=2000)
    return intended


def _drop_accidental(intended: set[str]) -> None:
    """Remove the carriers that broke a rule by accident of their random place (a board by a
    crossing…): the demo keeps its violations deliberate and varied."""
    bad = Carrier.objects.filter(compliance__compliant=False).values_list("id", "reference")
    drop = [pk for pk, ref in bad if ref not in intended]
    Carrier.objects.filter(pk__in=drop).delete()


def _fees(rng: random.Random, owners: list[Owner]) -> None:
    FeeCap.objects.bulk_create(
        FeeCap(valid_from=a, valid_to=b, fixed_daily=D(f), variable_daily_per_m2=D(v), source=s)
        for a, b, f, v, s in CAPS
    )
    FeeRate.objects.create(
        valid_from=dt.date(2024, 1, 1),
        fixed_daily=D("2.00"),
        variable_daily_per_m2=D("0.15"),
        resolution="Uchwała nr LXX/1800/2023 w sprawie opłaty reklamowej (demonstracyjna)",
    )
    owner = rng.choice([o for o in owners if o.kind == Owner.Kind.COMPANY])
    FeeExemption.objects.create(
        owner=owner,
        reason="kampania społeczna na zlecenie miasta",
        valid_from=dt.date(dt.date.today().year, 3, 1),
        valid_to=dt.date(dt.date.today().year, 4, 1),
    )

"""Versioned configuration of the planning analyses: housing ratios, residential land, conflicts.

Nothing here is a buried constant: each :class:`AnalysisConfig` names its basis and validity
dates and :func:`analysis_config_for` picks the one in force on a date. When a ratio, a rule
or the law changes, add a new entry (do not edit an old one), so a past analysis can be
repeated with the configuration it was made with. Values marked [U] are policy assumptions of
the municipality (not fixed by law) — correct them here.

Conflict rules are data: a zone matches a rule when its symbol is one of ``zone_symbols`` or
any of its land-use classes (KPT) is one of ``land_use_classes``; it conflicts when it overlaps
a constraint of one of ``constraint_kinds`` by at least ``conflict_min_area`` m².
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from miasto.core.versioning import check_versions, version_for

D = Decimal

#: severities, worst first, with their labels
SEVERITIES: dict[str, Any] = {
    "error": _("conflict"),
    "warning": _("warning"),
    "info": pgettext_lazy("severity", "note"),
}


@dataclass(frozen=True)
class ConflictRule:
    code: str
    #: zone symbols (exact: ``MN``, ``MW/U``, ``SJ``…)
    zone_symbols: tuple[str, ...]
    #: land-use classes (KPT) — a zone with any of them matches
    land_use_classes: tuple[str, ...]
    #: ``territory.Constraint.Kind`` values
    constraint_kinds: tuple[str, ...]
    severity: str  # error | warning | info
    #: Polish description shown to the planner
    description: str
    legal_basis: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "zone_symbols": list(self.zone_symbols),
            "land_use_classes": list(self.land_use_classes),
            "constraint_kinds": list(self.constraint_kinds),
            "severity": self.severity,
            "description": self.description,
            "legal_basis": self.legal_basis,
        }


@dataclass(frozen=True)
class AnalysisConfig:
    key: str
    basis: str
    valid_from: dt.date
    valid_to: dt.date | None
    #: usable floor area of an average new dwelling, m² [U]
    usable_area_per_dwelling: Decimal
    #: usable floor area ÷ gross above-ground floor area (walls, stairs, shafts) [U]
    usable_to_gross: Decimal
    #: persons per dwelling (household size) [U]
    persons_per_dwelling: Decimal
    #: zone symbols that allow housing (MPZP and POG)
    residential_symbols: tuple[str, ...]
    #: land-use classes (KPT) that mean housing
    residential_classes: tuple[str, ...]
    #: share of the floor area of a mixed zone that is housing (symbol → share); other
    #: residential zones count whole [U]
    residential_share: dict[str, Decimal]
    #: a conflict smaller than this many m² is a digitising sliver and is ignored
    conflict_min_area: float
    conflict_rules: tuple[ConflictRule, ...]
    #: housing balance: demand may be increased by at most this share for the uncertainty of
    #: development (art. 10 ust. 5 pkt 3 uopzp allows at most 30 %) [U]
    demand_margin: Decimal
    #: coverage over time: years between two dates of the series (by default)
    coverage_step_years: int = 1

    def residential_share_of(self, symbol: str) -> Decimal:
        return self.residential_share.get(symbol, D(1))

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "basis": self.basis,
            "valid_from": self.valid_from.isoformat(),
            "valid_to": self.valid_to.isoformat() if self.valid_to else None,
            "usable_area_per_dwelling": float(self.usable_area_per_dwelling),
            "usable_to_gross": float(self.usable_to_gross),
            "persons_per_dwelling": float(self.persons_per_dwelling),
            "residential_symbols": list(self.residential_symbols),
            "residential_classes": list(self.residential_classes),
            "residential_share": {k: float(v) for k, v in self.residential_share.items()},
            "conflict_min_area": self.conflict_min_area,
            "demand_margin": float(self.demand_margin),
        }


_RESIDENTIAL_SYMBOLS = (
    # MPZP
    "MN", "MW", "ML", "MU", "MN/U", "MW/U", "MW/MN", "MN/MW", "U/MN", "U/MW", "RM",
    # POG zones with housing in their basic profile
    "SW", "SJ", "SZ",
)  # fmt: skip
_RESIDENTIAL_CLASSES = ("MN", "MW", "ML", "RZM")
#: land-use classes of built-up land (anything with buildings above ground)
_BUILDING_CLASSES = (
    "MN", "MW", "ML", "RZM", "U", "UA", "UE", "UG", "UH", "UHD", "UK", "UN", "UR", "US", "UT",
    "UZ", "H", "P", "PS",
)  # fmt: skip
_BUILDING_SYMBOLS = (*_RESIDENTIAL_SYMBOLS, "U", "P", "P/U", "PU", "UC", "H", "SU", "SH", "SP")

_WATER_LAW = (
    "Ustawa z 20 lipca 2017 r. – Prawo wodne, art. 77 i art. 166 (obszary szczególnego "
    "zagrożenia powodzią: zakaz zabudowy, uzgodnienie planu z Wodami Polskimi)"
)
_FLOOD_RISK_LAW = (
    "Ustawa z 20 lipca 2017 r. – Prawo wodne, art. 169 i art. 172 (mapy zagrożenia "
    "powodziowego; plan uwzględnia obszary narażone na zalanie)"
)
_NATURE_LAW = "Ustawa z 16 kwietnia 2004 r. o ochronie przyrody, art. 15 ust. 1 (rezerwat przyrody)"
_NATURA_LAW = "Ustawa z 16 kwietnia 2004 r. o ochronie przyrody, art. 33 (obszary Natura 2000)"
_NOISE_LAW = (
    "Ustawa z 27 kwietnia 2001 r. – Prawo ochrony środowiska, art. 114 i art. 135 "
    "(dopuszczalne poziomy hałasu, obszary ograniczonego użytkowania)"
)
_HERITAGE_LAW = (
    "Ustawa z 23 lipca 2003 r. o ochronie zabytków i opiece nad zabytkami, art. 7 i art. 19 "
    "(strefa ochrony konserwatorskiej, uzgodnienie z wojewódzkim konserwatorem zabytków)"
)

_RULES_2023 = (
    ConflictRule(
        code="housing-flood-hazard",
        zone_symbols=_RESIDENTIAL_SYMBOLS,
        land_use_classes=_RESIDENTIAL_CLASSES,
        constraint_kinds=("flood_1pct",),
        severity="error",
        description="Zabudowa mieszkaniowa na obszarze szczególnego zagrożenia powodzią "
        "(woda o prawdopodobieństwie 1%).",
        legal_basis=_WATER_LAW,
    ),
    ConflictRule(
        code="housing-flood-risk",
        zone_symbols=_RESIDENTIAL_SYMBOLS,
        land_use_classes=_RESIDENTIAL_CLASSES,
        constraint_kinds=("flood_risk",),
        severity="warning",
        description="Zabudowa mieszkaniowa na obszarze narażonym na zalanie (woda o niskim "
        "prawdopodobieństwie) — wymaga zabezpieczeń przeciwpowodziowych.",
        legal_basis=_FLOOD_RISK_LAW,
    ),
    ConflictRule(
        code="building-nature-reserve",
        zone_symbols=_BUILDING_SYMBOLS,
        land_use_classes=_BUILDING_CLASSES,
        constraint_kinds=("nature",),
        severity="error",
        description="Tereny zabudowy w rezerwacie przyrody — w rezerwacie obowiązuje zakaz "
        "budowy obiektów budowlanych.",
        legal_basis=_NATURE_LAW,
    ),
    ConflictRule(
        code="building-natura2000",
        zone_symbols=_BUILDING_SYMBOLS,
        land_use_classes=_BUILDING_CLASSES,
        constraint_kinds=("natura2000",),
        severity="warning",
        description="Tereny zabudowy na obszarze Natura 2000 — wymagana ocena oddziaływania "
        "na cele ochrony obszaru.",
        legal_basis=_NATURA_LAW,
    ),
    ConflictRule(
        code="housing-noise",
        zone_symbols=_RESIDENTIAL_SYMBOLS,
        land_use_classes=_RESIDENTIAL_CLASSES,
        constraint_kinds=("noise",),
        severity="warning",
        description="Zabudowa mieszkaniowa w zasięgu przekroczeń dopuszczalnego hałasu — "
        "wymagane zabezpieczenia akustyczne.",
        legal_basis=_NOISE_LAW,
    ),
    ConflictRule(
        code="building-heritage",
        zone_symbols=_BUILDING_SYMBOLS,
        land_use_classes=_BUILDING_CLASSES,
        constraint_kinds=("heritage", "monument"),
        severity="warning",
        description="Tereny zabudowy w strefie ochrony konserwatorskiej lub na zabytku — "
        "zmiany wymagają uzgodnienia z konserwatorem zabytków.",
        legal_basis=_HERITAGE_LAW,
    ),
    ConflictRule(
        code="housing-utility-corridor",
        zone_symbols=_RESIDENTIAL_SYMBOLS,
        land_use_classes=_RESIDENTIAL_CLASSES,
        constraint_kinds=("utility_corridor",),
        severity="info",
        description="Zabudowa mieszkaniowa w korytarzu infrastruktury technicznej — "
        "ograniczenia w pasie technologicznym.",
        legal_basis="Ustawa z 27 marca 2003 r. o planowaniu i zagospodarowaniu przestrzennym, "
        "art. 15 ust. 2 pkt 10",
    ),
    ConflictRule(
        code="housing-water-intake",
        zone_symbols=_RESIDENTIAL_SYMBOLS,
        land_use_classes=_RESIDENTIAL_CLASSES,
        constraint_kinds=("water_intake", "mining"),
        severity="info",
        description="Zabudowa mieszkaniowa w strefie ochronnej ujęcia wody lub na terenie "
        "górniczym — obowiązują zakazy i ograniczenia strefy.",
        legal_basis="Prawo wodne, art. 120–121; Prawo geologiczne i górnicze, art. 104",
    ),
)

CONFIGS: dict[str, AnalysisConfig] = {
    "analizy-2023": AnalysisConfig(
        key="analizy-2023",
        basis=(
            "Ustawa z 27 marca 2003 r. o planowaniu i zagospodarowaniu przestrzennym "
            "(po nowelizacji z 7 lipca 2023 r.): art. 13a ust. 1 i art. 13b (plan ogólny), "
            "art. 10 ust. 5 (bilans terenów pod zabudowę); wskaźniki mieszkaniowe — założenia "
            "gminy na podstawie danych GUS (przeciętna powierzchnia użytkowa nowego mieszkania, "
            "przeciętna liczba osób w gospodarstwie domowym)"
        ),
        valid_from=dt.date(2023, 9, 24),
        valid_to=None,
        usable_area_per_dwelling=D("60"),
        usable_to_gross=D("0.75"),
        persons_per_dwelling=D("2.3"),
        residential_symbols=_RESIDENTIAL_SYMBOLS,
        residential_classes=_RESIDENTIAL_CLASSES,
        residential_share={
            "MN/U": D("0.8"),
            "MW/U": D("0.8"),
            "U/MN": D("0.5"),
            "U/MW": D("0.5"),
            "MU": D("0.8"),
            "SW": D("0.7"),
            "SJ": D("0.85"),
            "SZ": D("0.5"),
        },  # fmt: skip
        conflict_min_area=100.0,
        conflict_rules=_RULES_2023,
        demand_margin=D("0"),
        coverage_step_years=1,
    ),
}


def analysis_config_for(on: dt.date | None = None) -> AnalysisConfig:
    """The configuration in force on ``on`` (today by default; ``[valid_from, valid_to)``, see
    :mod:`miasto.core.versioning`); the newest as a fallback."""
    return version_for(CONFIGS.values(), on)


check_versions(CONFIGS.values())

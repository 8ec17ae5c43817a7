"""Versioned planning configuration: zone catalogue, profiles, parameter ranges, symbols.

Law changes, so nothing here is a buried constant: each :class:`Catalogue` names its legal
basis and validity dates and :func:`catalogue_for` picks the one in force on a date. Add a new
entry (do not edit an old one) when the regulation changes. Values marked [U] in
``PLANNING_PL.md`` are uncertain and belong here, where they can be corrected.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from miasto.core.versioning import check_versions, version_for

D = Decimal


@dataclass(frozen=True)
class ZoneKind:
    """One kind of planning zone of a general plan (POG)."""

    symbol: str
    name: str  # Polish name, as in the APP code list title
    code: str  # APP code list value (RodzajStrefyPlanistycznejKod)
    basic_profile: tuple[str, ...]
    requires_maxima: bool  # intensity, coverage and height required
    requires_bio_active: bool


@dataclass(frozen=True)
class ParamSpec:
    """Allowed range and number of decimals of one zone parameter."""

    label: str  # Polish label used in messages
    lo: Decimal
    hi: Decimal
    decimals: int
    app_element: str = ""  # APP 2.0 element name (POG standards only)


@dataclass(frozen=True)
class Catalogue:
    key: str
    legal_basis: str
    valid_from: dt.date
    valid_to: dt.date | None
    zone_kinds: dict[str, ZoneKind]
    #: POG municipal urban standards (field name → spec)
    pog_params: dict[str, ParamSpec]
    #: MPZP parameters (field name → spec)
    mpzp_params: dict[str, ParamSpec]
    #: MPZP designation symbols → KPT land-use classes (lenient; unknown symbols are kept)
    mpzp_symbols: dict[str, tuple[str, ...]]
    #: overlap / gap tolerance, m²
    area_tolerance: float = 1.0
    #: gaps between zones: "error" rejects, "warning" flags
    gaps: dict[str, str] = field(default_factory=dict)
    #: parcel planning report: a zone part (or constraint overlap) counts only if it is at
    #: least this many m² AND at least this share of the parcel (0.005 = 0.5 %); smaller
    #: ones are slivers from digitising and are ignored
    report_min_area: float = 1.0
    report_min_share: float = 0.005

    def zone_kind(self, symbol: str) -> ZoneKind | None:
        return self.zone_kinds.get(symbol)


_I = ("I",)
_POG_2023 = {
    z.symbol: z
    for z in [
        ZoneKind(
            "SW",
            "strefa wielofunkcyjna z zabudową mieszkaniową wielorodzinną",
            "strefaWielofunkcyjnaZZabudowaMieszkaniowaWielorodzinna",
            ("MW", "U", "K", "ZP", "ZD", "I"),
            True,
            True,
        ),
        ZoneKind(
            "SJ",
            "strefa wielofunkcyjna z zabudową mieszkaniową jednorodzinną",
            "strefaWielofunkcyjnaZZabudowaMieszkaniowaJednorodzinna",
            ("MN", "U", "K", "ZP", "ZD", "I"),
            True,
            True,
        ),
        ZoneKind(
            "SZ",
            "strefa wielofunkcyjna z zabudową zagrodową",
            "strefaWielofunkcyjnaZZabudowaZagrodowa",
            ("RZM", "RZP", "RA", "K", "ZP", "ZD", "I"),
            True,
            True,
        ),
        ZoneKind(
            "SU", "strefa usługowa", "strefaUslugowa", ("U", "K", "ZP", "ZD", "I"), True, True
        ),
        ZoneKind(
            "SH",
            "strefa handlu wielkopowierzchniowego",
            "strefaHandluWielkopowierzchniowego",
            ("H", "K", "ZP", "ZD", "I"),
            True,
            True,
        ),
        ZoneKind(
            "SP", "strefa gospodarcza", "strefaGospodarcza", ("P", "K", "ZP", "ZD", "I"), True, True
        ),
        ZoneKind(
            "SR",
            "strefa produkcji rolniczej",
            "strefaProdukcjiRolniczej",
            ("RZP", "RZW", "RA", "K", "ZD", "I"),
            True,
            True,
        ),
        ZoneKind(
            "SI",
            "strefa infrastrukturalna",
            "strefaInfrastrukturalna",
            ("I", "K", "ZD"),
            False,
            True,
        ),
        ZoneKind(
            "SN",
            "strefa zieleni i rekreacji",
            "strefaZieleniIRekreacji",
            ("ZP", "ZB", "W", "K", "ZD", "I"),
            False,
            True,
        ),
        ZoneKind(
            "SC", "strefa cmentarzy", "strefaCmentarzy", ("C", "K", "ZP", "ZD", "I"), False, True
        ),
        ZoneKind("SG", "strefa górnictwa", "strefaGornictwa", ("G", "K", "ZD", "I"), False, False),
        ZoneKind(
            "SO",
            "strefa otwarta",
            "strefaOtwarta",
            ("RN", "L", "ZN", "W", "K", "ZD", "I"),
            False,
            False,
        ),
        ZoneKind(
            "SK",
            "strefa komunikacyjna",
            "strefaKomunikacyjna",
            ("KDA", "KDS", "KDR", "KDG", "KK", "KKL", "KW", "KL", "KO", "ZD", "I"),
            False,
            False,
        ),
    ]
}

_POG_PARAMS = {
    "max_intensity": ParamSpec(
        "maksymalna nadziemna intensywność zabudowy",
        D(0),
        D(350),
        1,
        "maksNadziemnaIntensywnoscZabudowy",
    ),
    "max_coverage": ParamSpec(
        "maksymalny udział powierzchni zabudowy (%)",
        D(0),
        D(100),
        1,
        "maksUdzialPowierzchniZabudowy",
    ),
    "max_height": ParamSpec(
        "maksymalna wysokość zabudowy (m)", D(0), D(1000), 1, "maksWysokoscZabudowy"
    ),
    "min_bio_active": ParamSpec(
        "minimalny udział powierzchni biologicznie czynnej (%)",
        D(0),
        D(100),
        1,
        "minUdzialPowierzchniBiologicznieCzynnej",
    ),
}

_MPZP_PARAMS = {
    "min_intensity": ParamSpec("minimalna intensywność zabudowy", D(0), D(350), 2),
    "max_intensity": ParamSpec("maksymalna intensywność zabudowy", D(0), D(350), 2),
    "max_coverage": ParamSpec("maksymalna powierzchnia zabudowy (%)", D(0), D(100), 1),
    "min_bio_active": ParamSpec("minimalna powierzchnia biologicznie czynna (%)", D(0), D(100), 1),
    "max_height": ParamSpec("maksymalna wysokość zabudowy (m)", D(0), D(1000), 1),
    "max_storeys": ParamSpec("maksymalna liczba kondygnacji nadziemnych", D(0), D(200), 0),
    "min_plot_area": ParamSpec("minimalna powierzchnia działki (m²)", D(0), D(10_000_000), 0),
    "parking_ratio": ParamSpec(
        "wskaźnik miejsc postojowych (na mieszkanie lub 100 m² p.u.)", D(0), D(100), 2
    ),
}

#: MPZP symbols (after normalising road classes ``KD-L`` → ``KDL``) → KPT classes. [S]
_MPZP_SYMBOLS: dict[str, tuple[str, ...]] = {
    "MN": ("MN",),
    "MW": ("MW",),
    "ML": ("ML",),
    "MU": ("MW", "U"),
    "U": ("U",),
    "UA": ("UA",),
    "UE": ("UE",),
    "UG": ("UG",),
    "UH": ("UH",),
    "UHD": ("UHD",),
    "UK": ("UK",),
    "UN": ("UN",),
    "UO": ("UE",),
    "UR": ("UR",),
    "US": ("US",),
    "UT": ("UT",),
    "UZ": ("UZ",),
    "UC": ("H",),
    "H": ("H",),
    "P": ("P",),
    "PS": ("PS",),
    "PU": ("P", "U"),
    "PEF": ("PEF",),
    "PEW": ("PEW",),
    "I": ("I",),
    "E": ("I",),
    "W": ("W",),
    "WS": ("W",),
    "ZP": ("ZP",),
    "ZN": ("ZN",),
    "ZD": ("ZD",),
    "ZL": ("L",),
    "L": ("L",),
    "ZC": ("C",),
    "C": ("C",),
    "R": ("RZP",),
    "RM": ("RZM",),
    "RZ": ("RZP",),
    "G": ("G",),
    "KP": ("KO",),
    "KS": ("KO",),
    "KK": ("KK",),
    "KDA": ("KDA",),
    "KDS": ("KDS",),
    "KDGP": ("KDG",),
    "KDG": ("KDG",),
    "KDZ": ("KDZ",),
    "KDL": ("KDL",),
    "KDD": ("KDD",),
    "KDW": ("KDW",),
    "KX": ("KX",),
}

CATALOGUES: dict[str, Catalogue] = {
    "uopzp-2023": Catalogue(
        key="uopzp-2023",
        legal_basis=(
            "Ustawa z 27 marca 2003 r. o planowaniu i zagospodarowaniu przestrzennym, "
            "art. 13a–13i (po nowelizacji z 7 lipca 2023 r., Dz.U. 2023 poz. 1688); "
            "rozporządzenie w sprawie projektu planu ogólnego gminy (Dz.U. 2023 poz. 2509)"
        ),
        valid_from=dt.date(2023, 9, 24),
        valid_to=None,
        zone_kinds=_POG_2023,
        pog_params=_POG_PARAMS,
        mpzp_params=_MPZP_PARAMS,
        mpzp_symbols=_MPZP_SYMBOLS,
        area_tolerance=1.0,
        gaps={"pog": "error", "mpzp": "warning"},
        report_min_area=1.0,
        report_min_share=0.005,
    ),
}


def catalogue_for(on: dt.date | None = None) -> Catalogue:
    """The catalogue in force on ``on`` (today by default; ``[valid_from, valid_to)``, see
    :mod:`miasto.core.versioning`); the newest one as a fallback."""
    return version_for(CATALOGUES.values(), on)


check_versions(CATALOGUES.values())


#: Special areas of a general plan.
SPECIAL_AREAS = {
    "ouz": ("ObszarUzupelnieniaZabudowy", "obszar uzupełnienia zabudowy"),
    "ozs": ("ObszarZabudowySrodmiejskiej", "obszar zabudowy śródmiejskiej"),
    "osd": (
        "ObszarStandardowDostepnosciInfrastrukturySpolecznej",
        "obszar standardów dostępności infrastruktury społecznej",
    ),
}

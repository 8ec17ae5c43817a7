"""Zone colours by land use: ONE place for every planning map (the wyrys, the plan map, analyses).

Stable API (other modules and the front end rely on it):

- :func:`zone_class` ``(symbol) -> str`` — the colour class key of a zone symbol;
- :func:`zone_colour` ``(symbol) -> str`` — its fill colour, ``#rrggbb``;
- :func:`legend_for` ``(symbols) -> list[dict]`` — legend rows (``key``, ``colour``, ``label``,
  ``symbols``) for only the classes present, in the canonical order;
- :func:`symbology_json` ``() -> dict`` — everything, JSON-serialisable, for a page to embed
  (``json_script``) so JavaScript colours zones the same way: ``classes`` (key, colour, label,
  symbols), ``lookup`` (normalised symbol → class key), ``prefixes`` (ordered fallbacks),
  ``default`` (class key). JavaScript: normalise the symbol like :func:`normalise_symbol`,
  then ``lookup[s] ?? first prefix that s starts with ?? default``.

Symbols are read leniently: a designation (``3MN``), a multi-use symbol (``MN/U`` → its first
use, ``MN``), a road class (``KD-L`` → ``KDL`` → roads), a KPT class (``UH``) or a general-plan
zone symbol (``SJ``, which has its own class). Colours follow the Polish drafting habit — housing
yellow/orange, services red, production violet, greenery green, water blue, roads grey — kept
light enough for dark labels on top (contrast ≥ 4.5:1 with ``#1a1a1a``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from miasto.planning.catalogue import catalogue_for

# Labels use their own translation context ("land use"): the same English words name building
# uses elsewhere ("multi-family housing") with another Polish translation.


@dataclass(frozen=True)
class ZoneClass:
    key: str
    colour: str
    label: str | Promise
    #: normalised symbols (MPZP symbols, KPT classes) of this class
    symbols: tuple[str, ...]


#: Local-plan (MPZP) and KPT land-use classes, in legend order.
PLAN_CLASSES: tuple[ZoneClass, ...] = (
    ZoneClass(
        "MN",
        "#ffe14d",
        pgettext_lazy("land use", "single-family housing"),
        ("MN", "RM", "RZM", "MNU"),
    ),
    ZoneClass(
        "MW", "#f5a341", pgettext_lazy("land use", "multi-family housing"), ("MW", "MU", "MWU")
    ),
    ZoneClass("ML", "#f6c9a0", pgettext_lazy("land use", "holiday housing"), ("ML",)),
    ZoneClass(
        "U",
        "#f07a7a",
        pgettext_lazy("land use", "services"),
        ("U", "UA", "UE", "UG", "UH", "UHD", "UK", "UN", "UO", "UR", "US", "UT", "UZ", "UP"),
    ),  # fmt: skip
    ZoneClass("H", "#d9608c", pgettext_lazy("land use", "large-area retail"), ("H", "UC")),
    ZoneClass(
        "P",
        "#c3a3e0",
        pgettext_lazy("land use", "production and storage"),
        ("P", "PS", "PU", "PEF", "PEW", "PEB"),
    ),
    ZoneClass(
        "I",
        "#a9bfd6",
        pgettext_lazy("land use", "technical infrastructure"),
        ("I", "E", "EE", "KA", "NO", "T"),
    ),
    ZoneClass(
        "KD",
        "#d2d2d2",
        pgettext_lazy("land use", "roads and transport"),
        (
            "K",
            "KD",
            "KDA",
            "KDS",
            "KDGP",
            "KDG",
            "KDZ",
            "KDL",
            "KDD",
            "KDW",
            "KDX",
            "KX",
            "KP",
            "KS",
            "KK",
            "KKL",
            "KW",
            "KL",
            "KO",
            "KDR",
        ),
    ),  # fmt: skip
    ZoneClass("ZP", "#8fd18a", pgettext_lazy("land use", "urban green"), ("ZP", "ZB", "ZI")),
    ZoneClass("ZN", "#b9e2b3", pgettext_lazy("land use", "natural green"), ("ZN", "ZR", "ZE")),
    ZoneClass("ZD", "#cde6a8", pgettext_lazy("land use", "allotment gardens"), ("ZD",)),
    ZoneClass("ZL", "#6fb36b", pgettext_lazy("land use", "forest"), ("ZL", "L", "LS")),
    ZoneClass("ZC", "#9fbf9f", pgettext_lazy("land use", "cemeteries"), ("ZC", "C")),
    ZoneClass(
        "R",
        "#ece4b5",
        pgettext_lazy("land use", "agriculture"),
        ("R", "RZ", "RZP", "RZW", "RA", "RN", "RU", "RO"),
    ),
    ZoneClass("W", "#8fc1e8", pgettext_lazy("land use", "waters"), ("W", "WS", "WZ")),
    ZoneClass("G", "#c9ad9b", pgettext_lazy("land use", "mining"), ("G", "GW", "PG")),
)

#: General-plan (POG) planning zones: one class per zone kind (catalogue symbols).
POG_CLASSES: tuple[ZoneClass, ...] = (
    ZoneClass(
        "SW",
        "#f5a341",
        pgettext_lazy("land use", "multifunctional zone with multi-family housing"),
        ("SW",),
    ),
    ZoneClass(
        "SJ",
        "#ffe14d",
        pgettext_lazy("land use", "multifunctional zone with single-family housing"),
        ("SJ",),
    ),
    ZoneClass(
        "SZ",
        "#e6cf7a",
        pgettext_lazy("land use", "multifunctional zone with farmstead housing"),
        ("SZ",),
    ),
    ZoneClass("SU", "#f07a7a", pgettext_lazy("land use", "services zone"), ("SU",)),
    ZoneClass("SH", "#d9608c", pgettext_lazy("land use", "large-area retail zone"), ("SH",)),
    ZoneClass("SP", "#c3a3e0", pgettext_lazy("land use", "economic zone"), ("SP",)),
    ZoneClass("SR", "#ece4b5", pgettext_lazy("land use", "agricultural production zone"), ("SR",)),
    ZoneClass("SI", "#a9bfd6", pgettext_lazy("land use", "infrastructure zone"), ("SI",)),
    ZoneClass("SN", "#8fd18a", pgettext_lazy("land use", "green and recreation zone"), ("SN",)),
    ZoneClass("SC", "#9fbf9f", pgettext_lazy("land use", "cemetery zone"), ("SC",)),
    ZoneClass("SG", "#c9ad9b", pgettext_lazy("land use", "mining zone"), ("SG",)),
    ZoneClass("SO", "#cfe8c4", pgettext_lazy("land use", "open zone"), ("SO",)),
    ZoneClass("SK", "#d2d2d2", pgettext_lazy("land use", "transport zone"), ("SK",)),
)

OTHER = ZoneClass("other", "#e6e1d3", pgettext_lazy("land use", "other use"), ())

CLASSES: dict[str, ZoneClass] = {c.key: c for c in (*PLAN_CLASSES, *POG_CLASSES, OTHER)}
ORDER = {key: i for i, key in enumerate(CLASSES)}

_LOOKUP: dict[str, str] = {}
for _cls in (*POG_CLASSES, *PLAN_CLASSES):
    for _sym in _cls.symbols:
        _LOOKUP.setdefault(_sym, _cls.key)

#: Fallbacks by prefix, tried in order when a symbol is not in the lookup.
PREFIXES: tuple[tuple[str, str], ...] = (
    ("KD", "KD"), ("K", "KD"), ("MW", "MW"), ("MN", "MN"), ("M", "MN"), ("U", "U"),
    ("PE", "P"), ("P", "P"), ("ZL", "ZL"), ("ZC", "ZC"), ("Z", "ZP"), ("R", "R"), ("W", "W"),
    ("E", "I"), ("I", "I"),
)  # fmt: skip

_LEAD_NUMBER = re.compile(r"^[\d.\s]+")
_SPLIT = re.compile(r"[/,+.;\s]+")


def normalise_symbol(symbol: str) -> str:
    """``" 3MN/U "`` → ``"MN"``; ``"KD-L"`` → ``"KDL"``; ``"1SJ"`` → ``"SJ"``; ``"A.12.MW"``
    → ``"MW"`` (the first known symbol among the parts, else the first part)."""
    text = _LEAD_NUMBER.sub("", (symbol or "").strip().upper())
    tokens = [t for t in _SPLIT.split(text) if re.search(r"[A-Z]", t)]
    if not tokens:
        return ""
    normal = [_LEAD_NUMBER.sub("", t).replace("-", "") for t in tokens]
    # "A.12.MW": a letter prefix before the symbol; take the first known symbol if any
    return next((t for t in normal if t in _LOOKUP), normal[0])


def zone_class(symbol: str) -> str:
    """The colour class key of a zone symbol or designation (``"other"`` when unknown)."""
    s = normalise_symbol(symbol)
    if not s:
        return OTHER.key
    if s in _LOOKUP:
        return _LOOKUP[s]
    mapped = catalogue_for().mpzp_symbols.get(s)
    if mapped and mapped[0] in _LOOKUP:
        return _LOOKUP[mapped[0]]
    for prefix, key in PREFIXES:
        if s.startswith(prefix):
            return key
    return OTHER.key


def zone_colour(symbol: str) -> str:
    """The fill colour (``#rrggbb``) of a zone with this symbol or designation."""
    return CLASSES[zone_class(symbol)].colour


def legend_for(symbols: list[str] | tuple[str, ...] | set[str]) -> list[dict[str, Any]]:
    """Legend rows for the classes of ``symbols`` only, in canonical order, each with the
    symbols present (as given, sorted)."""
    present: dict[str, set[str]] = {}
    for symbol in symbols:
        if symbol:
            present.setdefault(zone_class(symbol), set()).add(symbol)
    return [
        {
            "key": key,
            "colour": CLASSES[key].colour,
            "label": str(CLASSES[key].label),
            "symbols": sorted(present[key]),
        }
        for key in sorted(present, key=ORDER.__getitem__)
    ]


def symbology_json() -> dict[str, Any]:
    """The whole symbology, JSON-serialisable (labels in the active language)."""
    return {
        "classes": [
            {"key": c.key, "colour": c.colour, "label": str(c.label), "symbols": list(c.symbols)}
            for c in CLASSES.values()
        ],
        "lookup": dict(_LOOKUP),
        "prefixes": [list(p) for p in PREFIXES],
        "default": OTHER.key,
    }

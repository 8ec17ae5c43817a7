"""The map extract (*wyrys*) of one or more parcels as SVG, drawn server-side from PostGIS.

:func:`map_extract` picks the largest standard scale (:data:`STANDARD_SCALES`) at which the
parcels, with a margin, fit the frame, then draws the frame's window in paper millimetres
(``viewBox`` in mm, 1 mm on paper = ``scale / 1000`` m on the ground), so the printed PDF keeps
the true scale. Everything in the window comes from two statements: the parcels' extent, then
every layer as ``ST_AsSVG`` of the geometries clipped to the window and moved to paper
coordinates by ``ST_Affine``. A clip at the window's edge can leave a GEOMETRYCOLLECTION (a zone
and the line where it touches the edge), which ``ST_AsSVG`` writes with ``;`` between the parts
— not SVG path data, and WeasyPrint's path parser never finished on it — so each layer keeps
only the parts of its own dimension (``ST_CollectionExtract``) and :func:`path_data` refuses
anything that is not plain ``M``/``L``/``Z`` path data:

- zones in force on ``as_of`` (enacted plans, as in :mod:`miasto.planning.report`): local-plan
  areas when any covers the parcels, otherwise general-plan zones; filled by land use
  (:mod:`miasto.planning.symbology`), outlined and labelled with their designation;
- constraints, hatched per kind; neighbouring parcels (thin) and the parcels (bold, red);
  buildings coloured by use; building lines (obligatory solid, non-exceedable dashed) —
  colours and hatching from :mod:`miasto.territory.symbology`;
- a scale bar with the scale, a north arrow (EPSG:2180 grid north) and, beside the map (not in
  it, so that it is real text), a legend of only the categories present.

The SVG carries ``<title>``/``<desc>`` as its text alternative; :attr:`MapExtract.description`
repeats it for a caption.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import formats
from django.utils.translation import gettext as _
from lxml import etree

from miasto.core.db import fetch_json, fetch_one, load_sql
from miasto.planning import symbology
from miasto.planning.models import BuildingLine
from miasto.planning.statuses import ENACTED_STATUSES
from miasto.territory.models import Building, Constraint
from miasto.territory.symbology import BUILDING_COLOURS, CONSTRAINT_COLOURS, CONSTRAINT_HATCH

SRID = settings.MIASTO_SRID
#: Standard map scales (denominators), largest scale first.
STANDARD_SCALES = (500, 1000, 2000, 5000, 10000)
#: The map frame on an A4 page, mm (width, height).
FRAME_MM = (170.0, 175.0)
#: Margin around the parcels: this share of their extent on each side, at least MIN_MARGIN_M.
MARGIN_SHARE = 0.15
MIN_MARGIN_M = 8.0

SUBJECT_COLOUR = "#c8102e"
PARCEL_COLOUR = "#555555"
ZONE_EDGE = "#333333"
LINE_COLOUR = "#1a1a1a"
LABEL_COLOUR = "#1a1a1a"
FONT = "DejaVu Sans, Verdana, Arial, sans-serif"
#: Building-line dash pattern (mm) for non-exceedable lines.
DASH = "2.4 1.2"


@dataclass
class MapExtract:
    svg: str
    scale: int
    standard_scale: bool
    #: ground window (xmin, ymin, xmax, ymax) in the storage CRS
    window: tuple[float, float, float, float]
    legend: list[dict[str, Any]] = field(default_factory=list)
    description: str = ""
    title: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    #: the same map for a tagged PDF: its ``<title>`` is the whole text alternative (title and
    #: description), as a PDF figure's ``/Alt`` is taken from the ``<title>`` alone
    pdf_svg: str = ""

    @property
    def alt(self) -> str:
        """The map in words: title, then the description."""
        return f"{self.title}. {self.description}" if self.description else self.title


def choose_scale(width_m: float, height_m: float, frame_mm: tuple[float, float] = FRAME_MM) -> int:
    """The largest standard scale at which ``width_m`` × ``height_m`` fits the frame; beyond
    1:10 000, the next multiple of 10 000 that fits (not a standard scale)."""
    for scale in STANDARD_SCALES:
        if width_m <= frame_mm[0] * scale / 1000 and height_m <= frame_mm[1] * scale / 1000:
            return scale
    need = max(width_m / frame_mm[0], height_m / frame_mm[1]) * 1000
    return int(math.ceil(need / 10000) * 10000)


def scale_bar_length(scale: int, max_mm: float = 50.0) -> float:
    """A round ground length (m) whose bar is at most ``max_mm`` long at ``scale``."""
    k = 1000 / scale
    best = 1.0
    for exp in range(0, 7):
        for base in (1, 2, 2.5, 5):
            length = base * 10**exp
            if length * k <= max_mm:
                best = length
    return best


def _fmt(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _local(value: float) -> str:
    """A label number in the active language's format (``12,5`` in Polish)."""
    exact = Decimal(_fmt(value))
    places = max(0, -exact.as_tuple().exponent)  # type: ignore[operator]
    return formats.number_format(exact, decimal_pos=places, use_l10n=True, force_grouping=True)


_EXTENT_SQL = """
SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e), count
FROM (SELECT ST_Extent(geom) AS e, count(*) AS count
      FROM territory_parcel WHERE identifier = ANY(%(ids)s)) q
"""


_PATH_DATA = re.compile(r"[MLZ0-9 .\-]*")


def path_data(svg: str | None) -> str:
    """``ST_AsSVG`` output as SVG path data: the parts of a collection (``;``-separated) that
    are plain ``M``/``L``/``Z`` paths, joined; anything else (points as ``cx=…``) dropped. The
    SQL extracts one dimension already; this keeps a stray collection from ever reaching the
    PDF renderer, whose path parser does not end on such input."""
    if not svg:
        return ""
    if _PATH_DATA.fullmatch(svg):
        return svg
    return " ".join(part for part in svg.split(";") if _PATH_DATA.fullmatch(part))


SVG = "http://www.w3.org/2000/svg"


def _el(
    parent: etree._Element, tag: str, attrs: dict[str, str], text: str | None = None
) -> etree._Element:
    """A new SVG element ``tag`` under ``parent`` with ``attrs`` (in this order) and ``text``."""
    element = etree.SubElement(parent, f"{{{SVG}}}{tag}")
    for name, value in attrs.items():
        element.set(name, value)
    if text is not None:
        element.text = text
    return element


def _svg_root(attrs: dict[str, str]) -> etree._Element:
    root = etree.Element(f"{{{SVG}}}svg", nsmap={None: SVG})
    for name, value in attrs.items():
        root.set(name, value)
    return root


def _serialise(root: etree._Element) -> str:
    return etree.tostring(root, encoding="unicode")


def _hatch_pattern(
    parent: etree._Element, pid: str, colour: str, hatch: str, spacing: float = 2.0
) -> None:
    angle = {"/": 45, "\\": -45, "|": 0, "-": 90, "x": 45}.get(hatch, 45)
    pattern = _el(parent, "pattern", {
        "id": pid, "patternUnits": "userSpaceOnUse", "width": str(spacing),
        "height": str(spacing), "patternTransform": f"rotate({angle})",
    })  # fmt: skip
    stroke = {"stroke": colour, "stroke-width": "0.35"}
    _el(pattern, "line", {"x1": "0", "y1": "0", "x2": "0", "y2": str(spacing), **stroke})
    if hatch == "x":
        half = str(spacing / 2)
        _el(pattern, "line", {"x1": "0", "y1": half, "x2": str(spacing), "y2": half, **stroke})


def _choice_label(choices: list[tuple[str, Any]], value: str) -> str:
    return str(dict(choices).get(value, value))


#: a box on the ground (xmin, ymin, xmax, ymax), storage CRS
Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class Layers:
    """What the window holds, as the layer statement gives it (paper coordinates)."""

    zones: list[dict[str, Any]]
    constraints: list[dict[str, Any]]
    parcels: list[dict[str, Any]]
    buildings: list[dict[str, Any]]
    lines: list[dict[str, Any]]

    @property
    def subjects(self) -> list[dict[str, Any]]:
        return [p for p in self.parcels if p["subject"]]

    @property
    def neighbours(self) -> list[dict[str, Any]]:
        return [p for p in self.parcels if not p["subject"]]


@dataclass(frozen=True)
class Sheet:
    """The drawn frame: the parcels, the scale, the ground window, the frame size on paper,
    the element-id prefix and the date of the extract."""

    ids: list[str]
    scale: int
    window: Box
    frame_mm: tuple[float, float]
    prefix: str
    as_of: dt.date


def _window(extent: Box, frame_mm: tuple[float, float]) -> tuple[int, Box]:
    """The scale and the ground window of the frame centred on the parcels' ``extent``."""
    xmin, ymin, xmax, ymax = extent
    w, h = xmax - xmin, ymax - ymin
    margin = max(MIN_MARGIN_M, MARGIN_SHARE * max(w, h))
    scale = choose_scale(w + 2 * margin, h + 2 * margin, frame_mm)
    k = 1000 / scale  # paper mm per ground metre
    cx, cy = (xmin + xmax) / 2, (ymin + ymax) / 2
    half_w, half_h = frame_mm[0] / k / 2, frame_mm[1] / k / 2
    return scale, (cx - half_w, cy - half_h, cx + half_w, cy + half_h)


def _layers(sheet: Sheet) -> Layers:
    """Every layer of ``sheet``'s window, in one statement (``sql/map_extract_layers.sql``)."""
    k = 1000 / sheet.scale
    x0, y0, x1, y1 = sheet.window
    params = {
        "ids": sheet.ids, "srid": SRID, "x0": x0, "y0": y0, "x1": x1, "y1": y1,
        "k": k, "k2": k * k, "tx": -x0 * k, "ty": -y1 * k,
        "statuses": sorted(str(s) for s in ENACTED_STATUSES), "as_of": sheet.as_of,
    }  # fmt: skip
    data = fetch_json(load_sql("miasto.planning", "map_extract_layers"), params)
    return Layers(**{name: data[name] for name in Layers.__dataclass_fields__})


def map_extract(
    identifiers: list[str],
    as_of: dt.date | None = None,
    *,
    frame_mm: tuple[float, float] = FRAME_MM,
    id_prefix: str = "wyrys",
) -> MapExtract | None:
    """The map extract of the parcels ``identifiers`` on ``as_of`` (today by default); None
    when none of them exists. ``id_prefix`` keeps element ids unique when a page shows several
    extracts."""
    ids = list(dict.fromkeys(identifiers))
    row = fetch_one(_EXTENT_SQL, {"ids": ids})
    if row is None or not row[4]:
        return None
    scale, window = _window((row[0], row[1], row[2], row[3]), frame_mm)
    sheet = Sheet(ids, scale, window, frame_mm, id_prefix, as_of or dt.date.today())
    return _draw(sheet, _layers(sheet))


def _draw(sheet: Sheet, layers: Layers) -> MapExtract:
    title = _title(sheet)
    description = _describe(layers, sheet.scale)
    fw, fh = sheet.frame_mm
    pfx = sheet.prefix
    root = _svg_root({
        "class": "wyrys-map", "role": "img", "width": f"{fw}mm", "height": f"{fh}mm",
        "viewBox": f"0 0 {fw} {fh}", "aria-labelledby": f"{pfx}-title {pfx}-desc",
        "data-scale": str(sheet.scale), "font-family": FONT,
    })  # fmt: skip
    _el(root, "title", {"id": f"{pfx}-title"}, title)
    _el(root, "desc", {"id": f"{pfx}-desc"}, description)
    _draw_defs(root, sheet, layers)
    frame = {"x": "0", "y": "0", "width": str(fw), "height": str(fh)}
    _el(root, "rect", {**frame, "fill": "#ffffff"})
    body = _el(root, "g", {"clip-path": f"url(#{pfx}-clip)"})
    _draw_zones(body, layers)
    _draw_constraints(body, layers, pfx)
    _draw_parcels(body, layers)
    _draw_buildings(body, layers)
    _draw_building_lines(body, layers)
    _draw_subjects(body, layers)
    _draw_labels(body, sheet, layers)
    _north_arrow(root, fw - 12, 6)
    _scale_bar(root, sheet.scale, 6, fh - 6)
    _el(root, "rect", {**frame, "fill": "none", "stroke": "#1a1a1a", "stroke-width": "0.4"})
    svg = _serialise(root)
    root[0].text = f"{title}. {description}"  # the <title>: the PDF figure's /Alt
    return MapExtract(
        svg=svg,
        pdf_svg=_serialise(root),
        scale=sheet.scale,
        standard_scale=sheet.scale in STANDARD_SCALES,
        window=sheet.window,
        legend=_legend(layers),
        description=description,
        title=title,
        counts={
            "zones": len(layers.zones),
            "constraints": len(layers.constraints),
            "parcels": len(layers.parcels),
            "subjects": len(layers.subjects),
            "buildings": len(layers.buildings),
            "building_lines": len(layers.lines),
        },
    )


def _title(sheet: Sheet) -> str:
    return _("Map extract (wyrys): %(parcels)s, scale 1:%(scale)s, as of %(date)s") % {
        "parcels": ", ".join(sheet.ids),
        "scale": f"{sheet.scale:,}".replace(",", "\u00a0"),
        "date": sheet.as_of.isoformat(),
    }


def _draw_defs(root: etree._Element, sheet: Sheet, layers: Layers) -> None:
    """The hatch pattern of each constraint kind present, and the frame's clip path."""
    defs = _el(root, "defs", {})
    for kind in sorted({c["kind"] for c in layers.constraints}):
        colour = CONSTRAINT_COLOURS.get(kind, "#666666")
        _hatch_pattern(defs, f"{sheet.prefix}-h-{kind}", colour, CONSTRAINT_HATCH.get(kind, "/"))
    clip = _el(defs, "clipPath", {"id": f"{sheet.prefix}-clip"})
    fw, fh = sheet.frame_mm
    _el(clip, "rect", {"x": "0", "y": "0", "width": str(fw), "height": str(fh)})


def _draw_zones(body: etree._Element, layers: Layers) -> None:
    group = _el(body, "g", {"class": "zones"})
    for z in layers.zones:
        _el(group, "path", {
            "class": "zone", "data-designation": z["designation"], "d": path_data(z["svg"]),
            "fill": symbology.zone_colour(z["symbol"] or z["designation"]),
            "fill-opacity": "0.8", "stroke": ZONE_EDGE, "stroke-width": "0.3",
            "fill-rule": "evenodd",
        })  # fmt: skip


def _draw_constraints(body: etree._Element, layers: Layers, pfx: str) -> None:
    group = _el(body, "g", {"class": "constraints"})
    for c in layers.constraints:
        _el(group, "path", {
            "class": "constraint", "data-kind": c["kind"], "d": path_data(c["svg"]),
            "fill": f"url(#{pfx}-h-{c['kind']})",
            "stroke": CONSTRAINT_COLOURS.get(c["kind"], "#666666"), "stroke-width": "0.3",
            "fill-rule": "evenodd",
        })  # fmt: skip


def _draw_parcels(body: etree._Element, layers: Layers) -> None:
    group = _el(body, "g", {
        "class": "parcels", "fill": "none", "stroke": PARCEL_COLOUR, "stroke-width": "0.15",
    })  # fmt: skip
    # one path for all the neighbours (and one per building use below): they share their
    # style, and the PDF renderer's cost grows with the number of elements
    neighbours = layers.neighbours
    if neighbours:
        merged = " ".join(path_data(p["svg"]) for p in neighbours)
        _el(group, "path", {"class": "parcel", "d": merged})


def _draw_buildings(body: etree._Element, layers: Layers) -> None:
    group = _el(body, "g", {"class": "buildings", "stroke": "#333333", "stroke-width": "0.15"})
    by_use: dict[str, list[str]] = {}
    for b in layers.buildings:
        by_use.setdefault(b["use"], []).append(path_data(b["svg"]))
    for use, paths in by_use.items():
        _el(group, "path", {
            "class": "building", "data-use": use, "d": " ".join(paths),
            "fill": BUILDING_COLOURS.get(use, "#b0aba3"), "fill-rule": "evenodd",
        })  # fmt: skip


def _draw_building_lines(body: etree._Element, layers: Layers) -> None:
    group = _el(body, "g", {
        "class": "building-lines", "fill": "none", "stroke": LINE_COLOUR, "stroke-width": "0.5",
    })  # fmt: skip
    for line in layers.lines:
        attrs = {"class": "building-line", "data-kind": line["kind"], "d": path_data(line["svg"])}
        if line["kind"] == "non_exceedable":
            attrs["stroke-dasharray"] = DASH
        _el(group, "path", attrs)


def _draw_subjects(body: etree._Element, layers: Layers) -> None:
    group = _el(body, "g", {
        "class": "subject", "fill": "none", "stroke": SUBJECT_COLOUR, "stroke-width": "0.8",
        "stroke-linejoin": "round",
    })  # fmt: skip
    for p in layers.subjects:
        _el(group, "path", {
            "class": "subject-parcel", "data-number": p["number"], "d": path_data(p["svg"]),
        })  # fmt: skip


@dataclass(frozen=True)
class LabelStyle:
    size: float
    cls: str
    bold: bool = False
    colour: str = LABEL_COLOUR
    #: shift down from the label point, mm (below a parcel's zone label)
    dy: float = 0.0


ZONE_LABEL = LabelStyle(3.2, "zone-label", bold=True)
PARCEL_LABEL = LabelStyle(2.2, "parcel-label", dy=3.5)
SUBJECT_LABEL = LabelStyle(2.8, "subject-label", bold=True, colour=SUBJECT_COLOUR, dy=4)
#: the smallest paper area (mm²) of a zone / neighbouring parcel that gets a label
ZONE_LABEL_MIN_AREA = 40
PARCEL_LABEL_MIN_AREA = 60
#: neighbours' numbers only at this scale and larger
PARCEL_LABEL_MAX_SCALE = 2000


def _draw_labels(body: etree._Element, sheet: Sheet, layers: Layers) -> None:
    """Zone designations, parcel numbers (neighbours only at 1:2000 and larger)."""
    group = _el(body, "g", {"class": "labels"})
    for z in layers.zones:
        if z["paper_area"] >= ZONE_LABEL_MIN_AREA and z["lx"] is not None:
            _label(group, (z["lx"], z["ly"]), z["designation"], ZONE_LABEL)
    for p in layers.neighbours:
        if (
            sheet.scale <= PARCEL_LABEL_MAX_SCALE
            and p["paper_area"] >= PARCEL_LABEL_MIN_AREA
            and p["lx"] is not None
        ):
            _label(group, (p["lx"], p["ly"]), p["number"], PARCEL_LABEL)
    for p in layers.subjects:
        if p["lx"] is not None:
            _label(group, (p["lx"], p["ly"]), p["number"], SUBJECT_LABEL)


def _label(parent: etree._Element, at: tuple[float, float], text: str, style: LabelStyle) -> None:
    common = {
        "x": _fmt(at[0]), "y": _fmt(at[1] + style.dy), "font-size": str(style.size),
        "text-anchor": "middle",
    }  # fmt: skip
    if style.bold:
        common["font-weight"] = "bold"
    # a white halo drawn first (stroke), then the text: readable over any fill
    _el(parent, "text", {
        "class": f"{style.cls}-halo", **common, "fill": "#ffffff", "stroke": "#ffffff",
        "stroke-width": "0.8", "stroke-linejoin": "round", "aria-hidden": "true",
    }, text)  # fmt: skip
    _el(parent, "text", {"class": style.cls, **common, "fill": style.colour}, text)


def _north_arrow(parent: etree._Element, x: float, y: float) -> None:
    group = _el(parent, "g", {
        "class": "north-arrow", "transform": f"translate({_fmt(x)},{_fmt(y)})",
    })  # fmt: skip
    _el(group, "rect", {
        "x": "-5", "y": "-3", "width": "10", "height": "17", "fill": "#ffffff",
        "fill-opacity": "0.85",
    })  # fmt: skip
    _el(group, "path", {"d": "M0 0 L3.2 9 L0 7 L-3.2 9 Z", "fill": "#1a1a1a"})
    _el(group, "text", {
        "x": "0", "y": "13.2", "font-size": "3.4", "font-weight": "bold",
        "text-anchor": "middle", "fill": "#1a1a1a",
    }, "N")  # fmt: skip


def _scale_bar(parent: etree._Element, scale: int, x: float, y: float) -> None:
    length = scale_bar_length(scale)
    bar = length * 1000 / scale
    seg = bar / 4
    group = _el(parent, "g", {
        "class": "scale-bar", "transform": f"translate({_fmt(x)},{_fmt(y)})",
    })  # fmt: skip
    _el(group, "rect", {
        "x": "-2", "y": "-10", "width": _fmt(bar + 14), "height": "13", "fill": "#ffffff",
        "fill-opacity": "0.85",
    })  # fmt: skip
    for i in range(4):
        _el(group, "rect", {
            "x": _fmt(i * seg), "y": "-1.6", "width": _fmt(seg), "height": "1.6",
            "fill": "#1a1a1a" if i % 2 == 0 else "#ffffff", "stroke": "#1a1a1a",
            "stroke-width": "0.2",
        })  # fmt: skip
    ticks = [(0, "0"), (bar / 2, _local(length / 2)), (bar, f"{_local(length)} m")]
    for tx, text in ticks:
        _el(group, "text", {
            "x": _fmt(tx), "y": "-2.6", "font-size": "2.4", "text-anchor": "middle",
            "fill": "#1a1a1a",
        }, text)  # fmt: skip
    scale_text = _("Scale 1:%(scale)s") % {"scale": f"{scale:,}".replace(",", "\u00a0")}
    _el(group, "text", {
        "class": "scale-text", "x": "0", "y": "-6.4", "font-size": "2.8",
        "font-weight": "bold", "fill": "#1a1a1a",
    }, scale_text)  # fmt: skip


def _swatch_fill(colour: str, *, opacity: float = 1.0, stroke: str = "#333333") -> str:
    return (
        f'<rect x="0.5" y="0.5" width="23" height="13" fill="{colour}" '
        f'fill-opacity="{opacity}" stroke="{stroke}" stroke-width="1"/>'
    )


def _legend(layers: Layers) -> list[dict[str, Any]]:
    """Legend rows for the categories present: ``group``, ``label``, ``swatch`` (inner SVG of a
    24 × 14 px box; a hatch swatch carries its own pattern, id from ``key``)."""
    zones, constraints, lines = layers.zones, layers.constraints, layers.lines
    rows: list[dict[str, Any]] = [
        {
            "group": "parcel",
            "key": "subject",
            "label": _("the parcel(s) of the extract"),
            "swatch": f'<rect x="2" y="2" width="20" height="10" fill="none" '
            f'stroke="{SUBJECT_COLOUR}" stroke-width="2.5"/>',
        }
    ]
    if layers.neighbours:
        rows.append(
            {
                "group": "parcel",
                "key": "parcel",
                "label": _("neighbouring parcels"),
                "swatch": f'<rect x="1" y="1" width="22" height="12" fill="none" '
                f'stroke="{PARCEL_COLOUR}" stroke-width="1"/>',
            }
        )
    symbols = [z["symbol"] or z["designation"] for z in zones]
    for item in symbology.legend_for(symbols):
        designations = sorted(
            {
                z["designation"]
                for z in zones
                if symbology.zone_class(z["symbol"] or z["designation"]) == item["key"]
            }  # noqa: E501
        )
        rows.append(
            {
                "group": "zone",
                "key": item["key"],
                "label": f"{', '.join(designations)} — {item['label']}",
                "swatch": _swatch_fill(item["colour"], opacity=0.8),
            }
        )
    for kind in [k for k, _label in BuildingLine.Kind.choices if k in {x["kind"] for x in lines}]:
        dash = ' stroke-dasharray="6 3"' if kind == "non_exceedable" else ""
        rows.append(
            {
                "group": "line",
                "key": kind,
                "label": _choice_label(BuildingLine.Kind.choices, kind),
                "swatch": f'<line x1="1" y1="7" x2="23" y2="7" stroke="{LINE_COLOUR}" '
                f'stroke-width="2"{dash}/>',
            }
        )
    for use in [
        u for u, _label in Building.Use.choices if u in {b["use"] for b in layers.buildings}
    ]:
        rows.append(
            {
                "group": "building",
                "key": use,
                "label": _("building: %(use)s") % {"use": _choice_label(Building.Use.choices, use)},
                "swatch": _swatch_fill(BUILDING_COLOURS.get(use, "#b0aba3")),
            }
        )
    for kind in [
        c for c, _label in Constraint.Kind.choices if c in {x["kind"] for x in constraints}
    ]:
        colour = CONSTRAINT_COLOURS.get(kind, "#666666")
        rows.append(
            {
                "group": "constraint",
                "key": kind,
                "label": _choice_label(Constraint.Kind.choices, kind),
                "hatch": CONSTRAINT_HATCH.get(kind, "/"),
                "colour": colour,
                "swatch": "",  # needs a per-document pattern id: see legend_swatch()
            }
        )
    return rows


def legend_swatch(row: dict[str, Any], uid: str) -> str:
    """The complete ``<svg>`` swatch of a legend row (``uid`` keeps pattern ids unique)."""
    root = _svg_root({
        "class": "swatch", "width": "24", "height": "14", "viewBox": "0 0 24 14",
        "aria-hidden": "true", "focusable": "false",
    })  # fmt: skip
    # (hidden on the page, where the label is beside it; a PDF figure's text alternative)
    _el(root, "title", {}, _("legend symbol: %(label)s") % {"label": row["label"]})
    if row["group"] == "constraint":
        pid = f"lg-{uid}-{row['key']}"
        _hatch_pattern(_el(root, "defs", {}), pid, row["colour"], row["hatch"], spacing=4.0)
        _el(root, "rect", {
            "x": "0.5", "y": "0.5", "width": "23", "height": "13", "fill": f"url(#{pid})",
            "stroke": row["colour"], "stroke-width": "1",
        })  # fmt: skip
    else:
        # the row's own swatch: fixed markup of this module (colours from the symbology)
        root.extend(etree.fromstring(f'<g xmlns="{SVG}">{row["swatch"]}</g>'))
    return _serialise(root)


def _zone_words(zone: dict[str, Any]) -> str:
    """``3MN (MN: single-family housing), 812 m²`` — a zone in the map's description."""
    symbol = zone["symbol"] or zone["designation"]
    use = symbology.CLASSES[symbology.zone_class(symbol)].label
    named = f"{symbol}: {use}" if zone["symbol"] else str(use)
    text = f"{zone['designation']} ({named})"
    if zone.get("parcel_area"):
        text += ", " + _("%(area)s m² of the parcel(s)") % {"area": _local(zone["parcel_area"])}
    return text


def _zones_words(zones: list[dict[str, Any]]) -> list[str]:
    """The zones on the parcels (with their symbols, uses and areas), then the others shown."""
    on = [z for z in zones if (z.get("parcel_area") or 0) >= 1]
    around = sorted({z["designation"] for z in zones if (z.get("parcel_area") or 0) < 1})
    if not zones:
        return [_("No plan zone in force in the extract.")]
    parts = []
    if on:
        parts.append(
            _("Plan zones on the parcel(s): %(list)s.")
            % {"list": "; ".join(_zone_words(z) for z in on)}
        )
    if around:
        parts.append(_("Other plan zones in the extract: %(list)s.") % {"list": ", ".join(around)})
    return parts


def _describe(layers: Layers, scale: int) -> str:
    """A plain-language text alternative of the map: the parcels, the zones with their symbols
    and areas, building lines, constraints, what else is drawn, the scale and north."""
    zones, constraints, lines = layers.zones, layers.constraints, layers.lines
    parts = [
        _("The parcel(s) %(numbers)s outlined in red.")
        % {"numbers": ", ".join(sorted({p["number"] for p in layers.subjects}))},
        *_zones_words(zones),
    ]
    if lines:
        kinds = [
            _choice_label(BuildingLine.Kind.choices, k) for k in sorted({x["kind"] for x in lines})
        ]
        parts.append(_("Building lines: %(list)s.") % {"list": ", ".join(kinds)})
    if constraints:
        kinds = [
            _choice_label(Constraint.Kind.choices, k)
            for k in sorted({c["kind"] for c in constraints})
        ]  # noqa: E501
        parts.append(_("Constraints: %(list)s.") % {"list": ", ".join(kinds)})
    parts.append(
        _("%(buildings)s buildings and %(parcels)s neighbouring parcels shown.")
        % {"buildings": len(layers.buildings), "parcels": len(layers.neighbours)}
    )
    parts.append(
        _(
            "Scale 1:%(scale)s (scale bar in the bottom left corner); north is at the top of "
            "the map (arrow in the top right corner)."
        )
        % {"scale": f"{scale:,}".replace(",", "\u00a0")}
    )
    return " ".join(parts)

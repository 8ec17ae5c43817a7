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
import json
import math
import re
from dataclasses import dataclass, field
from decimal import Decimal
from html import escape
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import formats
from django.utils.translation import gettext as _

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

_LAYERS_SQL = """
WITH w AS (SELECT ST_MakeEnvelope(%(x0)s, %(y0)s, %(x1)s, %(y1)s, {srid}) AS box),
subj AS (SELECT id, identifier, number, geom FROM territory_parcel
         WHERE identifier = ANY(%(ids)s)),
inforce AS (
    SELECT z.* FROM planning_zone z JOIN planning_plan pl ON pl.id = z.plan_id, w
    WHERE z.geom && w.box AND pl.status = ANY(%(statuses)s)
      AND z.valid_from <= %(as_of)s AND (z.valid_to IS NULL OR z.valid_to > %(as_of)s)
),
su AS (SELECT ST_Union(geom) AS geom FROM subj),
basis AS (
    SELECT CASE WHEN EXISTS (
        SELECT 1 FROM inforce z JOIN subj s ON z.geom && s.geom AND ST_Intersects(z.geom, s.geom)
        WHERE z.category = 'plan_area') THEN 'plan_area' ELSE 'pog_zone' END AS category
)
SELECT json_build_object(
  'zones', COALESCE((SELECT json_agg(json_build_object(
        'designation', z.designation, 'symbol', z.symbol, 'svg', {svg_z},
        'lx', {lx_z}, 'ly', {ly_z}, 'paper_area', ST_Area(z.g) * %(k2)s)
        ORDER BY z.designation, z.id)
      FROM (SELECT zz.*, CASE WHEN ST_Area(ST_Intersection(zz.g, su.geom)) >= 1
                              THEN ST_PointOnSurface(ST_Intersection(zz.g, su.geom))
                              ELSE ST_PointOnSurface(zz.g) END AS lp
            FROM (SELECT z.id, z.designation, z.symbol,
                         ST_CollectionExtract(ST_Intersection(z.geom, w.box), 3) AS g
                  FROM inforce z, w, basis WHERE z.category = basis.category
                    AND ST_Intersects(z.geom, w.box)) zz, su
            WHERE NOT ST_IsEmpty(zz.g)) z), '[]'::json),
  'constraints', COALESCE((SELECT json_agg(json_build_object(
        'kind', c.kind, 'svg', {svg_c}) ORDER BY c.kind, c.id)
      FROM (SELECT c.id, c.kind, ST_CollectionExtract(ST_ClipByBox2D(c.geom, w.box::box2d), 3) AS g
            FROM territory_constraint c, w WHERE c.geom && w.box) c
      WHERE NOT ST_IsEmpty(c.g)), '[]'::json),
  'parcels', COALESCE((SELECT json_agg(json_build_object(
        'number', p.number, 'subject', p.subject, 'svg', {svg_p},
        'lx', {lx_p}, 'ly', {ly_p}, 'paper_area', ST_Area(p.g) * %(k2)s)
        ORDER BY p.subject, p.id)
      FROM (SELECT p.id, p.number, p.id IN (SELECT id FROM subj) AS subject,
                   ST_CollectionExtract(ST_ClipByBox2D(p.geom, w.box::box2d), 3) AS g
            FROM territory_parcel p, w WHERE p.geom && w.box) p
      WHERE NOT ST_IsEmpty(p.g)), '[]'::json),
  'buildings', COALESCE((SELECT json_agg(json_build_object(
        'use', b.use, 'svg', {svg_b}) ORDER BY b.id)
      FROM (SELECT b.id, b.use, ST_CollectionExtract(ST_ClipByBox2D(b.geom, w.box::box2d), 3) AS g
            FROM territory_building b, w WHERE b.geom && w.box) b
      WHERE NOT ST_IsEmpty(b.g)), '[]'::json),
  'lines', COALESCE((SELECT json_agg(json_build_object(
        'kind', l.kind, 'svg', {svg_l}) ORDER BY l.kind, l.id)
      FROM (SELECT bl.id, bl.kind, ST_CollectionExtract(ST_Intersection(bl.geom, w.box), 2) AS g
            FROM planning_buildingline bl
            JOIN planning_plan pl ON pl.id = bl.plan_id
            LEFT JOIN planning_zone z ON z.id = bl.zone_id, w
            WHERE bl.geom && w.box AND pl.status = ANY(%(statuses)s)
              AND COALESCE(bl.valid_from, z.valid_from, pl.valid_from) <= %(as_of)s
              AND COALESCE(bl.valid_to, z.valid_to, pl.valid_to, 'infinity'::date)
                  > %(as_of)s) l
      WHERE NOT ST_IsEmpty(l.g)), '[]'::json)
)::text
"""


def _paper(expr: str) -> str:
    return f"ST_Affine({expr}, %(k)s, 0, 0, %(k)s, %(tx)s, %(ty)s)"


def _svg(alias: str) -> str:
    return f"ST_AsSVG({_paper(alias + '.g')}, 0, 2)"


def _label_xy(pt: str) -> tuple[str, str]:
    return (
        f"round(((ST_X({pt}) - %(x0)s) * %(k)s)::numeric, 2)",
        f"round(((%(y1)s - ST_Y({pt})) * %(k)s)::numeric, 2)",
    )


def _layers_sql() -> str:
    lx_z, ly_z = _label_xy("z.lp")
    lx_p, ly_p = _label_xy("ST_PointOnSurface(p.g)")
    return _LAYERS_SQL.format(
        srid=SRID,
        svg_z=_svg("z"),
        svg_c=_svg("c"),
        svg_p=_svg("p"),
        svg_b=_svg("b"),
        svg_l=_svg("l"),
        lx_z=lx_z,
        ly_z=ly_z,
        lx_p=lx_p,
        ly_p=ly_p,
    )


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


def _hatch_pattern(pid: str, colour: str, hatch: str, spacing: float = 2.0) -> str:
    angle = {"/": 45, "\\": -45, "|": 0, "-": 90, "x": 45}.get(hatch, 45)
    lines = f'<line x1="0" y1="0" x2="0" y2="{spacing}" stroke="{colour}" stroke-width="0.35"/>'
    if hatch == "x":
        lines += (
            f'<line x1="0" y1="{spacing / 2}" x2="{spacing}" y2="{spacing / 2}" '
            f'stroke="{colour}" stroke-width="0.35"/>'
        )
    return (
        f'<pattern id="{pid}" patternUnits="userSpaceOnUse" width="{spacing}" '
        f'height="{spacing}" patternTransform="rotate({angle})">{lines}</pattern>'
    )


def _choice_label(choices: list[tuple[str, Any]], value: str) -> str:
    return str(dict(choices).get(value, value))


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
    as_of = as_of or dt.date.today()
    ids = list(dict.fromkeys(identifiers))
    with connection.cursor() as cursor:
        cursor.execute(_EXTENT_SQL, {"ids": ids})
        xmin, ymin, xmax, ymax, count = cursor.fetchone()
        if not count:
            return None
        w, h = xmax - xmin, ymax - ymin
        margin = max(MIN_MARGIN_M, MARGIN_SHARE * max(w, h))
        scale = choose_scale(w + 2 * margin, h + 2 * margin, frame_mm)
        k = 1000 / scale  # paper mm per ground metre
        cx, cy = (xmin + xmax) / 2, (ymin + ymax) / 2
        half_w, half_h = frame_mm[0] / k / 2, frame_mm[1] / k / 2
        window = (cx - half_w, cy - half_h, cx + half_w, cy + half_h)
        params = {
            "ids": ids,
            "x0": window[0],
            "y0": window[1],
            "x1": window[2],
            "y1": window[3],
            "k": k,
            "k2": k * k,
            "tx": -window[0] * k,
            "ty": -window[3] * k,
            "statuses": sorted(str(s) for s in ENACTED_STATUSES),
            "as_of": as_of,
        }
        cursor.execute(_layers_sql(), params)
        layers = json.loads(cursor.fetchone()[0])
    return _draw(ids, scale, window, layers, frame_mm, id_prefix, as_of)


def _draw(
    ids: list[str],
    scale: int,
    window: tuple[float, float, float, float],
    layers: dict[str, list[dict[str, Any]]],
    frame_mm: tuple[float, float],
    pfx: str,
    as_of: dt.date,
) -> MapExtract:
    fw, fh = frame_mm
    zones, constraints = layers["zones"], layers["constraints"]
    parcels, buildings, lines = layers["parcels"], layers["buildings"], layers["lines"]
    subjects = [p for p in parcels if p["subject"]]
    neighbours = [p for p in parcels if not p["subject"]]
    out: list[str] = []
    defs: list[str] = []
    for kind in sorted({c["kind"] for c in constraints}):
        colour = CONSTRAINT_COLOURS.get(kind, "#666666")
        defs.append(_hatch_pattern(f"{pfx}-h-{kind}", colour, CONSTRAINT_HATCH.get(kind, "/")))
    defs.append(
        f'<clipPath id="{pfx}-clip"><rect x="0" y="0" width="{fw}" height="{fh}"/></clipPath>'
    )

    out.append(f'<rect x="0" y="0" width="{fw}" height="{fh}" fill="#ffffff"/>')
    body: list[str] = []
    body.append('<g class="zones">')
    for z in zones:
        body.append(
            f'<path class="zone" data-designation="{escape(z["designation"])}" '
            f'd="{path_data(z["svg"])}" '
            f'fill="{symbology.zone_colour(z["symbol"] or z["designation"])}" fill-opacity="0.8" '
            f'stroke="{ZONE_EDGE}" stroke-width="0.3" fill-rule="evenodd"/>'
        )
    body.append("</g>")
    body.append('<g class="constraints">')
    for c in constraints:
        colour = CONSTRAINT_COLOURS.get(c["kind"], "#666666")
        body.append(
            f'<path class="constraint" data-kind="{escape(c["kind"])}" d="{path_data(c["svg"])}" '
            f'fill="url(#{pfx}-h-{escape(c["kind"])})" stroke="{colour}" stroke-width="0.3" '
            f'fill-rule="evenodd"/>'
        )
    body.append("</g>")
    body.append(f'<g class="parcels" fill="none" stroke="{PARCEL_COLOUR}" stroke-width="0.15">')
    # one path for all the neighbours and one per building use: they share their style, and
    # the PDF renderer's cost grows with the number of elements (a road parcel's window at
    # 1:10 000 holds some 1 600 parcels and 900 buildings; one element each cost seconds)
    if neighbours:
        merged = " ".join(path_data(p["svg"]) for p in neighbours)
        body.append(f'<path class="parcel" d="{merged}"/>')
    body.append("</g>")
    body.append('<g class="buildings" stroke="#333333" stroke-width="0.15">')
    by_use: dict[str, list[str]] = {}
    for b in buildings:
        by_use.setdefault(b["use"], []).append(path_data(b["svg"]))
    for use, paths in by_use.items():
        colour = BUILDING_COLOURS.get(use, "#b0aba3")
        body.append(
            f'<path class="building" data-use="{escape(use)}" d="{" ".join(paths)}" '
            f'fill="{colour}" fill-rule="evenodd"/>'
        )
    body.append("</g>")
    body.append(f'<g class="building-lines" fill="none" stroke="{LINE_COLOUR}" stroke-width="0.5">')
    for line in lines:
        dash = f' stroke-dasharray="{DASH}"' if line["kind"] == "non_exceedable" else ""
        body.append(
            f'<path class="building-line" data-kind="{escape(line["kind"])}" '
            f'd="{path_data(line["svg"])}"{dash}/>'
        )
    body.append("</g>")
    body.append(
        f'<g class="subject" fill="none" stroke="{SUBJECT_COLOUR}" stroke-width="0.8" '
        'stroke-linejoin="round">'
    )
    for p in subjects:
        body.append(
            f'<path class="subject-parcel" data-number="{escape(p["number"])}" '
            f'd="{path_data(p["svg"])}"/>'
        )
    body.append("</g>")
    # labels: zone designations, parcel numbers (neighbours only at 1:2000 and larger)
    labels: list[str] = []
    for z in zones:
        if z["paper_area"] >= 40 and z["lx"] is not None:
            labels.append(
                _label(z["lx"], z["ly"], z["designation"], 3.2, bold=True, cls="zone-label")
            )
    for p in neighbours:
        if scale <= 2000 and p["paper_area"] >= 60 and p["lx"] is not None:
            labels.append(_label(p["lx"], p["ly"] + 3.5, p["number"], 2.2, cls="parcel-label"))
    for p in subjects:
        if p["lx"] is not None:
            labels.append(
                _label(p["lx"], p["ly"] + 4, p["number"], 2.8, bold=True, cls="subject-label",
                       colour=SUBJECT_COLOUR)
            )  # fmt: skip
    body.append('<g class="labels">' + "".join(labels) + "</g>")
    out.append(f'<g clip-path="url(#{pfx}-clip)">' + "".join(body) + "</g>")
    out.append(_north_arrow(fw - 12, 6))
    out.append(_scale_bar(scale, 6, fh - 6))
    out.append(
        f'<rect x="0" y="0" width="{fw}" height="{fh}" fill="none" stroke="#1a1a1a" '
        'stroke-width="0.4"/>'
    )

    title = _("Map extract (wyrys): %(parcels)s, scale 1:%(scale)s, as of %(date)s") % {
        "parcels": ", ".join(ids),
        "scale": f"{scale:,}".replace(",", "\u00a0"),
        "date": as_of.isoformat(),
    }
    description = _describe(zones, constraints, lines, buildings, neighbours, subjects)
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="wyrys-map" role="img" '
        f'width="{fw}mm" height="{fh}mm" viewBox="0 0 {fw} {fh}" '
        f'aria-labelledby="{pfx}-title {pfx}-desc" data-scale="{scale}" '
        f'font-family="{FONT}">'
        f'<title id="{pfx}-title">{escape(title)}</title>'
        f'<desc id="{pfx}-desc">{escape(description)}</desc>'
        f"<defs>{''.join(defs)}</defs>" + "".join(out) + "</svg>"
    )
    return MapExtract(
        svg=svg,
        scale=scale,
        standard_scale=scale in STANDARD_SCALES,
        window=window,
        legend=_legend(zones, constraints, lines, buildings, neighbours),
        description=description,
        title=title,
        counts={
            "zones": len(zones),
            "constraints": len(constraints),
            "parcels": len(parcels),
            "subjects": len(subjects),
            "buildings": len(buildings),
            "building_lines": len(lines),
        },
    )


def _label(
    x: float, y: float, text: str, size: float, *, bold: bool = False, cls: str = "",
    colour: str = LABEL_COLOUR,
) -> str:  # fmt: skip
    weight = ' font-weight="bold"' if bold else ""
    t = escape(text)
    common = f'x="{_fmt(x)}" y="{_fmt(y)}" font-size="{size}" text-anchor="middle"{weight}'
    # a white halo drawn first (stroke), then the text: readable over any fill
    return (
        f'<text class="{cls}-halo" {common} fill="#ffffff" stroke="#ffffff" stroke-width="0.8" '
        f'stroke-linejoin="round" aria-hidden="true">{t}</text>'
        f'<text class="{cls}" {common} fill="{colour}">{t}</text>'
    )


def _north_arrow(x: float, y: float) -> str:
    return (
        f'<g class="north-arrow" transform="translate({_fmt(x)},{_fmt(y)})">'
        '<rect x="-5" y="-3" width="10" height="17" fill="#ffffff" fill-opacity="0.85"/>'
        '<path d="M0 0 L3.2 9 L0 7 L-3.2 9 Z" fill="#1a1a1a"/>'
        '<text x="0" y="13.2" font-size="3.4" font-weight="bold" text-anchor="middle" '
        'fill="#1a1a1a">N</text></g>'
    )


def _scale_bar(scale: int, x: float, y: float) -> str:
    length = scale_bar_length(scale)
    k = 1000 / scale
    bar = length * k
    seg = bar / 4
    parts = [
        f'<g class="scale-bar" transform="translate({_fmt(x)},{_fmt(y)})">',
        f'<rect x="-2" y="-10" width="{_fmt(bar + 14)}" height="13" fill="#ffffff" '
        'fill-opacity="0.85"/>',
    ]
    for i in range(4):
        fill = "#1a1a1a" if i % 2 == 0 else "#ffffff"
        parts.append(
            f'<rect x="{_fmt(i * seg)}" y="-1.6" width="{_fmt(seg)}" height="1.6" fill="{fill}" '
            'stroke="#1a1a1a" stroke-width="0.2"/>'
        )
    ticks = [(0, "0"), (bar / 2, _local(length / 2)), (bar, f"{_local(length)} m")]
    for tx, text in ticks:
        parts.append(
            f'<text x="{_fmt(tx)}" y="-2.6" font-size="2.4" text-anchor="middle" '
            f'fill="#1a1a1a">{text}</text>'
        )
    scale_text = _("Scale 1:%(scale)s") % {"scale": f"{scale:,}".replace(",", "\u00a0")}
    parts.append(
        f'<text class="scale-text" x="0" y="-6.4" font-size="2.8" font-weight="bold" '
        f'fill="#1a1a1a">{escape(scale_text)}</text></g>'
    )
    return "".join(parts)


def _swatch_fill(colour: str, *, opacity: float = 1.0, stroke: str = "#333333") -> str:
    return (
        f'<rect x="0.5" y="0.5" width="23" height="13" fill="{colour}" '
        f'fill-opacity="{opacity}" stroke="{stroke}" stroke-width="1"/>'
    )


def _legend(
    zones: list[dict[str, Any]],
    constraints: list[dict[str, Any]],
    lines: list[dict[str, Any]],
    buildings: list[dict[str, Any]],
    neighbours: list[dict[str, Any]],
) -> list[dict[str, Any]]:
    """Legend rows for the categories present: ``group``, ``label``, ``swatch`` (inner SVG of a
    24 × 14 px box; a hatch swatch carries its own pattern, id from ``key``)."""
    rows: list[dict[str, Any]] = [
        {
            "group": "parcel",
            "key": "subject",
            "label": _("the parcel(s) of the extract"),
            "swatch": f'<rect x="2" y="2" width="20" height="10" fill="none" '
            f'stroke="{SUBJECT_COLOUR}" stroke-width="2.5"/>',
        }
    ]
    if neighbours:
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
    for use in [u for u, _label in Building.Use.choices if u in {b["use"] for b in buildings}]:
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
    inner = row["swatch"]
    if row["group"] == "constraint":
        pid = f"lg-{uid}-{row['key']}"
        inner = (
            f"<defs>{_hatch_pattern(pid, row['colour'], row['hatch'], spacing=4.0)}</defs>"
            f'<rect x="0.5" y="0.5" width="23" height="13" fill="url(#{pid})" '
            f'stroke="{row["colour"]}" stroke-width="1"/>'
        )
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" class="swatch" width="24" height="14" '
        f'viewBox="0 0 24 14" aria-hidden="true" focusable="false">{inner}</svg>'
    )


def _describe(
    zones: list[dict[str, Any]],
    constraints: list[dict[str, Any]],
    lines: list[dict[str, Any]],
    buildings: list[dict[str, Any]],
    neighbours: list[dict[str, Any]],
    subjects: list[dict[str, Any]],
) -> str:
    """A plain-language text alternative of the map."""
    parts = [
        _("The parcel(s) %(numbers)s outlined in red.")
        % {"numbers": ", ".join(sorted({p["number"] for p in subjects}))}
    ]
    if zones:
        designations = sorted({z["designation"] for z in zones})
        parts.append(_("Plan zones in the extract: %(list)s.") % {"list": ", ".join(designations)})
    else:
        parts.append(_("No plan zone in force in the extract."))
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
        % {"buildings": len(buildings), "parcels": len(neighbours)}
    )
    return " ".join(parts)

"""APP 2.0 GML: safe reading of planning acts and zones, writing them back, XSD validation.

Reading never touches the network and never expands entities: the file first passes
:func:`miasto.core.uploads.check_xml` (no DTD, no entities), then lxml parses it with
``resolve_entities=False, no_network=True``. Coordinates come in EPSG:2180 or a PL-2000 zone
(2176–2179), northing first, as APP requires; they are swapped to easting-first and
transformed to the storage SRID.

XSD validation (:mod:`miasto.planning.xsd`) uses the APP schema and the OGC/ISO schemas it
imports, shipped inside the package; every schema URL resolves to a packaged file — nothing is
downloaded, and a missing schema is an error, not a skipped check.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import shapely
from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry
from lxml import etree
from shapely.geometry.base import BaseGeometry

from miasto.accessibility.selectors import app_standard_values
from miasto.core.uploads import UnsafeFile, check_xml
from miasto.planning.catalogue import Catalogue, catalogue_for
from miasto.planning.statuses import APP_STATUS, APP_STATUS_TITLE, PlanStatus
from miasto.planning.validation import Problem, ZoneInput, geometry_problem, to_decimal
from miasto.planning.xsd import APP, APP_XSD_URL, WFS, xsd_errors
from miasto.planning.xsd import app_schema as app_schema  # re-exported for callers of this module
from miasto.territory.models import City

GML = "http://www.opengis.net/gml/3.2"
XLINK = "http://www.w3.org/1999/xlink"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
GMD = "http://www.isotc211.org/2005/gmd"
GCO = "http://www.isotc211.org/2005/gco"
NSMAP = {"app": APP, "gml": GML, "wfs": WFS, "xlink": XLINK, "xsi": XSI, "gmd": GMD, "gco": GCO}
HREF = f"{{{XLINK}}}href"
TITLE = f"{{{XLINK}}}title"

CODELIST = "https://www.gov.pl/static/zagospodarowanieprzestrzenne/codelist"
KPT_URL = "https://www.gov.pl/static/zagospodarowanieprzestrzenne/ontology/KPT#KPT-MPZP-"
INSPIRE_STATUS = "http://inspire.ec.europa.eu/codelist/ProcessStepGeneralValue/"
INSPIRE_LEVEL = "http://inspire.ec.europa.eu/codelist/LevelOfSpatialPlanValue/"
INSPIRE_NATURE = "https://inspire.ec.europa.eu/codelist/RegulationNatureValue/generallyBinding"
IDENTIFIER_SPACE = "https://www.gov.pl/zagospodarowanieprzestrzenne/app"
SCHEMA_LOCATION = (
    f"{APP} {APP_XSD_URL} {GML} http://schemas.opengis.net/gml/3.2.1/gml.xsd "
    f"{WFS} http://schemas.opengis.net/wfs/2.0/wfs.xsd"
)

#: CRSs accepted in APP files (all northing-first)
APP_SRIDS = (2180, 2176, 2177, 2178, 2179)
MAX_BYTES = 200 * 1024 * 1024

PLAN_TYPES = {
    "planOgolnyGminy": "pog",
    "miejscowyPlanZagospodarowaniaPrzestrzennego": "mpzp",
    "studiumUwarunkowanIKierunkowZagospodarowaniaPrzestrzennegoGminy": "studium",
    "miejscowyPlanRewitalizacji": "revitalisation",
    "miejscowyPlanOdbudowy": "mpzp",
}
PLAN_TYPE_CODES = {
    "pog": ("planOgolnyGminy", "plan ogólny gminy"),
    "mpzp": (
        "miejscowyPlanZagospodarowaniaPrzestrzennego",
        "miejscowy plan zagospodarowania przestrzennego",
    ),
    "zpi": (
        "miejscowyPlanZagospodarowaniaPrzestrzennego",
        "miejscowy plan zagospodarowania przestrzennego",
    ),
    "studium": (
        "studiumUwarunkowanIKierunkowZagospodarowaniaPrzestrzennegoGminy",
        "studium uwarunkowań i kierunków zagospodarowania przestrzennego gminy",
    ),
    "revitalisation": ("miejscowyPlanRewitalizacji", "miejscowy plan rewitalizacji"),
}
#: Plan types of APP that Miasto does not register, with the reason (said on import).
UNSUPPORTED_PLAN_TYPES = {
    "planZagospodarowaniaPrzestrzennegoWojewodztwa": (
        "to plan zagospodarowania przestrzennego województwa (PZPW): uchwala go sejmik "
        "województwa, a Miasto prowadzi rejestr aktów planowania gminy (plan ogólny, plany "
        "miejscowe, w tym zintegrowane plany inwestycyjne, plany rewitalizacji i odbudowy, "
        "studium) — plan województwa należy do rejestru samorządu województwa; jego "
        "ustalenia gmina uwzględnia w swoich planach"
    ),
}
#: The type part of the standard ``przestrzenNazw`` (``PL.ZIPPZP.<nr>/<TERYT>-<type>``): a ZPI
#: and a revitalisation plan are special forms of the local plan (MPZP).
NAMESPACE_TYPES = {
    "pog": "POG",
    "mpzp": "MPZP",
    "zpi": "MPZP",
    "revitalisation": "MPZP",
    "studium": "SUIKZP",
}
SPECIAL_TAGS = {
    "ObszarUzupelnieniaZabudowy": "ouz",
    "ObszarZabudowySrodmiejskiej": "ozs",
    "ObszarStandardowDostepnosciInfrastrukturySpolecznej": "osd",
}
#: APP → LegalAct.Kind for the document references of an act
DOCUMENT_REFS = {
    "dokumentPrzystepujacy": "initiation",
    "dokumentUchwalajacy": "adoption",
    "dokumentZmieniajacy": "amendment",
    "dokumentUchylajacy": "repeal",
    "dokumentUniewazniajacy": "annulment",
    "dokument": "other",
}
#: OSD elements in schema order: (element, kind — L length, A area, B boolean; required)
OSD_FIELDS = [
    ("wylaczenieZabudowyZagrodowej", "B", True),
    ("odlegloscDoSzkolyPodstawowej", "L", True),
    ("odlegloscDoObszarowZieleniPublicznej", "L", True),
    ("powierzchniaLacznaObszarowZieleniPublicznej", "A", True),
    ("odlegloscDoObszaruZieleniPublicznej", "L", True),
    ("powierzchniaObszaruZieleniPublicznej", "A", True),
    ("odlegloscDoPrzedszkola", "L", False),
    ("odlegloscDoZlobka", "L", False),
    ("odlegloscDoAmbulatoriumPOZ", "L", False),
    ("odlegloscDoBiblioteki", "L", False),
    ("odlegloscDoDomuKultury", "L", False),
    ("odlegloscDoDomuPomocySpolecznej", "L", False),
    ("odlegloscDoUrzadzonegoTerenuSportu", "L", False),
    ("odlegloscDoPrzystanku", "L", False),
    ("odlegloscDoPlacowkiPocztowej", "L", False),
    ("odlegloscDoApteki", "L", False),
    ("odlegloscDoPosterunkuPolicji", "L", False),
    ("odlegloscDoPosterunkuJednostkiOchronyPrzeciwpozarowej", "L", False),
]


class AppFormatError(Exception):
    """The file is not a readable APP 2.0 document (the message says why, in Polish)."""

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems = problems or []


# ---------------------------------------------------------------- reading ---------------------


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def parse_srs(name: str | None) -> int:
    """EPSG code from ``http://www.opengis.net/def/crs/EPSG/0/2178``,
    ``urn:ogc:def:crs:EPSG::2178`` or ``EPSG:2178``; ValueError with a Polish message."""
    text = (name or "").strip()
    match = re.search(r"EPSG(?:/0/|::|:|/)(\d+)$", text, re.IGNORECASE)
    if not match:
        raise ValueError(f"nieznany lub brakujący układ współrzędnych srsName=„{text[:80]}”")
    srid = int(match.group(1))
    if srid not in APP_SRIDS:
        raise ValueError(
            f"układ EPSG:{srid} nie jest dopuszczony w APP (dozwolone: EPSG:2180, EPSG:2176–2179)"
        )
    return srid


def _srs_of(element: etree._Element) -> str | None:
    node: etree._Element | None = element
    while node is not None:
        value = node.get("srsName")
        if value:
            return value
        node = node.getparent()
    return None


def _coords(element: etree._Element, srid: int) -> list[tuple[float, float]]:
    """Ring coordinates from ``gml:posList`` or ``gml:pos``, swapped to (easting, northing)."""
    dim = int(element.get("srsDimension") or _inherited_dim(element) or 2)
    pos_list = element.find(f"{{{GML}}}posList")
    if pos_list is not None:
        numbers = [float(v) for v in (pos_list.text or "").split()]
        local_dim = int(pos_list.get("srsDimension") or dim)
    else:
        numbers = []
        local_dim = dim
        for pos in element.findall(f"{{{GML}}}pos"):
            values = [float(v) for v in (pos.text or "").split()]
            local_dim = len(values) or local_dim
            numbers += values
    if local_dim < 2 or len(numbers) % local_dim:
        raise ValueError("liczba współrzędnych nie pasuje do wymiaru srsDimension")
    points = [(numbers[i + 1], numbers[i]) for i in range(0, len(numbers), local_dim)]
    if srid in (2176, 2177, 2178, 2179):
        zone = srid - 2171  # 5..8: the leading digit of PL-2000 eastings
        bad = [p for p in points if int(p[0] // 1_000_000) != zone]
        if bad:
            raise ValueError(
                f"współrzędne nie pasują do strefy układu PL-2000 EPSG:{srid} "
                f"(czy kolejność osi to: północna, wschodnia?)"
            )
    return points


def _inherited_dim(element: etree._Element) -> str | None:
    node: etree._Element | None = element.getparent()
    while node is not None:
        if node.get("srsDimension"):
            return node.get("srsDimension")
        node = node.getparent()
    return None


def _polygon(element: etree._Element, srid: int) -> shapely.Polygon:
    rings: list[list[tuple[float, float]]] = []
    for tag in ("exterior", "interior"):
        for holder in element.findall(f"{{{GML}}}{tag}"):
            ring = holder.find(f"{{{GML}}}LinearRing")
            if ring is None:
                raise ValueError("obsługiwane są tylko pierścienie gml:LinearRing")
            rings.append(_coords(ring, srid))
    if not rings:
        raise ValueError("wielokąt bez obrysu zewnętrznego")
    for coords in rings:
        if len(coords) < 4 or coords[0] != coords[-1]:
            raise ValueError("pierścień musi mieć co najmniej 4 punkty i być zamknięty")
    return shapely.Polygon(rings[0], rings[1:])


def read_surface(holder: etree._Element) -> tuple[BaseGeometry, int]:
    """(shapely polygon/multipolygon in source coordinates, source srid) from a property."""
    geometry = next((c for c in holder if isinstance(c.tag, str)), None)
    if geometry is None:
        raise ValueError("brak geometrii")
    srid = parse_srs(_srs_of(geometry))
    tag = etree.QName(geometry).localname
    polygons: list[shapely.Polygon] = []
    if tag in ("Polygon", "PolygonPatch"):
        polygons.append(_polygon(geometry, srid))
    elif tag == "Surface":
        for patch in geometry.iter(f"{{{GML}}}PolygonPatch"):
            polygons.append(_polygon(patch, srid))
    elif tag in ("MultiSurface", "MultiPolygon"):
        for member in geometry.iter(f"{{{GML}}}Polygon", f"{{{GML}}}PolygonPatch"):
            polygons.append(_polygon(member, srid))
    else:
        raise ValueError(f"nieobsługiwany typ geometrii gml:{tag}")
    if not polygons:
        raise ValueError("pusta geometria")
    geom = polygons[0] if len(polygons) == 1 else shapely.MultiPolygon(polygons)
    return geom, srid


def to_storage(geom: BaseGeometry, srid: int) -> BaseGeometry:
    """Transform shapely geometry (easting-first) from ``srid`` to the storage SRID."""
    target = settings.MIASTO_SRID
    if srid == target:
        return geom
    g = GEOSGeometry(memoryview(shapely.to_wkb(geom)), srid=srid)
    g.transform(target)
    return shapely.from_wkb(bytes(g.wkb))


def _text(element: etree._Element, name: str) -> str:
    child = element.find(f"{{{APP}}}{name}")
    return (child.text or "").strip() if child is not None and child.text else ""


def _href_code(element: etree._Element, name: str) -> str:
    child = element.find(f"{{{APP}}}{name}")
    if child is None:
        return ""
    href = (child.get(HREF) or "").strip()
    return re.split(r"[/#]", href.rstrip("/"))[-1] if href else ""


def _date(value: str, what: str, problems: list[str]) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        problems.append(f"{what}: nieprawidłowa data „{value[:20]}”")
        return None


def _identifier(element: etree._Element) -> tuple[str, str, str]:
    ident = element.find(f"{{{APP}}}idIIP/{{{APP}}}Identyfikator")
    if ident is None:
        return "", "", ""
    return (
        _text(ident, "przestrzenNazw"),
        _text(ident, "lokalnyId"),
        _text(ident, "wersjaId"),
    )


@dataclass
class ParsedAct:
    namespace: str
    local_id: str
    version_id: str
    title: str
    kind: str
    level: str
    status_code: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    geom: BaseGeometry | None
    source_srid: int | None
    document_refs: dict[str, str] = field(default_factory=dict)  # href → LegalAct kind
    gml_id: str = ""


@dataclass
class ParsedDocument:
    gml_id: str
    namespace: str
    local_id: str
    title: str
    number: str
    date: dt.date | None
    journal_position: str
    url: str


@dataclass
class ParsedSpecial:
    kind: str
    namespace: str
    local_id: str
    version_id: str
    designation: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    geom: BaseGeometry | None
    attributes: dict[str, Any]
    label: str


@dataclass
class ParsedFile:
    acts: list[ParsedAct] = field(default_factory=list)
    zones: list[ZoneInput] = field(default_factory=list)
    specials: list[ParsedSpecial] = field(default_factory=list)
    documents: list[ParsedDocument] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    source_srids: set[int] = field(default_factory=set)
    skipped: list[str] = field(default_factory=list)


def load_document(path: Path) -> etree._ElementTree:
    """Safety checks and parsing; raises :class:`AppFormatError` (nothing is written)."""
    try:
        size = path.stat().st_size
    except OSError:
        raise AppFormatError(f"Nie można odczytać pliku {path.name}.") from None
    if size == 0:
        raise AppFormatError("Plik jest pusty.")
    if size > MAX_BYTES:
        raise AppFormatError(f"Plik jest za duży ({size / 1024**2:.0f} MB, limit 200 MB).")
    try:
        check_xml(path)
    except UnsafeFile as exc:
        raise AppFormatError(str(exc)) from None
    try:
        return etree.parse(str(path), _parser())
    except etree.XMLSyntaxError as exc:
        raise AppFormatError(f"Plik nie jest poprawnym XML: {exc}.") from None


def _members(root: etree._Element) -> list[etree._Element]:
    tag = etree.QName(root)
    if tag.namespace == APP:
        return [root]
    if tag.namespace == WFS and tag.localname == "FeatureCollection":
        out = []
        for member in root.iter(f"{{{WFS}}}member"):
            out += [c for c in member if isinstance(c.tag, str)]
        return out
    raise AppFormatError(
        "Plik nie jest dokumentem APP 2.0: element główny to "
        f"„{tag.localname}” w przestrzeni nazw „{tag.namespace or 'brak'}”; oczekiwano "
        f"wfs:FeatureCollection z obiektami przestrzeni nazw {APP}."
    )


def parse_app(tree: etree._ElementTree) -> ParsedFile:
    """Read acts, zones, special areas and documents; problems are collected, not raised
    (except for a document that is not APP 2.0 at all)."""
    root = tree.getroot()
    members = _members(root)
    app_members = [m for m in members if etree.QName(m).namespace == APP]
    if not app_members:
        raise AppFormatError(
            "Plik nie zawiera obiektów APP 2.0 (przestrzeń nazw "
            f"{APP}) — to nie jest plik aktu planowania przestrzennego."
        )
    errors = xsd_errors(tree)
    if errors:
        raise AppFormatError(
            "Plik nie jest zgodny ze schematem APP 2.0 (planowaniePrzestrzenne_2_0.xsd).",
            [Problem(f"niezgodność ze schematem, {e}") for e in errors],
        )
    out = ParsedFile()
    for element in app_members:
        name = etree.QName(element).localname
        if name == "AktPlanowaniaPrzestrzennego":
            out.acts.append(_parse_act(element, out))
        elif name == "StrefaPlanistyczna":
            out.zones.append(_parse_zone(element, out))
        elif name in SPECIAL_TAGS:
            out.specials.append(_parse_special(element, SPECIAL_TAGS[name], out))
        elif name == "DokumentFormalny":
            out.documents.append(_parse_document(element, out))
        else:
            out.skipped.append(name)
    return out


def _geometry(
    element: etree._Element, prop: str, label: str, out: ParsedFile
) -> tuple[BaseGeometry | None, str]:
    holder = element.find(f"{{{APP}}}{prop}")
    if holder is None:
        return None, "brak geometrii"
    try:
        geom, srid = read_surface(holder)
    except ValueError as exc:
        return None, f"geometria: {exc}"
    out.source_srids.add(srid)

    problem = geometry_problem(geom)  # checked in source coordinates (as drawn)
    if problem:
        return geom, f"{problem} (EPSG:{srid}, x — wschodnia)"
    return to_storage(geom, srid), ""


def _plan_type_problem(type_code: str) -> str:
    """Why a plan type is refused: its own reason, or the types Miasto takes."""
    if type_code in UNSUPPORTED_PLAN_TYPES:
        return f"nieobsługiwany typ planu „{type_code}” — {UNSUPPORTED_PLAN_TYPES[type_code]}"
    return (
        f"nieobsługiwany typ planu „{type_code[:80] or 'brak'}” — obsługiwane typy "
        f"(typPlanu): {', '.join(PLAN_TYPES)}"
    )


def _parse_act(element: etree._Element, out: ParsedFile) -> ParsedAct:
    namespace, local_id, version_id = _identifier(element)
    label = f"akt {local_id or '?'}"
    type_code = _href_code(element, "typPlanu")
    kind = PLAN_TYPES.get(type_code, "")
    if not kind:
        out.problems.append(Problem(_plan_type_problem(type_code), label))
    dates: list[str] = []
    valid_from = _date(_text(element, "obowiazujeOd"), "obowiązuje od", dates)
    valid_to = _date(_text(element, "obowiazujeDo"), "obowiązuje do", dates)
    if valid_from and valid_to and not valid_from < valid_to:
        dates.append("data „obowiązuje od” musi być wcześniejsza niż „obowiązuje do”")
    out.problems += [Problem(d, label) for d in dates]
    geom, problem = _geometry(element, "zasiegPrzestrzenny", label, out)
    if problem:
        out.problems.append(Problem(f"zasięg przestrzenny: {problem}", label))
        geom = None
    refs: dict[str, str] = {}
    for ref_name, doc_kind in DOCUMENT_REFS.items():
        for ref in element.findall(f"{{{APP}}}{ref_name}"):
            href = (ref.get(HREF) or "").strip()
            if href:
                refs[href] = doc_kind
    return ParsedAct(
        namespace=namespace,
        local_id=local_id,
        version_id=version_id,
        title=_text(element, "tytul"),
        kind=kind,
        level=_href_code(element, "poziomHierarchii") or "local",
        status_code=_href_code(element, "status"),
        valid_from=valid_from,
        valid_to=valid_to,
        geom=geom,
        source_srid=min(out.source_srids) if out.source_srids else None,
        document_refs=refs,
        gml_id=element.get(f"{{{GML}}}id", ""),
    )


def _decimal_param(element: etree._Element, name: str, zone_label: str, out: ParsedFile) -> Any:
    text = _text(element, name)
    try:
        return to_decimal(text)
    except ValueError as exc:
        out.problems.append(Problem(f"{name}: {exc}", zone_label))
        return None


def _profile(element: etree._Element, name: str) -> list[str]:
    codes = []
    for ref in element.findall(f"{{{APP}}}{name}"):
        href = ref.get(HREF) or ""
        code = href.rsplit("#", 1)[-1]
        code = code.removeprefix("KPT-MPZP-").removeprefix("KPT-POG-").removeprefix("KPT-")
        if code:
            codes.append(code)
    return codes


def _parse_zone(element: etree._Element, out: ParsedFile) -> ZoneInput:
    namespace, local_id, version_id = _identifier(element)
    zone = ZoneInput(
        local_id=local_id,
        designation=_text(element, "oznaczenie"),
        symbol=_text(element, "symbol"),
        category="pog_zone",
        basic_profile=_profile(element, "profilPodstawowy"),
        additional_profile=_profile(element, "profilDodatkowy"),
    )
    nazwa = element.find(f"{{{APP}}}nazwa")
    zone.name = (nazwa.get(TITLE) or "") if nazwa is not None else ""
    label = zone.label
    zone.params = {
        "max_intensity": _decimal_param(element, "maksNadziemnaIntensywnoscZabudowy", label, out),
        "max_coverage": _decimal_param(element, "maksUdzialPowierzchniZabudowy", label, out),
        "max_height": _decimal_param(element, "maksWysokoscZabudowy", label, out),
        "min_bio_active": _decimal_param(
            element, "minUdzialPowierzchniBiologicznieCzynnej", label, out
        ),
    }
    dates: list[str] = []
    valid_from = _date(_text(element, "obowiazujeOd"), "obowiązuje od", dates)
    valid_to = _date(_text(element, "obowiazujeDo"), "obowiązuje do", dates)
    if valid_from and valid_to and not valid_from < valid_to:
        dates.append("data „obowiązuje od” musi być wcześniejsza niż „obowiązuje do”")
    out.problems += [Problem(d, label) for d in dates]
    geom, problem = _geometry(element, "geometria", label, out)
    zone.geom, zone.geom_problem = geom, problem
    plan_ref = element.find(f"{{{APP}}}plan")
    zone.extra = {
        "namespace": namespace,
        "version_id": version_id,
        "valid_from": valid_from,
        "valid_to": valid_to,
        "plan_href": (plan_ref.get(HREF) or "").strip() if plan_ref is not None else "",
        "status_code": _href_code(element, "status"),
    }
    return zone


def _measure(element: etree._Element, name: str) -> Any:
    text = _text(element, name)
    if not text:
        return None
    if text in ("true", "false", "1", "0"):
        return text in ("true", "1")
    try:
        return float(text)
    except ValueError:
        return text


def _parse_special(element: etree._Element, kind: str, out: ParsedFile) -> ParsedSpecial:
    namespace, local_id, version_id = _identifier(element)
    designation = _text(element, "oznaczenie")
    label = f"obszar {designation or local_id} ({kind.upper()})"
    dates: list[str] = []
    valid_from = _date(_text(element, "obowiazujeOd"), "obowiązuje od", dates)
    valid_to = _date(_text(element, "obowiazujeDo"), "obowiązuje do", dates)
    out.problems += [Problem(d, label) for d in dates]
    geom, problem = _geometry(element, "geometria", label, out)
    if problem:
        out.problems.append(Problem(problem, label))
        geom = None
    attributes: dict[str, Any] = {
        "symbol": _text(element, "symbol"),
        "nazwa": _text(element, "nazwa"),
    }
    if kind == "osd":
        for name, _k, _req in OSD_FIELDS:
            value = _measure(element, name)
            if value is not None:
                attributes[name] = value
    return ParsedSpecial(
        kind, namespace, local_id, version_id, designation, valid_from, valid_to, geom,
        attributes, label,
    )  # fmt: skip


def _parse_document(element: etree._Element, out: ParsedFile) -> ParsedDocument:
    namespace, local_id, _version = _identifier(element)
    date_text = ""
    node = element.find(f"{{{APP}}}data")
    if node is not None:
        for candidate in node.iter(f"{{{GCO}}}Date", f"{{{GCO}}}DateTime"):
            date_text = (candidate.text or "").strip()
            break
    dates: list[str] = []
    date = _date(date_text, "data dokumentu", dates)
    out.problems += [Problem(d, f"dokument {local_id}") for d in dates]
    journal = element.find(f"{{{APP}}}dziennikUrzedowy")
    links = [(e.text or "").strip() for e in element.findall(f"{{{APP}}}lacze")]
    return ParsedDocument(
        gml_id=element.get(f"{{{GML}}}id", ""),
        namespace=namespace,
        local_id=local_id,
        title=_text(element, "tytul"),
        number=_text(element, "numerIdentyfikacyjny"),
        date=date,
        journal_position=(journal.get(TITLE) or "") if journal is not None else "",
        url=links[0] if links else "",
    )


# ---------------------------------------------------------------- writing ---------------------


def gml_id(*parts: str) -> str:
    text = "_".join(p for p in parts if p)
    text = re.sub(r"[^A-Za-z0-9._-]", "_", text)
    return text if re.match(r"^[A-Za-z_]", text) else f"id_{text}"


def _sub(parent: etree._Element, ns: str, name: str, text: Any = None, **attrs: str) -> Any:
    element = etree.SubElement(parent, f"{{{ns}}}{name}")
    if text is not None:
        element.text = str(text)
    for key, value in attrs.items():
        if key == "href":
            element.set(HREF, value)
        elif key == "title":
            element.set(TITLE, value)
        else:
            element.set(key, value)
    return element


def _pos_list(coords: Any) -> str:
    # northing first, centimetre precision
    return " ".join(f"{y:.2f} {x:.2f}" for x, y in coords)


def _write_polygon(
    parent: etree._Element, polygon: shapely.Polygon, name: str = "Polygon"
) -> etree._Element:
    element = _sub(parent, GML, name)
    exterior = _sub(element, GML, "exterior")
    ring = _sub(exterior, GML, "LinearRing")
    _sub(ring, GML, "posList", _pos_list(polygon.exterior.coords))
    for hole in polygon.interiors:
        interior = _sub(element, GML, "interior")
        ring = _sub(interior, GML, "LinearRing")
        _sub(ring, GML, "posList", _pos_list(hole.coords))
    return element


def _export_geom(geom: GEOSGeometry, srid: int) -> BaseGeometry:
    g = geom.clone()
    if g.srid != srid:
        g.transform(srid)
    return shapely.from_wkb(bytes(g.wkb))


def _write_surface(parent: etree._Element, geom: BaseGeometry, srid: int, gid: str) -> None:
    srs = f"http://www.opengis.net/def/crs/EPSG/0/{srid}"
    polygons = list(getattr(geom, "geoms", [geom]))
    if len(polygons) == 1:
        element = _write_polygon(parent, polygons[0])
        element.set(f"{{{GML}}}id", gid)
    else:
        element = _sub(parent, GML, "Surface")
        element.set(f"{{{GML}}}id", gid)
        patches = _sub(element, GML, "patches")
        for polygon in polygons:
            _write_polygon(patches, polygon, "PolygonPatch")
    element.set("srsName", srs)
    element.set("srsDimension", "2")


def _write_multisurface(parent: etree._Element, geom: BaseGeometry, srid: int, gid: str) -> None:
    element = _sub(parent, GML, "MultiSurface")
    element.set(f"{{{GML}}}id", gid)
    element.set("srsName", f"http://www.opengis.net/def/crs/EPSG/0/{srid}")
    element.set("srsDimension", "2")
    for i, polygon in enumerate(getattr(geom, "geoms", [geom])):
        member = _sub(element, GML, "surfaceMember")
        poly = _write_polygon(member, polygon)
        poly.set(f"{{{GML}}}id", f"{gid}_{i + 1}")


def _decimal_text(value: Decimal | None) -> str | None:
    if value is None:
        return None
    text = format(value.normalize(), "f")
    return text


# --- export: the data (plain records, gathered by one selector) -------------------------------


@dataclass(frozen=True)
class ExportDocument:
    """A legal act of the plan, as written to a ``DokumentFormalny``."""

    pk: int
    kind: str
    local_id: str  # the act's own, or ``DOK<pk>``
    title: str
    number: str
    date: dt.date | None
    journal_position: str
    url: str


@dataclass(frozen=True)
class ExportZone:
    """A current zone of a general plan, as written to a ``StrefaPlanistyczna``."""

    local_id: str
    version_id: str
    designation: str
    symbol: str
    name: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    basic_profile: tuple[str, ...]
    additional_profile: tuple[str, ...]
    #: (model field, value) of the four APP parameters, in schema order
    parameters: tuple[tuple[str, Decimal | None], ...]
    geom: GEOSGeometry


@dataclass(frozen=True)
class ExportArea:
    """A current OUZ/OZS/OSD area."""

    kind: str
    local_id: str
    version_id: str
    designation: str
    attributes: dict[str, Any]
    valid_from: dt.date | None
    geom: GEOSGeometry


@dataclass(frozen=True)
class PlanExport:
    """Everything :func:`export_plan` writes of one plan — no database access beyond this."""

    pk: int
    kind: str
    title: str
    namespace: str
    local_id: str
    version_id: str
    status: str
    level: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    amends: bool
    created: dt.date
    #: the plan's boundary, or the union of its current zones
    boundary: GEOSGeometry | None
    documents: tuple[ExportDocument, ...]
    zones: tuple[ExportZone, ...]
    areas: tuple[ExportArea, ...]
    #: the TERYT code of the municipality (for a namespace the plan does not have)
    teryt: str = ""


#: (Zone field, APP element) of the zone parameters, in schema order
ZONE_PARAMETERS = (
    ("max_intensity", "maksNadziemnaIntensywnoscZabudowy"),
    ("max_coverage", "maksUdzialPowierzchniZabudowy"),
    ("max_height", "maksWysokoscZabudowy"),
    ("min_bio_active", "minUdzialPowierzchniBiologicznieCzynnej"),
)


def plan_export_data(plan: Any) -> PlanExport:
    """The records of ``plan`` that its APP export holds: its legal acts, its current zones
    (general plans only: APP 2.0 has no feature type for local-plan areas) and special areas,
    and its boundary — one query each."""
    from django.contrib.gis.db.models import Union

    current_zones = plan.zones.filter(valid_to__isnull=True)
    documents = tuple(
        ExportDocument(
            pk=act.pk,
            kind=act.kind,
            local_id=act.local_id or f"DOK{act.pk}",
            title=act.title or str(act),
            number=act.number,
            date=act.date,
            journal_position=act.journal_position,
            url=act.url,
        )  # fmt: skip
        for act in plan.legal_acts.order_by("date", "id")
    )
    zones = tuple(
        ExportZone(
            local_id=zone.local_id,
            version_id=zone.version_id,
            designation=zone.designation,
            symbol=zone.symbol,
            name=zone.name,
            valid_from=zone.valid_from,
            valid_to=zone.valid_to,
            basic_profile=tuple(zone.basic_profile or ()),
            additional_profile=tuple(zone.additional_profile or ()),
            parameters=tuple((name, getattr(zone, name)) for name, _e in ZONE_PARAMETERS),
            geom=zone.geom,
        )  # fmt: skip
        for zone in (current_zones.order_by("designation", "id") if plan.kind == "pog" else ())
    )
    # an OSD area's values missing from the plan: the configured standards (art. 13f)
    standards = app_standard_values(plan.valid_from)
    areas = tuple(
        ExportArea(
            kind=area.kind,
            local_id=area.local_id,
            version_id=area.version_id,
            designation=area.designation,
            attributes={**(standards if area.kind == "osd" else {}), **(area.attributes or {})},
            valid_from=area.valid_from,
            geom=area.geom,
        )  # fmt: skip
        for area in plan.special_areas.filter(valid_to__isnull=True).order_by("kind", "local_id")
    )
    boundary = plan.geom
    if boundary is None:
        boundary = current_zones.aggregate(u=Union("geom"))["u"]
    return PlanExport(
        pk=plan.pk, kind=plan.kind, title=plan.title, namespace=plan.namespace,
        local_id=plan.local_id, version_id=plan.version_id, status=plan.status,
        level=plan.level, valid_from=plan.valid_from, valid_to=plan.valid_to,
        amends=bool(plan.amends_id), created=plan.created_at.date(), boundary=boundary,
        documents=documents, zones=zones, areas=areas, teryt=_city_teryt(),
    )  # fmt: skip


def _city_teryt() -> str:
    return City.objects.order_by("id").values_list("teryt", flat=True).first() or ""


# --- export: writing the XML (pure functions of the records) ----------------------------------


@dataclass(frozen=True)
class ExportContext:
    """What every feature of one export shares: identifiers, time stamp, CRS, status."""

    namespace: str
    version: str
    stamp: str
    srid: int
    status_code: str
    plan_gid: str
    #: the start of validity of a feature without its own: the plan's, or its creation date
    start: dt.date
    #: the day the plan was registered (the date of a document without its own)
    created: dt.date


def default_namespace(kind: str, teryt: str) -> str:
    """The standard ``przestrzenNazw`` of a plan of ``kind`` of the municipality ``teryt``:
    ``PL.ZIPPZP.<nr>/<TERYT>-<POG|MPZP|SUIKZP>`` — the TERYT code of the municipality
    (``WWPPGG``, its type digit left out) and ``<nr>`` the number of the municipality's data set
    in the register of spatial data (``MIASTO_APP_NAMESPACE_NUMBER``; 0 when not set).
    :class:`ValueError` without a TERYT code."""
    code = re.sub(r"\D", "", teryt or "")[:6]
    if len(code) != 6:
        raise ValueError(
            "Plan nie ma przestrzeni nazw (przestrzenNazw), a bez kodu TERYT gminy nie można "
            "jej utworzyć — wpisz przestrzeń nazw planu albo dane gminy."
        )
    number = str(getattr(settings, "MIASTO_APP_NAMESPACE_NUMBER", "") or "0").strip()
    number = number if number.isdigit() else "0"
    return f"PL.ZIPPZP.{number}/{code}-{NAMESPACE_TYPES.get(kind, 'MPZP')}"


def export_context(data: PlanExport, srid: int, now: dt.datetime) -> ExportContext:
    namespace = data.namespace or default_namespace(data.kind, data.teryt)
    version = data.version_id or now.strftime("%Y%m%dT%H%M%S")
    return ExportContext(
        namespace=namespace,
        version=version,
        stamp=now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        srid=srid,
        status_code=APP_STATUS[PlanStatus(data.status)],
        plan_gid=gml_id(namespace, data.local_id, version),
        start=data.valid_from or data.created,
        created=data.created,
    )


def _write_id_iip(parent: etree._Element, ctx: ExportContext, local_id: str, ver: str) -> None:
    holder = _sub(parent, APP, "idIIP")
    ident = _sub(holder, APP, "Identyfikator")
    _sub(ident, APP, "przestrzenNazw", ctx.namespace)
    _sub(ident, APP, "lokalnyId", local_id)
    _sub(ident, APP, "wersjaId", ver)


def _write_identifier(
    parent: etree._Element, ctx: ExportContext, feature: str, local_id: str, ver: str
) -> None:
    _sub(
        parent,
        GML,
        "identifier",
        f"{IDENTIFIER_SPACE}/{feature}/{ctx.namespace}/{local_id}/{ver}",
        codeSpace=IDENTIFIER_SPACE,
    )
    _write_id_iip(parent, ctx, local_id, ver)


def _write_status(parent: etree._Element, ctx: ExportContext) -> None:
    _sub(parent, APP, "status", href=f"{INSPIRE_STATUS}{ctx.status_code}",
         title=APP_STATUS_TITLE[ctx.status_code])  # fmt: skip


def _member(root: etree._Element, tag: str, gid: str) -> etree._Element:
    """A new ``wfs:member`` of ``root`` holding an ``app:<tag>`` with ``gml:id`` ``gid``."""
    member = _sub(root, WFS, "member")
    element: etree._Element = _sub(member, APP, tag)
    element.set(f"{{{GML}}}id", gid)
    return element


def document_gid(ctx: ExportContext, document: ExportDocument) -> str:
    return gml_id(ctx.namespace, document.local_id, ctx.version)


def write_plan(root: etree._Element, ctx: ExportContext, data: PlanExport) -> None:
    """The ``AktPlanowaniaPrzestrzennego``, with references to its documents."""
    if data.boundary is None:
        raise ValueError("Plan nie ma granicy ani stref — nie można zapisać zasięgu.")
    akt = _member(root, "AktPlanowaniaPrzestrzennego", ctx.plan_gid)
    _write_identifier(akt, ctx, "AktPlanowaniaPrzestrzennego", data.local_id, ctx.version)
    _sub(akt, APP, "poczatekWersjiObiektu", ctx.stamp)
    _sub(akt, APP, "tytul", data.title)
    type_code, type_title = PLAN_TYPE_CODES[data.kind]
    _sub(
        akt, APP, "typPlanu", href=f"{CODELIST}/TypAktuPlanowaniaPrzestrzennegoKod/{type_code}",
        title=type_title,
    )  # fmt: skip
    _sub(akt, APP, "poziomHierarchii", href=f"{INSPIRE_LEVEL}{data.level or 'local'}",
         title="lokalny")  # fmt: skip
    if data.valid_from:
        _sub(akt, APP, "obowiazujeOd", data.valid_from.isoformat())
    if data.valid_to:
        _sub(akt, APP, "obowiazujeDo", data.valid_to.isoformat())
    _write_status(akt, ctx)
    _sub(akt, APP, "modyfikacja", "true" if data.amends else "false")
    holder = _sub(akt, APP, "zasiegPrzestrzenny")
    boundary = _export_geom(data.boundary, ctx.srid)
    _write_multisurface(holder, boundary, ctx.srid, f"{ctx.plan_gid}_zasieg")
    _write_document_refs(akt, ctx, data.documents)


#: the order of the document references of an act in the schema
DOCUMENT_REF_ORDER = ("other", "initiation", "adoption", "amendment", "repeal", "annulment")


def _write_document_refs(
    akt: etree._Element, ctx: ExportContext, documents: tuple[ExportDocument, ...]
) -> None:
    ref_names = {v: k for k, v in DOCUMENT_REFS.items()}
    for kind in DOCUMENT_REF_ORDER:
        of_kind = [d for d in documents if d.kind == kind]
        if kind == "adoption":
            of_kind = of_kind[:1]  # an act is adopted once
        for document in of_kind:
            _sub(akt, APP, ref_names[kind], href=f"#{document_gid(ctx, document)}")


def write_document(root: etree._Element, ctx: ExportContext, document: ExportDocument) -> None:
    """A ``DokumentFormalny``."""
    doc = _member(root, "DokumentFormalny", document_gid(ctx, document))
    _write_id_iip(doc, ctx, document.local_id, ctx.version)
    _sub(doc, APP, "tytul", document.title)
    if document.number:
        _sub(doc, APP, "numerIdentyfikacyjny", document.number)
    data = _sub(doc, APP, "data")
    ci = _sub(data, GMD, "CI_Date")
    date_holder = _sub(ci, GMD, "date")
    published = document.date or ctx.created
    _sub(date_holder, GCO, "Date", published.isoformat())
    type_holder = _sub(ci, GMD, "dateType")
    _sub(
        type_holder, GMD, "CI_DateTypeCode", "publication",
        codeList="http://standards.iso.org/iso/19139/resources/gmxCodelists.xml#CI_DateTypeCode",
        codeListValue="publication",
    )  # fmt: skip
    if document.journal_position:
        _sub(doc, APP, "dziennikUrzedowy", href=document.url or "",
             title=document.journal_position)  # fmt: skip
    if document.url:
        _sub(doc, APP, "lacze", document.url)


def write_zone(
    root: etree._Element, ctx: ExportContext, zone: ExportZone, catalogue: Catalogue
) -> None:
    """A ``StrefaPlanistyczna`` (its kind's code, name and default profile from ``catalogue``)."""
    zone_version = zone.version_id or ctx.version
    zid = gml_id(ctx.namespace, zone.local_id, zone_version)
    el = _member(root, "StrefaPlanistyczna", zid)
    _write_identifier(el, ctx, "StrefaPlanistyczna", zone.local_id, zone_version)
    _sub(el, APP, "oznaczenie", zone.designation)
    _sub(el, APP, "symbol", zone.symbol)
    _sub(el, APP, "poczatekWersjiObiektu", ctx.stamp)
    _sub(el, APP, "obowiazujeOd", (zone.valid_from or ctx.start).isoformat())
    if zone.valid_to:
        _sub(el, APP, "obowiazujeDo", zone.valid_to.isoformat())
    _write_status(el, ctx)
    _sub(el, APP, "charakterUstalenia", href=INSPIRE_NATURE, title="ogólnie wiążące")
    geometria = _sub(el, APP, "geometria")
    _write_surface(geometria, _export_geom(zone.geom, ctx.srid), ctx.srid, f"{zid}_geom")
    _sub(el, APP, "plan", href=f"#{ctx.plan_gid}")
    kind = catalogue.zone_kind(zone.symbol)
    code = kind.code if kind else zone.symbol
    _sub(el, APP, "nazwa", href=f"{CODELIST}/RodzajStrefyPlanistycznejKod/{code}",
         title=kind.name if kind else zone.name)  # fmt: skip
    for cls in zone.basic_profile or (kind.basic_profile if kind else ()):
        _sub(el, APP, "profilPodstawowy", href=f"{KPT_URL}{cls}", title=cls)
    for cls in zone.additional_profile:
        _sub(el, APP, "profilDodatkowy", href=f"{KPT_URL}{cls}", title=cls)
    _write_zone_parameters(el, zone)


def _write_zone_parameters(el: etree._Element, zone: ExportZone) -> None:
    elements = dict(ZONE_PARAMETERS)
    for name, number in zone.parameters:
        value = _decimal_text(number)
        if value is None:
            continue
        if name == "max_height":
            _sub(el, APP, elements[name], value, uom="m")
        else:
            _sub(el, APP, elements[name], value)


#: the exclusion of farmstead housing the schema requires of an OSD area that states none:
#: not excluded (the distances and areas come from the configured standards, see
#: :func:`plan_export_data`)
OSD_NO_EXCLUSION = False


def write_area(root: etree._Element, ctx: ExportContext, area: ExportArea) -> None:
    """An OUZ/OZS/OSD area (``Obszar…``)."""
    tag = next(t for t, k in SPECIAL_TAGS.items() if k == area.kind)
    area_version = area.version_id or ctx.version
    aid = gml_id(ctx.namespace, area.local_id, area_version)
    el = _member(root, tag, aid)
    _write_identifier(el, ctx, tag, area.local_id, area_version)
    if area.attributes.get("nazwa"):
        _sub(el, APP, "nazwa", area.attributes["nazwa"])
    _sub(el, APP, "oznaczenie", area.designation or area.local_id)
    _sub(el, APP, "symbol", area.attributes.get("symbol") or area.kind.upper())
    _sub(el, APP, "poczatekWersjiObiektu", ctx.stamp)
    _sub(el, APP, "obowiazujeOd", (area.valid_from or ctx.start).isoformat())
    _write_status(el, ctx)
    _sub(el, APP, "charakterUstalenia", href=INSPIRE_NATURE, title="ogólnie wiążące")
    geometria = _sub(el, APP, "geometria")
    _write_surface(geometria, _export_geom(area.geom, ctx.srid), ctx.srid, f"{aid}_geom")
    _sub(el, APP, "plan", href=f"#{ctx.plan_gid}")
    if area.kind == "osd":
        _write_osd_fields(el, area.attributes)


def _write_osd_fields(el: etree._Element, attributes: dict[str, Any]) -> None:
    for name, kind_code, required in OSD_FIELDS:
        value = attributes.get(name)
        if value is None and kind_code == "B" and required:
            value = OSD_NO_EXCLUSION
        if value is None and required:
            raise ValueError(
                f"obszar standardów dostępności nie podaje „{name}”, a żaden standard "
                "dostępności w konfiguracji (standardy art. 13f, pole „atrybut APP”) "
                "go nie określa"
            )
        if value is None:
            continue
        if kind_code == "B":
            _sub(el, APP, name, "true" if value else "false")
        else:
            _sub(el, APP, name, f"{float(value):g}", uom="m" if kind_code == "L" else "m2")


def write_collection(data: PlanExport, ctx: ExportContext) -> bytes:
    """The ``wfs:FeatureCollection`` of the plan: the act, its documents, zones and areas."""
    features = 1 + len(data.documents) + len(data.zones) + len(data.areas)
    root = etree.Element(f"{{{WFS}}}FeatureCollection", nsmap=NSMAP)
    root.set("timeStamp", ctx.stamp)
    root.set("numberReturned", str(features))
    root.set("numberMatched", "unknown")
    root.set(f"{{{XSI}}}schemaLocation", SCHEMA_LOCATION)
    write_plan(root, ctx, data)
    for document in data.documents:
        write_document(root, ctx, document)
    catalogue = catalogue_for(data.valid_from)
    for zone in data.zones:
        write_zone(root, ctx, zone, catalogue)
    for area in data.areas:
        write_area(root, ctx, area)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


def export_plan(plan: Any, *, srid: int = 2180, now: dt.datetime | None = None) -> bytes:
    """APP 2.0 GML of a plan: the act, its documents, its current zones and special areas.

    ``srid`` — 2180 or a PL-2000 zone; coordinates are written northing first.
    APP 2.0 has feature types only for general-plan zones; local-plan areas are not part of it,
    so an MPZP is exported as its act, boundary and documents. The records are gathered first
    (:func:`plan_export_data`), then written (:func:`write_collection`).
    """
    if srid not in APP_SRIDS:
        raise ValueError(f"EPSG:{srid} nie jest układem APP")
    now = now or dt.datetime.now(dt.UTC).replace(microsecond=0)
    data = plan_export_data(plan)
    return write_collection(data, export_context(data, srid, now))

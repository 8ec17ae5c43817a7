"""The *wypis i wyrys* (extract and map extract from a plan) of one or more parcels: the data
for the HTML report page and the PDF draft, and the PDF itself (WeasyPrint).

- :func:`build` gathers, per parcel, the planning report (:mod:`miasto.planning.report`, with
  its accessibility section), the parcel's register data, the plans' resolutions and the map
  extract (:mod:`miasto.planning.mapsvg`).
- :func:`render_pdf` lays the document out on A4 pages: the *wypis* (text) first, then the
  *wyrys* (one map page per parcel) from a page break. The stamp duty
  (:mod:`miasto.planning.fees`) is computed from the page counts of that very layout: the
  wyrys starts at the page holding the ``wyrys-start`` anchor. The fee is printed inside the
  wypis, so the layout is redone with the computed fee until the counts are stable (one pass
  when the first guess — wypis ≤ 5 pages, one wyrys page per parcel — is right).
- The HTML page's fee comes from the page counts stored for the report's layout
  (:func:`layout_key`, :class:`~miasto.planning.models.WypisLayout`): a report is laid out
  once per revision of what it is laid out from, not on every view.
- Every layout a web request asks for runs bounded (:func:`render_pdf_bounded`,
  :func:`lay_out_bounded`): in a child process with ``MIASTO_PDF_CPU_S`` seconds of CPU time
  (its own cost, whatever the load), the wall-clock deadline ``MIASTO_PDF_TIMEOUT_S`` and
  ``MIASTO_PDF_MEMORY_MB`` of memory (:func:`miasto.core.limits.run_bounded`), so no input can
  hold a worker; over the limit, :class:`~miasto.core.limits.LimitExceeded` (a 503 for the
  views).
- The PDF is laid out and written by :mod:`miasto.core.pdf`: a tagged PDF/UA-1 document
  (structure tree with headings, tables and the map as a figure described in words, language
  and title); it renders offline: everything is inline (CSS, SVG), fonts are local (DejaVu via
  fontconfig) and the URL fetcher refuses every URL.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from importlib.metadata import version
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from miasto.core import pdf as documents
from miasto.core.limits import run_bounded
from miasto.planning import symbology
from miasto.planning.fees import ExtractFees, FeeCalculation, extract_fee, fees_for
from miasto.planning.mapsvg import MapExtract, legend_swatch, map_extract
from miasto.planning.models import LegalAct, WypisLayout
from miasto.planning.report import parcel_report_full
from miasto.territory.models import City, Parcel

#: At most this many parcels in one report, unless ``MIASTO_WYPIS_MAX_PARCELS`` says fewer or
#: more (each parcel adds a map page to lay out; docs/planning.md says what 20 cost).
MAX_PARCELS = 20


def max_parcels() -> int:
    """The configured number of parcels one report (page or PDF) may hold."""
    return max(1, int(getattr(settings, "MIASTO_WYPIS_MAX_PARCELS", MAX_PARCELS)))


_SPLIT = re.compile(r"[,;\s]+")

#: Zone parameters shown in the report: field, label, unit.
PARAMETERS: tuple[tuple[str, Any, str], ...] = (
    ("min_intensity", gettext_lazy("minimum building intensity"), ""),
    ("max_intensity", gettext_lazy("maximum building intensity"), ""),
    ("max_coverage", gettext_lazy("maximum building coverage"), "%"),
    ("min_bio_active", gettext_lazy("minimum biologically active area"), "%"),
    ("max_height", gettext_lazy("maximum building height"), "m"),
    ("max_storeys", gettext_lazy("maximum number of above-ground storeys"), ""),
    ("min_plot_area", gettext_lazy("minimum area of a new plot"), "m²"),
    (
        "parking_ratio",
        gettext_lazy("parking spaces per dwelling or per 100 m² of usable floor area"),
        "",
    ),
)
#: Derived figures of a zone part (and the totals): field, label.
DERIVED: tuple[tuple[str, Any], ...] = (
    ("max_floor_area", gettext_lazy("maximum above-ground floor area")),
    ("max_footprint", gettext_lazy("maximum building footprint")),
    ("min_bio_active_area", gettext_lazy("minimum biologically active area")),
    ("existing_floor_area", gettext_lazy("existing floor area")),
    ("remaining_floor_area", gettext_lazy("remaining floor area capacity")),
)


class ParcelsNotFound(LookupError):
    def __init__(self, missing: list[str]) -> None:
        super().__init__(", ".join(missing))
        self.missing = missing


def split_identifiers(text: str) -> list[str]:
    """Identifiers separated by commas, semicolons, spaces or new lines; duplicates dropped."""
    return list(dict.fromkeys(t for t in _SPLIT.split(text or "") if t))


@dataclass
class ParcelSection:
    identifier: str
    register: dict[str, Any]
    report: dict[str, Any]
    extract: MapExtract
    legend: list[dict[str, Any]]


@dataclass
class Wypis:
    identifiers: list[str]
    as_of: dt.date
    city: str
    sections: list[ParcelSection]
    fees: ExtractFees
    generated_at: dt.datetime
    fee: FeeCalculation | None = None
    notes: list[str] = field(default_factory=list)
    #: True while the PDF is laid out (the wypis page count is then printed by CSS)
    pdf_mode: bool = False

    @property
    def issued_on(self) -> dt.date:
        """The day the extract is issued: its stamp duty is the one in force that day,
        whatever the date (``as_of``) of the plans it shows."""
        return self.generated_at.date()

    @property
    def wypis_pages_markup(self) -> str:
        if self.pdf_mode:
            return mark_safe('<span class="wypis-page-count"></span>')
        return str(self.fee.wypis_pages) if self.fee else ""

    @property
    def general_plan_only(self) -> bool:
        """True when no local plan covers any of the parcels (the extract is from the POG)."""
        return all(s.report["totals"]["basis"] == "pog_zone" for s in self.sections) and any(
            s.report["plans"] for s in self.sections
        )

    @property
    def title(self) -> str:
        if self.general_plan_only:
            return _("Extract and map extract from the general plan of the municipality")
        return _("Extract and map extract from the local spatial development plan")


def _register(identifiers: list[str]) -> dict[str, dict[str, Any]]:
    rows = (
        Parcel.objects.filter(identifier__in=identifiers)
        .select_related("precinct", "precinct__district")
        .prefetch_related("addresses")
    )
    out = {}
    for p in rows:
        out[p.identifier] = {
            "identifier": p.identifier,
            "number": p.number,
            "precinct": f"{p.precinct.unit}.{p.precinct.code}"
            + (f" {p.precinct.name}" if p.precinct.name else ""),
            "district": p.precinct.district.name if p.precinct.district else "",
            "area": p.area,
            "land_use": p.land_use,
            "addresses": sorted(a.label for a in p.addresses.all()),
        }
    return out


def number(value: float | int | Decimal | None) -> str:
    """A number in the active language's format with only the decimals it has
    (``1.2`` → ``1,2``, ``12000`` → ``12 000`` in Polish); empty for None."""
    if value is None:
        return ""
    exact = Decimal(str(value)).normalize()
    places = max(0, -exact.as_tuple().exponent)  # type: ignore[operator]
    return formats.number_format(exact, decimal_pos=places, use_l10n=True, force_grouping=True)


def _decorate(report: dict[str, Any], acts: dict[int, list[LegalAct]]) -> None:
    """Add display rows (parameters with units, derived figures, purpose, resolutions)."""
    for plan in report["plans"]:
        plan["acts"] = acts.get(plan["id"], [])
        for zone in plan["zones"]:
            params = zone["parameters"]
            zone["parameter_rows"] = [
                {
                    "label": str(label),
                    "value": params.get(name),
                    "display": number(params.get(name)),
                    "unit": unit,
                }
                for name, label, unit in PARAMETERS
            ]
            zone["derived_rows"] = [
                {"label": str(label), "value": zone["derived"].get(name)} for name, label in DERIVED
            ]
            symbol = zone["symbol"] or zone["designation"]
            zone["colour"] = symbology.zone_colour(symbol)
            use = symbology.CLASSES[symbology.zone_class(symbol)]
            zone["purpose"] = zone["name"] or str(use.label)
            zone["share_pct"] = None if zone["share"] is None else zone["share"] * 100
        plan["share_pct"] = None if plan["share"] is None else plan["share"] * 100
    for c in report["constraints"]:
        c["share_pct"] = None if c["share"] is None else c["share"] * 100
    conf = report["configuration"]
    conf["min_area_display"] = number(conf["min_area"])
    conf["min_share_pct_display"] = number(round(conf["min_share"] * 100, 4))
    report["total_rows"] = [
        {"label": str(label), "value": report["totals"].get(name)} for name, label in DERIVED
    ]


def build(identifiers: list[str], as_of: dt.date | None = None) -> Wypis:
    """The wypis data for the parcels (in the given order); raises :class:`ParcelsNotFound`
    naming the identifiers that are not in the register."""
    as_of = as_of or dt.date.today()
    ids = list(dict.fromkeys(identifiers))
    register = _register(ids)
    missing = [i for i in ids if i not in register]
    if missing:
        raise ParcelsNotFound(missing)
    reports = {i: parcel_report_full(i, as_of) for i in ids}
    plan_ids = {p["id"] for r in reports.values() if r for p in r["plans"]}
    acts: dict[int, list[LegalAct]] = {}
    for act in LegalAct.objects.filter(
        plan_id__in=plan_ids, kind__in=[LegalAct.Kind.ADOPTION, LegalAct.Kind.AMENDMENT]
    ):
        acts.setdefault(act.plan_id, []).append(act)
    sections = []
    for n, i in enumerate(ids):
        report = reports[i]
        if report is None:  # deleted in between
            raise ParcelsNotFound([i])
        _decorate(report, acts)
        extract = map_extract([i], as_of, id_prefix=f"wyrys{n}")
        assert extract is not None
        legend = [{**row, "svg": legend_swatch(row, f"{n}")} for row in extract.legend]
        sections.append(ParcelSection(i, register[i], report, extract, legend))
    city = City.objects.order_by("id").values_list("name", flat=True).first() or ""
    issued = timezone.localtime()
    return Wypis(
        identifiers=ids,
        as_of=as_of,
        city=city,
        sections=sections,
        fees=fees_for(issued.date()),  # by the day of issue, not the plans' date
        generated_at=issued,
    )


# --- PDF -------------------------------------------------------------------------------------


def warm_up() -> bytes:
    """Import WeasyPrint and lay a tiny page out with the PDF's font: a web worker calls this
    when it starts (``config/wsgi.py``), so its first *wypis i wyrys* does not pay the import
    and font set-up. Returns the tiny PDF."""
    global _warm
    html = (
        '<html lang="pl"><head><title>Wypis i wyrys</title></head>'
        "<p style='font-family: \"DejaVu Sans\"'>Wypis i wyrys — zażółć gęślą jaźń</p></html>"
    )
    pdf = documents.render(html)
    _warm = True  # the forked layouts of this process start warm
    return pdf


def pdf_html(wypis: Wypis) -> str:
    return render_to_string("planning/wypis_pdf.html", {"w": wypis})


def _layout(wypis: Wypis) -> Any:
    return documents.lay_out(pdf_html(wypis))


def _page_counts(document: Any) -> tuple[int, int]:
    for index, page in enumerate(document.pages):
        if "wyrys-start" in page.anchors:
            return index, len(document.pages) - index
    return len(document.pages), 0


def _first_guess(wypis: Wypis) -> FeeCalculation:
    """The fee the first layout prints: the usual case (wypis ≤ 5 pages, one wyrys page per
    parcel)."""
    return extract_fee(1, len(wypis.sections), wypis.issued_on)


def lay_out(wypis: Wypis) -> Any:
    """Lay the PDF out with the stamp duty computed from its own page counts; sets
    ``wypis.fee`` and returns the WeasyPrint document.

    The wypis page count is printed by CSS (``target-counter`` of the ``wypis-end`` anchor), so
    it is always the laid-out one; the amounts and the wyrys page count come from Python: the
    first layout assumes the usual case (wypis up to 5 pages, one wyrys page per parcel) and is
    redone only when the layout shows otherwise."""
    guess = _first_guess(wypis)
    document = None
    for _attempt in range(4):
        wypis.fee = guess
        wypis.pdf_mode = True
        try:
            document = _layout(wypis)
        finally:
            wypis.pdf_mode = False
        fee = extract_fee(*_page_counts(document), wypis.issued_on)
        if (fee.wyrys_pages, fee.wypis, fee.total) == (guess.wyrys_pages, guess.wypis, guess.total):
            break
        guess = fee
    wypis.fee = fee
    return document


def render_pdf(wypis: Wypis) -> bytes:
    """The A4 PDF draft (bytes); ``wypis.fee`` holds the stamp duty for its page counts."""
    document = lay_out(wypis)
    return documents.write(document)


# --- bounded (web requests) ------------------------------------------------------------------

_warm = False


def _limits() -> dict[str, Any]:
    return {
        "cpu_seconds": float(getattr(settings, "MIASTO_PDF_CPU_S", 5)),
        "seconds": float(getattr(settings, "MIASTO_PDF_TIMEOUT_S", 15)),
        "memory_mb": int(getattr(settings, "MIASTO_PDF_MEMORY_MB", 300)),
    }


def _warm_parent() -> None:
    """Load WeasyPrint and its fonts in this process once, so that every forked layout
    starts warm (a web worker has done it at start, see :func:`warm_up`)."""
    if not _warm:
        warm_up()


def _pdf_and_fee(wypis: Wypis) -> tuple[bytes, FeeCalculation | None]:
    pdf = render_pdf(wypis)
    return pdf, wypis.fee


def _fee(wypis: Wypis) -> FeeCalculation | None:
    lay_out(wypis)
    return wypis.fee


def render_pdf_bounded(wypis: Wypis) -> bytes:
    """:func:`render_pdf` within the configured time and memory (raises
    :class:`miasto.core.limits.LimitExceeded`); sets ``wypis.fee`` and stores its page counts
    for the HTML page (:func:`lay_out_bounded`)."""
    key = layout_key(wypis)
    _warm_parent()
    pdf, wypis.fee = run_bounded(_pdf_and_fee, wypis, **_limits())
    _store_counts(key, wypis.fee)
    return pdf


def lay_out_bounded(wypis: Wypis) -> None:
    """The fee of the PDF (the HTML page): from the stored page counts of the same layout
    (:func:`layout_key`) when there are, else from :func:`lay_out` within the same bounds as
    the PDF — and then stored."""
    key = layout_key(wypis)
    counts = stored_counts(key)
    if counts is not None:
        wypis.fee = extract_fee(*counts, wypis.issued_on)
        return
    _warm_parent()
    wypis.fee = run_bounded(_fee, wypis, **_limits())
    _store_counts(key, wypis.fee)


# --- stored page counts ----------------------------------------------------------------------

#: Part of every layout key: raise it when the layout changes in a way the HTML does not show
#: (CSS outside the templates, fonts).
LAYOUT_VERSION = "1"
#: Stored page counts older than this many days are dropped (they are recomputed when needed).
LAYOUT_KEEP_DAYS = 30
#: The time printed in the PDF's page margin, fixed for the key: a margin box cannot move the
#: text of a page, so the page counts do not depend on it.
_KEY_TIME = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


@cache
def _renderer_version() -> str:
    return version("weasyprint")


def layout_key(wypis: Wypis) -> str:
    """The digest of everything the PDF's page counts follow from: the HTML that is laid out
    first (the report's data — parcels, plans, zones, buildings, constraints, register —, the
    templates and their language, the fee configuration printed in it; without the time
    stamp of the page margin), the renderer's version and :data:`LAYOUT_VERSION`. Equal keys,
    equal layouts: the counts stored under it are the real ones, not an estimate."""
    saved = (wypis.fee, wypis.generated_at, wypis.pdf_mode)
    wypis.fee, wypis.generated_at, wypis.pdf_mode = _first_guess(wypis), _KEY_TIME, True
    try:
        html = pdf_html(wypis)
    finally:
        wypis.fee, wypis.generated_at, wypis.pdf_mode = saved
    digest = hashlib.sha256(f"{LAYOUT_VERSION}\n{_renderer_version()}\n".encode())
    digest.update(html.encode())
    return digest.hexdigest()


def stored_counts(key: str) -> tuple[int, int] | None:
    """(wypis pages, wyrys pages) stored under ``key``, or None."""
    row = WypisLayout.objects.filter(key=key).values_list("wypis_pages", "wyrys_pages").first()
    return None if row is None else (row[0], row[1])


def _store_counts(key: str, fee: FeeCalculation | None) -> None:
    if fee is None:
        return
    WypisLayout.objects.bulk_create(
        [WypisLayout(key=key, wypis_pages=fee.wypis_pages, wyrys_pages=fee.wyrys_pages)],
        ignore_conflicts=True,  # (two requests laid the same report out at once)
    )
    old = timezone.now() - dt.timedelta(days=LAYOUT_KEEP_DAYS)
    WypisLayout.objects.filter(created_at__lt=old).delete()


def limit_message(exc: Any) -> str:
    """A Polish message for a layout over its limits."""
    what = "czasu" if exc.kind == "time" else "pamięci"
    return (
        f"Wypisu i wyrysu nie udało się przygotować w dopuszczalnym limicie {what} "
        f"({exc.seconds:g} s, {exc.memory_mb} MB). Spróbuj dla mniejszej liczby działek "
        "albo zgłoś problem administratorowi."
    )

"""Reads of the catalogue: visible datasets, facets, freshness, version features."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import CharField, Count, F, Func, Max, Q, QuerySet, Value
from django.utils import timezone
from django.utils.translation import gettext as _
from psycopg import sql

from miasto.core.db import fetch_all, fetch_one, fetch_value
from miasto.datahub import permissions
from miasto.datahub.files import FORMAT_NAMES
from miasto.datahub.models import Dataset, DatasetVersion
from miasto.datahub.vocabularies import FREQUENCY_PERIOD, Theme
from miasto.territory import codes
from miasto.territory.models import City


@dataclass
class CatalogueFilters:
    q: str = ""
    theme: str = ""
    owner: str = ""
    format: str = ""
    access: str = ""
    freshness: str = ""  # "stale" | "fresh" | ""
    target: str = ""
    #: the archived datasets instead (staff only: :func:`permissions.archived_q`); never set
    #: from the API's parameters
    archived: bool = False


def valid_filters(filters: CatalogueFilters) -> CatalogueFilters:
    """``filters`` with only values that exist kept (a hand-made URL cannot cause a 500)."""
    if filters.theme not in Theme.values:
        filters.theme = ""
    if filters.access not in Dataset.Access.values:
        filters.access = ""
    if filters.freshness not in ("fresh", "stale"):
        filters.freshness = ""
    return filters


def table_sql(table: str) -> sql.Identifier:
    """A table's name — ``schema.table`` (as :attr:`DatasetVersion.table_name` gives it) or a
    table of the search path — as a quoted SQL identifier."""
    return sql.Identifier(*table.split(".", 1))


def datasets_visible(user: Any) -> QuerySet[Dataset]:
    return Dataset.objects.filter(permissions.visible_q(user)).select_related("owner")


def _stale_q(now: datetime) -> Q:
    """Datasets whose current version is older than their update frequency allows."""
    q = Q(pk__in=[])
    for freq, period in FREQUENCY_PERIOD.items():
        if period is not None:
            q |= Q(frequency=freq, last_update__lt=now - period)
    return q


def datasets_archived(user: Any) -> QuerySet[Dataset]:
    return Dataset.objects.filter(permissions.archived_q(user)).select_related("owner")


def catalogue(user: Any, filters: CatalogueFilters) -> QuerySet[Dataset]:
    now = timezone.now()
    base = datasets_archived(user) if filters.archived else datasets_visible(user)
    qs = base.annotate(
        last_update=Max("versions__finished_at", filter=Q(versions__is_current=True)),
        version_count=Count("versions", filter=Q(versions__status=DatasetVersion.Status.READY)),
    )
    if filters.q:
        qs = qs.annotate(
            keywords_text=Func(
                F("keywords"), Value(" "), function="array_to_string", output_field=CharField()
            )
        )
        words = filters.q.split()[:8]
        for word in words:
            qs = qs.filter(
                Q(title_pl__icontains=word)
                | Q(title_en__icontains=word)
                | Q(description_pl__icontains=word)
                | Q(description_en__icontains=word)
                | Q(keywords_text__icontains=word)
                | Q(slug__icontains=word)
            )
    if filters.theme:
        qs = qs.filter(theme=filters.theme)
    if filters.owner:
        qs = qs.filter(owner__code=filters.owner)
    if filters.access:
        qs = qs.filter(access=filters.access)
    if filters.target:
        qs = qs.filter(target=filters.target)
    if filters.format:
        qs = qs.filter(versions__is_current=True, versions__format=filters.format)
    if filters.freshness == "stale":
        qs = qs.filter(_stale_q(now))
    elif filters.freshness == "fresh":
        # up to date: a current version that is not overdue (never "fresh" without data)
        qs = qs.filter(last_update__isnull=False).exclude(_stale_q(now))
    return qs.order_by("title_pl")


def facets(qs: QuerySet[Dataset]) -> dict[str, list[Mapping[str, Any]]]:
    """Counts per theme, owner, access level and current format over a filtered catalogue."""
    base = qs.order_by()
    return {
        "theme": list(
            base.values("theme").annotate(count=Count("id", distinct=True)).order_by("theme")
        ),
        "owner": list(
            base.values("owner__code", "owner__name")
            .annotate(count=Count("id", distinct=True))
            .order_by("owner__name")
        ),
        "access": list(
            base.values("access").annotate(count=Count("id", distinct=True)).order_by("access")
        ),
        "format": list(
            DatasetVersion.objects.filter(dataset__in=base.values("id"), is_current=True)
            .values("format")
            .annotate(count=Count("dataset", distinct=True))
            .order_by("format")
        ),
    }


def freshness(dataset: Dataset, last_update: Any, now: datetime) -> str:
    """``fresh``, ``stale``, ``unknown`` (no update frequency) or ``none`` (no version)."""
    period = FREQUENCY_PERIOD.get(dataset.frequency)
    if last_update is None:
        return "none"
    if period is None:
        return "unknown"
    return "stale" if last_update + period < now else "fresh"


def catalogue_results(page: Iterable[Dataset], language: str) -> list[dict[str, Any]]:
    """The rows of a catalogue page: each dataset (from :func:`catalogue`) with its title and
    description in ``language``, freshness, current version and its quality score."""
    now = timezone.now()
    datasets = list(page)
    ids = [d.pk for d in datasets]
    current = {
        v.dataset_id: v for v in DatasetVersion.objects.filter(dataset_id__in=ids, is_current=True)
    }
    return [
        {
            "dataset": d,
            "title": d.title(language),
            "description": d.description(language),
            "freshness": freshness(d, d.last_update, now),  # type: ignore[attr-defined]
            "current": current.get(d.pk),
            "score": current[d.pk].quality_score if d.pk in current else None,
        }
        for d in datasets
    ]


def facet_groups(
    user: Any, filters: CatalogueFilters, qs: QuerySet[Dataset]
) -> list[dict[str, Any]]:
    """The catalogue's facet groups — ``{param, label, items: [(value, label, count)]}`` —
    over ``qs``, the catalogue filtered by ``filters``."""
    counts = facets(qs)
    themes = dict(Theme.choices)
    access = dict(Dataset.Access.choices)
    return [
        {
            "param": "theme",
            "label": _("Theme"),
            "items": [
                (r["theme"], themes.get(r["theme"], r["theme"]), r["count"])
                for r in counts["theme"]
            ],
        },
        {
            "param": "owner",
            "label": _("Owner unit"),
            "items": [(r["owner__code"], r["owner__name"], r["count"]) for r in counts["owner"]],
        },
        {
            "param": "format",
            "label": _("Format"),
            "items": [
                (r["format"], FORMAT_NAMES.get(r["format"], r["format"]), r["count"])
                for r in counts["format"]
                if r["format"]
            ],
        },
        {
            "param": "access",
            "label": _("Access level"),
            "items": [
                (r["access"], access.get(r["access"], r["access"]), r["count"])
                for r in counts["access"]
            ],
        },
        {
            "param": "freshness",
            "label": _("Freshness"),
            "items": [
                ("fresh", _("up to date"), _freshness_count(user, filters, "fresh")),
                ("stale", _("stale"), _freshness_count(user, filters, "stale")),
            ],
        },
    ]


def _freshness_count(user: Any, filters: CatalogueFilters, state: str) -> int:
    """Datasets of the filtered catalogue in ``state``, the freshness filter itself aside
    (datasets without a version yet are neither)."""
    return catalogue(user, CatalogueFilters(**{**filters.__dict__, "freshness": state})).count()


def stale_datasets(user: Any, now: datetime | None = None) -> list[dict[str, Any]]:
    """Visible stale datasets, grouped by owner unit, oldest first."""
    now = now or timezone.now()
    qs = (
        datasets_visible(user)
        .annotate(last_update=Max("versions__finished_at", filter=Q(versions__is_current=True)))
        .filter(_stale_q(now))
        .order_by("owner__name", "last_update")
    )
    groups: dict[int, dict[str, Any]] = {}
    for ds in qs:
        period = FREQUENCY_PERIOD[ds.frequency]
        assert period is not None
        due = ds.last_update + period
        group = groups.setdefault(ds.owner_id, {"owner": ds.owner, "datasets": []})
        group["datasets"].append({"dataset": ds, "last_update": ds.last_update, "due": due,
                                  "overdue_days": (now - due).days})  # fmt: skip
    return list(groups.values())


def dataset_summary(dataset: Dataset, language: str = "pl") -> dict[str, Any]:
    current = dataset.current_version
    stale = dataset.stale_since()
    return {
        "slug": dataset.slug,
        "title": dataset.title(language),
        "title_pl": dataset.title_pl,
        "title_en": dataset.title_en,
        "description": dataset.description(language),
        "keywords": dataset.keywords,
        "theme": dataset.theme,
        "owner": {"code": dataset.owner.code, "name": dataset.owner.name},
        "contact_point": {"name": dataset.contact_name, "email": dataset.contact_email},
        "licence": dataset.licence,
        "frequency": dataset.frequency,
        "access": dataset.access,
        "target": dataset.target,
        "spatial_coverage": coverage_bbox(dataset),
        "temporal_coverage": {
            "start": dataset.temporal_start.isoformat() if dataset.temporal_start else None,
            "end": dataset.temporal_end.isoformat() if dataset.temporal_end else None,
        },
        "modified": dataset.modified_at.isoformat(),
        "stale": stale is not None,
        "stale_since": stale.isoformat() if stale else None,
        "current_version": current.number if current else None,
        "feature_count": current.feature_count if current else None,
        "quality_score": current.quality_score if current else None,
    }


def version_summary(version: DatasetVersion) -> dict[str, Any]:
    return {
        "number": version.number,
        "status": version.status,
        "is_current": version.is_current,
        "created_at": version.created_at.isoformat(),
        "finished_at": version.finished_at.isoformat() if version.finished_at else None,
        "created_by": version.created_by.get_username() if version.created_by else None,
        "source": {
            "name": version.source_name,
            "sha256": version.source_sha256,
            "size": version.source_size,
            "format": version.format,
            "crs": version.source_crs,
        },
        "feature_count": version.feature_count,
        "duration_s": version.duration,
        "geometry_type": version.geometry_type,
        "quality_score": version.quality_score,
        "note": version.note,
    }


def version_features(
    version: DatasetVersion, *, limit: int = 50, offset: int = 0
) -> tuple[list[str], list[list[Any]]]:
    """A page of a version's attribute table (no geometry), ordered by feature id."""
    names = [a["name"] for a in version.attributes if a.get("name") not in (None, "geom")]
    columns = ["fid", *[n for n in names if n != "fid"]]
    select = sql.SQL(", ").join(sql.SQL("t.{}::text").format(sql.Identifier(c)) for c in columns)
    query = sql.SQL("SELECT {} FROM {} t ORDER BY t.fid LIMIT %s OFFSET %s").format(
        select, table_sql(version.table_name)
    )
    return columns, [list(r) for r in fetch_all(query, [limit, offset])]


def field_labels(version: DatasetVersion) -> dict[str, str]:
    """``{column: the file's name}`` of the attributes that got a column of their own at
    import (an empty name, one longer than 63 bytes, ``fid``…: :mod:`miasto.datahub.columns`)."""
    return {a["name"]: a["label"] for a in version.attributes if "label" in a and a.get("name")}


@dataclass(frozen=True)
class Cell:
    """A value of the attribute table: ``text`` to show and, when it stands for a code of the
    spine's lists, the ``code`` (shown on hover)."""

    text: str
    code: str = ""


def spine_fields(dataset: Dataset, columns: list[str]) -> dict[str, str]:
    """``{column: spine field}`` of a spine dataset's table: the columns its field mapping
    names, and the columns named like a field of the target layer."""
    if dataset.target not in codes.MODELS:
        return {}
    by_lower = {c.lower(): c for c in columns}
    fields: dict[str, str] = {}
    for field, source in (dataset.field_mapping or {}).items():
        column = by_lower.get(str(source).lower())
        if column is not None:
            fields[column] = str(field)
    names = {f.name for f in codes.MODELS[dataset.target]._meta.get_fields()}
    for column in columns:
        if column not in fields and column.lower() in names:
            fields[column] = column.lower()
    return fields


def labelled_table(
    dataset: Dataset, version: DatasetVersion, columns: list[str], rows: list[list[Any]]
) -> tuple[list[Cell], list[list[Cell]]]:
    """The attribute table in plain words: each column named by the spine field it feeds
    (``funkcja`` → "Funkcja", the file's name on hover) or by the file's own name, each coded
    value of a spine field in words ("single_family" → "dom jednorodzinny", the code on
    hover)."""
    labels = field_labels(version)
    fields = spine_fields(dataset, columns)
    headers = []
    for column in columns:
        field = fields.get(column)
        if field is not None:
            name = codes.field_label(dataset.target, field)
            headers.append(Cell(name[:1].upper() + name[1:], column))
        else:
            headers.append(Cell(labels.get(column, column) or _("(no name)")))
    table = []
    for row in rows:
        cells = []
        for column, value in zip(columns, row, strict=True):
            field = fields.get(column)
            text = "" if value is None else str(value)
            named = codes.value_label(dataset.target, field, value) if field else text
            cells.append(Cell(named, text if named != text else ""))
        table.append(cells)
    return headers, table


def city_boundary() -> Any:
    """The city's boundary (a MultiPolygon in the storage CRS), or None before the city exists."""
    city = City.objects.only("geom").first()
    return city.geom if city else None


def version_extent(version: DatasetVersion) -> Any:
    """The bounding box of a version's features as a MultiPolygon (grown by 1 m, so that a
    single point or a straight line still gives an area), or None for an empty table."""
    from django.contrib.gis.geos import GEOSGeometry

    wkb = fetch_value(
        sql.SQL(
            "SELECT ST_AsEWKB(ST_Multi(ST_SetSRID(ST_Expand(ST_Extent(t.geom), 1)::geometry, "
            "%s))) FROM {} t"
        ).format(table_sql(version.table_name)),
        [settings.MIASTO_SRID],
    )
    if wkb is None:
        return None
    return GEOSGeometry(memoryview(bytes(wkb)))


def extent_4326(table: str) -> list[float] | None:
    """The extent of a table's ``geom`` (``schema.table`` or a table of the public schema) in
    CRS84, or None for an empty table."""
    row = fetch_one(
        sql.SQL(
            "SELECT ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b) FROM (SELECT "
            "ST_Transform(ST_SetSRID(ST_Extent(geom)::geometry, ST_SRID(min(geom))), 4326) b "
            "FROM {}) x"
        ).format(table_sql(table))
    )
    if not row or row[0] is None:
        return None
    return [round(float(v), 6) for v in row]


#: about how many features a dataset's map preview opens with: with the tiles around the
#: view, a preview then loads well under 500 KB (docs/datahub.md "Map preview")
PREVIEW_FEATURES = 600


@dataclass(frozen=True)
class PreviewArea:
    """Where a dataset's map preview opens: ``bbox`` (CRS84) holds about
    :data:`PREVIEW_FEATURES` features around a feature near the middle of the data, or all of
    them (``sampled`` False); ``extent`` is the whole data's."""

    extent: list[float]
    bbox: list[float]
    sampled: bool


def _count_in_box(table: str, box: tuple[float, float, float, float], srid: int, cap: int) -> int:
    """How many features of ``table`` touch the box (stops counting at ``cap``)."""
    value = fetch_value(
        sql.SQL(
            "SELECT count(*) FROM (SELECT 1 FROM {} t WHERE t.geom && "
            "ST_MakeEnvelope(%s, %s, %s, %s, %s) LIMIT %s) x"
        ).format(table_sql(table)),
        [*box, srid, cap],
    )
    return int(value or 0)


def _to_crs84(box: tuple[float, float, float, float], srid: int) -> list[float]:
    row = fetch_one(
        "SELECT ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b) FROM (SELECT "
        "ST_Transform(ST_MakeEnvelope(%s, %s, %s, %s, %s), 4326) b) x",
        [*box, srid],
    )
    return [round(float(v), 6) for v in row or ()]


def preview_area(table: str, *, target: int = PREVIEW_FEATURES) -> PreviewArea | None:
    """The area a dataset's map preview opens on (see :class:`PreviewArea`), or None for an
    empty table. A square around the feature nearest the middle of the extent, sized for
    ``target`` features as if they were spread evenly, then halved while it holds more than
    twice as many (a dense centre) — each count an index scan stopped early."""
    row = fetch_one(
        sql.SQL(
            "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e), srid FROM (SELECT "
            "ST_Extent(geom)::geometry e, ST_SRID(min(geom)) srid FROM {}) x"
        ).format(table_sql(table))
    )
    if not row or row[0] is None:
        return None
    x0, y0, x1, y1 = (float(v) for v in row[:4])
    srid = int(row[4])
    extent = (x0, y0, x1, y1)
    cap = 4 * target
    total = _count_in_box(table, extent, srid, cap)
    if total <= 2 * target:
        whole = _to_crs84(extent, srid)
        return PreviewArea(extent=whole, bbox=whole, sampled=False)
    centre = fetch_one(
        sql.SQL(
            "SELECT ST_X(c), ST_Y(c) FROM (SELECT ST_Centroid(ST_Envelope(t.geom)) c FROM {} t "
            "ORDER BY t.geom <-> ST_SetSRID(ST_MakePoint(%s, %s), %s) LIMIT 1) x"
        ).format(table_sql(table)),
        [(x0 + x1) / 2, (y0 + y1) / 2, srid],
    )
    cx, cy = float(centre[0]), float(centre[1])  # type: ignore[index]
    # (the whole count is known only up to the cap: the first square is at most this big)
    area = max((x1 - x0) * (y1 - y0), 1.0)
    half = max((area * target / cap) ** 0.5 / 2, 5.0)
    box = (cx - half, cy - half, cx + half, cy + half)
    for _step in range(12):
        if _count_in_box(table, box, srid, cap) <= 2 * target or half <= 5.0:
            break
        half /= 2
        box = (cx - half, cy - half, cx + half, cy + half)
    return PreviewArea(extent=_to_crs84(extent, srid), bbox=_to_crs84(box, srid), sampled=True)


def coverage_bbox(dataset: Dataset) -> list[float] | None:
    """The declared spatial coverage (``dct:spatial``) as a CRS84 bounding box
    ``[west, south, east, north]``, or None."""
    if dataset.spatial_coverage is None:
        return None
    geom = dataset.spatial_coverage.transform(4326, clone=True)
    return [round(v, 6) for v in geom.extent]

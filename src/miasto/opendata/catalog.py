"""What the open catalogue publishes: the public datasets of the data hub, each with its
resources — a file per export format and the API endpoints that serve it — read through the
data hub's selectors. DCAT (:mod:`miasto.opendata.dcat`) and CKAN
(:mod:`miasto.opendata.ckan`) are two spellings of these records.

Only what an anonymous visitor may see is published: public, not archived datasets
(:func:`miasto.datahub.selectors.datasets_visible` for an anonymous user); internal and
restricted datasets never appear, and only accepted (ready) current versions give files.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Max, Min, Prefetch, QuerySet

from miasto.datahub import selectors
from miasto.datahub.exports import EXPORT_FORMATS
from miasto.datahub.models import Dataset, DatasetVersion
from miasto.territory.models import City

#: export format → (title, EU file-type code, IANA media type)
DOWNLOADS: dict[str, tuple[str, str, str]] = {
    "gpkg": ("GeoPackage", "GPKG", "application/geopackage+sqlite3"),
    "geojson": ("GeoJSON", "GEOJSON", "application/geo+json"),
    "csv": ("CSV (WKT)", "CSV", "text/csv"),
    "shp": ("Shapefile (ZIP)", "SHP", "application/zip"),
}
assert set(DOWNLOADS) == set(EXPORT_FORMATS), "every export format is published"


def ogcapi_collection_path(slug: str) -> str:
    """The OGC API Features collection of a dataset (one place to switch to ``reverse()``
    once the ``ogcapi`` URLs exist)."""
    return f"/ogcapi/collections/{slug}"


@dataclass(frozen=True)
class Service:
    """An API that serves datasets (``dcat:DataService``)."""

    key: str
    title: str
    endpoint: str
    description_url: str
    conforms_to: str
    file_type: str
    media_type: str


SERVICES: dict[str, Service] = {
    s.key: s
    for s in (
        Service(
            "ogcapi",
            "OGC API Features",
            "/ogcapi/",
            "/ogcapi/api",
            "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
            "GEOJSON",
            "application/geo+json",
        ),
        Service(
            "wfs",
            "WFS 2.0",
            "/wfs",
            "/wfs?SERVICE=WFS&REQUEST=GetCapabilities",
            "http://www.opengis.net/def/serviceType/ogc/wfs",
            "GML",
            "application/gml+xml",
        ),
        Service(
            "api",
            "Miasto API /api/v1",
            "/api/v1/",
            "/api/v1/openapi.json",
            "https://spec.openapis.org/oas/v3.0.3",
            "JSON",
            "application/json",
        ),
    )
}
#: the catalogue's own API (serves metadata of every dataset)
CKAN_SERVICE = Service(
    "ckan",
    "CKAN Action API",
    "/api/3/action/",
    "/api/3/action/status_show",
    "https://docs.ckan.org/en/2.10/api/",
    "JSON",
    "application/json",
)


@dataclass(frozen=True)
class Resource:
    """One way to get a dataset: a file (``service`` None) or an API endpoint."""

    key: str
    name: str
    url: str
    file_type: str
    media_type: str
    service: str | None = None

    @property
    def format_label(self) -> str:
        return DOWNLOADS[self.key][0].split(" ")[0] if self.key in DOWNLOADS else self.name


@dataclass(frozen=True)
class Entry:
    """A public dataset as the catalogue publishes it."""

    dataset: Dataset
    current: DatasetVersion | None
    resources: tuple[Resource, ...]

    @property
    def slug(self) -> str:
        return self.dataset.slug

    @property
    def modified(self) -> datetime:
        """The later of the metadata's change and the current version's import."""
        finished = self.current.finished_at if self.current else None
        return max(self.dataset.modified_at, finished) if finished else self.dataset.modified_at


def resources_of(dataset: Dataset, current: DatasetVersion | None) -> tuple[Resource, ...]:
    """The files of the current version and the APIs serving it (none without a ready
    current version); the dataset's own JSON metadata always."""
    slug = dataset.slug
    found: list[Resource] = []
    if current is not None and current.status == DatasetVersion.Status.READY:
        for fmt, (title, file_type, media_type) in DOWNLOADS.items():
            url = f"/api/v1/datasets/{slug}/download?format={fmt}"
            found.append(Resource(fmt, title, url, file_type, media_type))
        for key in ("ogcapi", "wfs"):
            service = SERVICES[key]
            url = ogcapi_collection_path(slug) if key == "ogcapi" else service.description_url
            found.append(
                Resource(key, service.title, url, service.file_type, service.media_type, key)
            )
    api = SERVICES["api"]
    found.append(
        Resource("api", api.title, f"/api/v1/datasets/{slug}", api.file_type, api.media_type, "api")
    )
    return tuple(found)


def public_datasets(q: str = "") -> QuerySet[Dataset]:
    """The public datasets (those an anonymous visitor sees), matching ``q`` when given,
    with their current version prefetched."""
    qs = selectors.catalogue(AnonymousUser(), selectors.CatalogueFilters(q=q))
    current = DatasetVersion.objects.filter(is_current=True)
    return qs.prefetch_related(Prefetch("versions", queryset=current, to_attr="current_list"))


def entry_of(dataset: Dataset) -> Entry:
    current_list: list[DatasetVersion] = getattr(dataset, "current_list", None) or [
        v for v in [dataset.current_version] if v is not None
    ]
    current = current_list[0] if current_list else None
    return Entry(dataset, current, resources_of(dataset, current))


def public_entries(q: str = "") -> list[Entry]:
    return [entry_of(d) for d in public_datasets(q).order_by("slug")]


def public_entry(slug: str) -> Entry | None:
    dataset = public_datasets().filter(slug=slug[:80]).first()
    return entry_of(dataset) if dataset is not None else None


def catalogue_dates() -> dict[str, Any]:
    """When the public catalogue began and last changed (None when empty)."""
    return dict(
        public_datasets()
        .order_by()
        .aggregate(issued=Min("created_at"), modified=Max("modified_at"))
    )


def city() -> City | None:
    """The city (publisher of the catalogue), or None before one exists."""
    return City.objects.order_by("pk").first()


def coverage_bbox(dataset: Dataset) -> list[float] | None:
    """The declared spatial coverage as a CRS84 bounding box (``[w, s, e, n]``) or None."""
    return selectors.coverage_bbox(dataset)

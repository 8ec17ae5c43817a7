"""The DCAT-AP-PL catalogue of the public datasets as an RDF graph (rdflib), served as
Turtle, RDF/XML and JSON-LD (``/catalog.ttl``, ``/catalog.rdf``, ``/catalog.jsonld``).

- ``dcat:Catalog`` — the city's open data catalogue, published by the city;
- ``dcat:Dataset`` per public dataset (:mod:`miasto.opendata.catalog`): titles and
  descriptions (pl, en), identifier, publisher (the owner unit, a ``foaf:Agent``), contact
  point (``vcard:Organization``), licence, access rights, frequency (EU frequency table),
  spatial coverage (``locn:geometry`` as WKT and GeoJSON, ``dcat:bbox``), temporal coverage,
  theme (EU data themes), keywords, dates, language, landing page, version;
- ``dcat:Distribution`` per export format (``dcat:downloadURL``, ``dcat:mediaType`` from
  IANA, ``dct:format`` from the EU file-type table, licence) and per API endpoint
  (``dcat:accessURL`` and ``dcat:accessService``);
- ``dcat:DataService`` for OGC API Features, WFS, the ``/api/v1`` API and the CKAN API.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, RDF, SKOS, XSD

from miasto.datahub.vocabularies import LICENCE_URI, Licence, frequency_uri, theme_uri
from miasto.opendata import catalog
from miasto.opendata.catalog import Entry, Resource, Service

LOCN = Namespace("http://www.w3.org/ns/locn#")
GSP = Namespace("http://www.opengis.net/ont/geosparql#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
EU = "http://publications.europa.eu/resource/authority"
POLISH = URIRef(f"{EU}/language/POL")
PUBLIC = URIRef(f"{EU}/access-right/PUBLIC")
LOCAL_AUTHORITY = URIRef("http://purl.org/adms/publishertype/LocalAuthority")
CATALOGUE_LICENCE = URIRef(LICENCE_URI[Licence.CC_BY_4])
IANA = "http://www.iana.org/assignments/media-types/"

#: serialisation → (rdflib format, content type)
FORMATS: dict[str, tuple[str, str]] = {
    "ttl": ("turtle", "text/turtle; charset=utf-8"),
    "rdf": ("xml", "application/rdf+xml; charset=utf-8"),
    "jsonld": ("json-ld", "application/ld+json; charset=utf-8"),
}


def licence_uri(code: str) -> URIRef | None:
    """The licence's URI (None for "internal use only", which has none)."""
    uri = LICENCE_URI.get(Licence(code), "") if code in Licence.values else ""
    return URIRef(uri) if uri else None


def _dt(value: datetime | date) -> Literal:
    if isinstance(value, datetime):
        return Literal(value.replace(microsecond=0).isoformat(), datatype=XSD.dateTime)
    return Literal(value.isoformat(), datatype=XSD.date)


class CatalogueGraph:
    """Builds the graph for one site address (``base``: ``https://host``, no trailing
    slash)."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.graph = Graph()
        for prefix, ns in (
            ("dcat", DCAT), ("dct", DCTERMS), ("foaf", FOAF), ("vcard", VCARD), ("locn", LOCN),
            ("gsp", GSP), ("adms", ADMS), ("skos", SKOS), ("owl", OWL),
        ):  # fmt: skip
            self.graph.bind(prefix, ns)
        self.catalog = URIRef(f"{base}/catalog")
        #: the city's boundary, described once (the coverage of datasets that declare none)
        self.city_location: BNode | None = None

    def uri(self, path: str) -> URIRef:
        return URIRef(self.base + path)

    def add(self, subject: Any, predicate: Any, obj: Any) -> None:
        self.graph.add((subject, predicate, obj))

    # --- the parts ------------------------------------------------------------------------

    def build(self) -> Graph:
        entries = catalog.public_entries()
        self.catalogue(entries)  # first: the datasets refer to the city's location
        for entry in entries:
            self.add(self.catalog, DCAT.dataset, self.dataset(entry))
        for service in (*catalog.SERVICES.values(), catalog.CKAN_SERVICE):
            served = [e for e in entries if any(r.service == service.key for r in e.resources)]
            if service.key == "ckan":
                served = entries
            node = self.service(service, served)
            self.add(self.catalog, DCAT.service, node)
        return self.graph

    def catalogue(self, entries: list[Entry]) -> None:
        c = self.catalog
        city = catalog.city()
        name = city.name if city else "Miasto"
        self.add(c, RDF.type, DCAT.Catalog)
        self.add(c, DCTERMS.title, Literal(f"Otwarte dane: {name}", lang="pl"))
        self.add(c, DCTERMS.title, Literal(f"Open data: {name}", lang="en"))
        about_pl = (
            f"Zbiory danych publicznych udostępniane przez {name} w platformie Miasto: "
            "pliki do pobrania oraz usługi OGC API Features, WFS i API JSON."
        )
        about_en = f"Public datasets published by {name} on the Miasto platform."
        self.add(c, DCTERMS.description, Literal(about_pl, lang="pl"))
        self.add(c, DCTERMS.description, Literal(about_en, lang="en"))
        publisher = self.uri("/#publisher")
        self.add(c, DCTERMS.publisher, publisher)
        self.add(publisher, RDF.type, FOAF.Agent)
        self.add(publisher, FOAF.name, Literal(name, lang="pl"))
        self.add(publisher, DCTERMS.type, LOCAL_AUTHORITY)
        if city is not None:
            self.add(publisher, DCTERMS.identifier, Literal(city.teryt))
        self.add(c, FOAF.homepage, self.uri("/dane/"))
        self.add(c, DCTERMS.language, POLISH)
        self.add(c, DCTERMS.license, CATALOGUE_LICENCE)
        self.add(c, DCAT.themeTaxonomy, URIRef(f"{EU}/data-theme"))
        dates = catalog.catalogue_dates()
        if dates.get("issued"):
            self.add(c, DCTERMS.issued, _dt(dates["issued"]))
        modified = max((e.modified for e in entries), default=dates.get("modified"))
        if modified:
            self.add(c, DCTERMS.modified, _dt(modified))
        if city is not None:
            self.city_location = self.location(city.geom.transform(4326, clone=True))
            self.add(self.city_location, DCTERMS.identifier, Literal(city.teryt))
            self.add(c, DCTERMS.spatial, self.city_location)

    def location(self, geom: Any) -> BNode:
        node = BNode()
        self.add(node, RDF.type, DCTERMS.Location)
        self.add(node, LOCN.geometry, Literal(geom.wkt, datatype=GSP.wktLiteral))
        self.add(node, LOCN.geometry, Literal(geom.geojson, datatype=GSP.geoJSONLiteral))
        w, s, e, n = geom.extent
        bbox = f"POLYGON(({w} {s},{e} {s},{e} {n},{w} {n},{w} {s}))"
        self.add(node, DCAT.bbox, Literal(bbox, datatype=GSP.wktLiteral))
        return node

    def dataset(self, entry: Entry) -> URIRef:
        ds = entry.dataset
        node = self.uri(f"/dane/{ds.slug}/#dataset")
        self.add(node, RDF.type, DCAT.Dataset)
        self.add(node, DCTERMS.title, Literal(ds.title_pl, lang="pl"))
        self.add(node, DCTERMS.description, Literal(ds.description_pl or ds.title_pl, lang="pl"))
        if ds.title_en:
            self.add(node, DCTERMS.title, Literal(ds.title_en, lang="en"))
        if ds.description_en:
            self.add(node, DCTERMS.description, Literal(ds.description_en, lang="en"))
        self.add(node, DCTERMS.identifier, Literal(ds.slug))
        self.add(node, DCTERMS.publisher, self.agent(ds.owner))
        self.add(node, DCAT.contactPoint, self.contact(entry))
        self.add(node, DCTERMS.accessRights, PUBLIC)
        if licence := licence_uri(ds.licence):
            self.add(node, DCTERMS.license, licence)
        self.add(node, DCTERMS.accrualPeriodicity, URIRef(frequency_uri(ds.frequency)))
        self.add(node, DCAT.theme, URIRef(theme_uri(ds.theme)))
        for keyword in ds.keywords:
            self.add(node, DCAT.keyword, Literal(keyword, lang="pl"))
        self.add(node, DCTERMS.issued, _dt(ds.created_at))
        self.add(node, DCTERMS.modified, _dt(entry.modified))
        self.add(node, DCTERMS.language, POLISH)
        self.add(node, DCAT.landingPage, self.uri(f"/dane/{ds.slug}/"))
        self.coverage(node, entry)
        if entry.current is not None:
            self.add(node, OWL.versionInfo, Literal(str(entry.current.number)))
        for resource in entry.resources:
            self.add(node, DCAT.distribution, self.distribution(entry, resource))
        return node

    def coverage(self, node: URIRef, entry: Entry) -> None:
        """The declared spatial coverage, else the city's (a municipality's data covers the
        municipality); the temporal coverage when given."""
        declared = entry.dataset.spatial_coverage
        if declared is not None:
            self.add(node, DCTERMS.spatial, self.location(declared.transform(4326, clone=True)))
        elif self.city_location is not None:
            self.add(node, DCTERMS.spatial, self.city_location)
        ds = entry.dataset
        if ds.temporal_start or ds.temporal_end:
            period = BNode()
            self.add(period, RDF.type, DCTERMS.PeriodOfTime)
            if ds.temporal_start:
                self.add(period, DCAT.startDate, _dt(ds.temporal_start))
            if ds.temporal_end:
                self.add(period, DCAT.endDate, _dt(ds.temporal_end))
            self.add(node, DCTERMS.temporal, period)

    def agent(self, unit: Any) -> URIRef:
        node = self.uri(f"/dane/?owner={unit.code}")
        self.add(node, RDF.type, FOAF.Agent)
        self.add(node, FOAF.name, Literal(unit.name, lang="pl"))
        self.add(node, DCTERMS.identifier, Literal(unit.code))
        self.add(node, DCTERMS.type, LOCAL_AUTHORITY)
        if unit.email:
            self.add(node, FOAF.mbox, URIRef(f"mailto:{unit.email}"))
        return node

    def contact(self, entry: Entry) -> URIRef:
        ds = entry.dataset
        node = self.uri(f"/dane/{ds.slug}/#contact")
        self.add(node, RDF.type, VCARD.Organization)
        self.add(node, VCARD.fn, Literal(ds.contact_name or ds.owner.name))
        email = ds.contact_email or ds.owner.email
        if email:
            self.add(node, VCARD.hasEmail, URIRef(f"mailto:{email}"))
        self.add(node, VCARD.hasURL, self.uri(f"/dane/{ds.slug}/"))
        return node

    def distribution(self, entry: Entry, resource: Resource) -> URIRef:
        ds = entry.dataset
        node = self.uri(f"/dane/{ds.slug}/#distribution-{resource.key}")
        url = self.uri(resource.url)
        self.add(node, RDF.type, DCAT.Distribution)
        self.add(node, DCTERMS.title, Literal(f"{ds.title_pl} — {resource.name}", lang="pl"))
        self.add(node, DCAT.accessURL, url)
        if resource.service is None:
            self.add(node, DCAT.downloadURL, url)
        else:
            self.add(node, DCAT.accessService, self.service_uri(resource.service))
        self.add(node, DCAT.mediaType, URIRef(IANA + resource.media_type))
        self.add(node, DCTERMS.format, URIRef(f"{EU}/file-type/{resource.file_type}"))
        if licence := licence_uri(ds.licence):
            self.add(node, DCTERMS.license, licence)
        self.add(node, DCTERMS.modified, _dt(entry.modified))
        return node

    def service_uri(self, key: str) -> URIRef:
        service = catalog.CKAN_SERVICE if key == "ckan" else catalog.SERVICES[key]
        return self.uri(f"{service.endpoint}#service")

    def service(self, service: Service, served: list[Entry]) -> URIRef:
        node = self.service_uri(service.key)
        self.add(node, RDF.type, DCAT.DataService)
        self.add(node, DCTERMS.title, Literal(service.title))
        self.add(node, DCAT.endpointURL, self.uri(service.endpoint))
        self.add(node, DCAT.endpointDescription, self.uri(service.description_url))
        self.add(node, DCTERMS.conformsTo, URIRef(service.conforms_to))
        self.add(node, DCTERMS.license, CATALOGUE_LICENCE)
        self.add(node, DCTERMS.accessRights, PUBLIC)
        for entry in served:
            self.add(node, DCAT.servesDataset, self.uri(f"/dane/{entry.slug}/#dataset"))
        return node


def catalogue_graph(base: str) -> Graph:
    return CatalogueGraph(base).build()


def serialise(graph: Graph, fmt: str) -> str:
    """The graph in ``fmt`` (a key of :data:`FORMATS`)."""
    rdf_format = FORMATS[fmt][0]
    if rdf_format == "json-ld":
        context = {prefix: str(ns) for prefix, ns in graph.namespaces() if prefix}
        return graph.serialize(format="json-ld", context=context, indent=1)
    return graph.serialize(format=rdf_format)

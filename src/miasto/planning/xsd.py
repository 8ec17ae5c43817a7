"""Offline XSD validation of APP 2.0 GML with the schemas shipped inside the package.

``schemas/`` (package data, installed with every Miasto) holds the official APP 2.0 schema
(``app/planowaniePrzestrzenne_2_0.xsd``) and every OGC/ISO/W3C schema it and the WFS 2.0
wrapper import, stored under their original URLs (``schemas.opengis.net/…``, ``www.w3.org/…``),
plus an OASIS ``catalog.xml`` for command-line tools (``xmllint --catalogs``). Origin and
licences: ``docs/third-party.md``.

An lxml resolver maps every schema URL to its packaged file and refuses anything else, and
the parser has ``no_network=True``: building the schema never touches the network. A missing
or broken schema is an error, never a silent "no validation". Depends only on lxml (no Django),
so an installed wheel can validate a file without settings.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

from lxml import etree

APP = "https://www.gov.pl/static/zagospodarowanieprzestrzenne/schemas/app/2.0"
APP_XSD_URL = f"{APP}/planowaniePrzestrzenne_2_0.xsd"
WFS = "http://www.opengis.net/wfs/2.0"
WFS_XSD_URL = "http://schemas.opengis.net/wfs/2.0/wfs.xsd"

#: the packaged schema folder (a real directory: lxml needs file names)
SCHEMAS_DIR = Path(__file__).resolve().parent / "schemas"
APP_XSD = SCHEMAS_DIR / "app" / "planowaniePrzestrzenne_2_0.xsd"
CATALOG = SCHEMAS_DIR / "catalog.xml"

#: schema URL prefix → packaged file or folder (mirrors ``catalog.xml``)
URL_MAP: dict[str, Path] = {
    "http://schemas.opengis.net/": SCHEMAS_DIR / "schemas.opengis.net",
    "https://schemas.opengis.net/": SCHEMAS_DIR / "schemas.opengis.net",
    "http://www.w3.org/1999/xlink.xsd": SCHEMAS_DIR / "www.w3.org/1999/xlink.xsd",
    "https://www.w3.org/1999/xlink.xsd": SCHEMAS_DIR / "www.w3.org/1999/xlink.xsd",
    "http://www.w3.org/2001/xml.xsd": SCHEMAS_DIR / "www.w3.org/2001/xml.xsd",
    "https://www.w3.org/2001/xml.xsd": SCHEMAS_DIR / "www.w3.org/2001/xml.xsd",
    APP_XSD_URL: APP_XSD,
}


class SchemaUnavailable(RuntimeError):
    """The packaged APP schema cannot be built (a broken installation, not bad input)."""


class OfflineResolver(etree.Resolver):
    """Maps schema URLs to the packaged files; refuses every other URL or file.

    ``requested`` records what libxml2 asked for (tests check nothing left the package)."""

    def __init__(self) -> None:
        super().__init__()
        self.requested: list[str] = []

    # (types-lxml allows a None url; lxml asks the resolver only for a named schema)
    def resolve(self, url: str, pubid: str | None, context: Any) -> Any:  # type: ignore[override]
        self.requested.append(url)
        for prefix, local in URL_MAP.items():
            if url.startswith(prefix):
                rest = url[len(prefix) :]
                return self.resolve_filename(str(local / rest if rest else local), context)
        path = url[len("file://") :] if url.startswith("file://") else url
        if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", path) and _inside_package(Path(path)):
            return None  # a relative include between packaged files: libxml2 reads it
        # anything else would need the network or a file outside Miasto: an empty document
        # makes the import fail loudly instead of being fetched
        return self.resolve_string("", context)


def _inside_package(path: Path) -> bool:
    try:
        return path.resolve().is_relative_to(SCHEMAS_DIR)
    except (OSError, ValueError):
        return False


def build_app_schema(resolver: OfflineResolver | None = None) -> etree.XMLSchema:
    """The APP 2.0 + WFS 2.0 schema, built from the packaged files.

    Raises :class:`SchemaUnavailable` when a file is missing or an import does not resolve."""
    if not APP_XSD.is_file() or not CATALOG.is_file():
        raise SchemaUnavailable(f"the packaged APP schemas are missing under {SCHEMAS_DIR}")
    parser = etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False)
    parser.resolvers.add(resolver or OfflineResolver())
    # a driver schema importing both: wfs:member is lax, so app:* members are checked strictly
    driver = f"""<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:import namespace="{WFS}" schemaLocation="{WFS_XSD_URL}"/>
  <xs:import namespace="{APP}" schemaLocation="{APP_XSD_URL}"/>
</xs:schema>"""
    try:
        schema = etree.XMLSchema(etree.fromstring(driver.encode(), parser))
    except etree.XMLSchemaParseError as exc:
        raise SchemaUnavailable(f"the packaged APP schema does not load: {exc}") from exc
    # libxml2 reports an unresolved xs:import only as a warning: any entry is a failure
    if len(schema.error_log):
        raise SchemaUnavailable(f"the packaged APP schema is incomplete: {schema.error_log}")
    return schema


@functools.lru_cache(maxsize=1)
def app_schema() -> etree.XMLSchema:
    """The APP 2.0 + WFS 2.0 schema, built once per process; never None."""
    return build_app_schema()


def xsd_errors(doc: etree._ElementTree | etree._Element) -> list[str]:
    """Schema errors (``wiersz N: …``, at most 50), [] if the document is valid."""
    schema = app_schema()
    if schema.validate(doc):
        return []
    return [f"wiersz {e.line}: {e.message}" for e in schema.error_log][:50]

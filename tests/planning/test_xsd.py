"""Offline XSD validation with the schemas shipped in the package (issue #13, part 6)."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from lxml import etree

from miasto.planning import xsd
from tests.planning.conftest import SAMPLES

REPO = Path(__file__).resolve().parents[2]
ACT = "pog_AktPlanowaniaPrzestrzennego.gml"
#: every shipped sample is schema-valid: their defects are topology and designation rules
VALID_SAMPLES = sorted(p.name for p in SAMPLES.glob("*.gml"))


@pytest.fixture
def no_network(monkeypatch):  # type: ignore[no-untyped-def]
    """Any attempt to open a connection or resolve a host fails the test."""

    def refuse(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_schemas_ship_inside_the_package():
    assert xsd.SCHEMAS_DIR.is_relative_to(REPO / "src" / "miasto" / "planning")
    assert xsd.APP_XSD.is_file() and xsd.CATALOG.is_file()
    assert len(list(xsd.SCHEMAS_DIR.rglob("*.xsd"))) == 86  # APP + 85 OGC/ISO/W3C files


def test_app_schema_is_always_available():
    assert xsd.app_schema() is not None


@pytest.mark.parametrize("name", VALID_SAMPLES)
def test_samples_validate(name):
    assert len(VALID_SAMPLES) == 9
    assert xsd.xsd_errors(etree.parse(str(SAMPLES / name))) == []


@pytest.mark.parametrize(
    ("replacements", "fragment"),
    [
        ({"<app:tytul>": "<app:tytulX>", "</app:tytul>": "</app:tytulX>"}, "tytulX"),
        ({"2025-07-31T13:56:28Z": "wczoraj"}, "dateTime"),
    ],
)
def test_broken_documents_are_refused(replacements, fragment):
    text = (SAMPLES / ACT).read_text()
    for old, new in replacements.items():
        assert old in text
        text = text.replace(old, new)
    errors = xsd.xsd_errors(etree.fromstring(text.encode()))
    assert errors and fragment in " ".join(errors)
    assert errors[0].startswith("wiersz ")


def test_building_the_schema_needs_no_network(no_network):
    resolver = xsd.OfflineResolver()
    schema = xsd.build_app_schema(resolver)
    assert schema.validate(etree.parse(str(SAMPLES / "strefy_OK.gml")))
    # every file libxml2 asked for was a mapped URL or a packaged file
    assert resolver.requested
    for url in resolver.requested:
        assert url.startswith(tuple(xsd.URL_MAP)) or Path(url).resolve().is_relative_to(
            xsd.SCHEMAS_DIR
        ), url


@pytest.mark.parametrize(
    "location",
    [
        "http://example.org/evil.xsd",
        "https://schemas.example.net/gml/3.2.1/gml.xsd",
        "/etc/passwd",
        "file:///etc/hostname",
    ],
)
def test_unmapped_imports_are_refused(no_network, location):
    parser = etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False)
    parser.resolvers.add(xsd.OfflineResolver())
    driver = f"""<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:import namespace="urn:x" schemaLocation="{location}"/></xs:schema>"""
    try:
        schema = etree.XMLSchema(etree.fromstring(driver.encode(), parser))
    except etree.XMLSchemaParseError:
        return
    assert len(schema.error_log)  # the import did not load: the build refuses such a schema


def test_a_missing_schema_is_an_error(monkeypatch, tmp_path):
    monkeypatch.setattr(xsd, "APP_XSD", tmp_path / "planowaniePrzestrzenne_2_0.xsd")
    with pytest.raises(xsd.SchemaUnavailable, match="missing"):
        xsd.build_app_schema()


def test_an_unresolvable_import_is_an_error(monkeypatch, tmp_path):
    bundle = tmp_path / "app.xsd"
    bundle.write_text(
        xsd.APP_XSD.read_text().replace(
            "http://schemas.opengis.net/gml/3.3/extdEncRule.xsd",
            "http://schemas.opengis.net/gml/3.3/missing.xsd",
        )
    )
    monkeypatch.setitem(xsd.URL_MAP, xsd.APP_XSD_URL, bundle)
    with pytest.raises(xsd.SchemaUnavailable):
        xsd.build_app_schema()


def test_no_path_outside_the_repository():
    """Code, tests, scripts and docs name no fixed machine path (the schemas used to live in
    a folder beside the checkout)."""
    forbidden = re.compile("/" + "work/|" + r"\.\./shared|" + "shared/" + "data")
    hits = []
    for folder in ("src", "tests", "bench", "scripts", "docs"):
        for path in (REPO / folder).rglob("*"):
            if path.suffix not in {".py", ".md", ".sh", ".toml", ".html", ".txt"}:
                continue
            for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
                if forbidden.search(line):
                    hits.append(f"{path.relative_to(REPO)}:{number}: {line.strip()}")
    assert hits == []


CATALOG_SNIPPET = """
import sys
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from lxml import etree
APP = "https://www.gov.pl/static/zagospodarowanieprzestrzenne/schemas/app/2.0"
driver = f'''<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:import namespace="http://www.opengis.net/wfs/2.0"
             schemaLocation="http://schemas.opengis.net/wfs/2.0/wfs.xsd"/>
  <xs:import namespace="{APP}" schemaLocation="{APP}/planowaniePrzestrzenne_2_0.xsd"/>
</xs:schema>'''
schema = etree.XMLSchema(etree.fromstring(driver.encode(), etree.XMLParser(no_network=True)))
assert len(schema.error_log) == 0, schema.error_log
assert schema.validate(etree.parse(sys.argv[1])), schema.error_log
print("ok")
"""


def test_catalog_maps_every_import(tmp_path):
    """catalog.xml alone (libxml2's own catalog lookup, no Miasto resolver) resolves the
    schema offline: the shipped folder works for other tools too."""
    env = {"XML_CATALOG_FILES": str(xsd.CATALOG), "PATH": os.environ.get("PATH", "")}
    done = subprocess.run(
        [sys.executable, "-c", CATALOG_SNIPPET, str(SAMPLES / "strefy_OK.gml")],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr


def test_system_check_reports_a_broken_installation(monkeypatch, tmp_path):
    from miasto.planning.checks import app_schema_check

    assert app_schema_check() == []
    monkeypatch.setattr(xsd, "APP_XSD", tmp_path / "planowaniePrzestrzenne_2_0.xsd")
    (error,) = app_schema_check()
    assert error.id == "planning.E001" and "unavailable" in error.msg
    with pytest.raises(SystemCheckError, match="planning.E001"):
        call_command("check")

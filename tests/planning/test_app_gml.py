"""APP 2.0 import of every sample, atomicity, hostile input, export (XSD) and round trip."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from lxml import etree

from miasto.planning import app_gml
from miasto.planning.models import LegalAct, Plan, PlanStatusChange, SpecialArea, Zone
from miasto.planning.services import PlanError, plan_import_app, plan_import_app_bytes

ACT = "pog_AktPlanowaniaPrzestrzennego.gml"
MODELS = (Plan, Zone, SpecialArea, LegalAct, PlanStatusChange)


def counts():
    return [m.objects.count() for m in MODELS]


@pytest.fixture
def pog(db, app_sample):
    return plan_import_app(path=app_sample(ACT)).plan


def test_act_imports(pog):
    assert pog.kind == "pog" and pog.local_id == "1POG"
    assert pog.namespace == "PL.ZIPPZP.1234/121201-POG"
    assert pog.status == "in_preparation"  # APP "elaboration"
    assert str(pog.valid_from) == "2025-08-15"
    # EPSG:2178 northing-first → EPSG:2180: a plausible area in central-east Poland
    assert 30e6 < pog.geom.area < 50e6
    x, y = pog.geom.centroid.coords
    assert 400_000 < x < 800_000 and 150_000 < y < 450_000


def test_zones_attach_to_the_act(pog, app_sample):
    result = plan_import_app(path=app_sample("strefy_OK.gml"))
    assert result.plan == pog and result.zones == 4
    sj = pog.zones.get(designation="1SJ")
    assert (sj.symbol, sj.max_intensity, sj.max_coverage) == ("SJ", Decimal("0.9"), Decimal("30.1"))
    assert sj.max_height == Decimal("15.5") and sj.min_bio_active == Decimal("30.1")
    assert sj.basic_profile == ["MN", "U", "K", "ZP", "ZD", "I"]
    assert abs(sum(z.geom.area for z in pog.zones.all()) - pog.geom.area) < 5


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("strefy_BLEDNE-OZNACZENIE.gml", ["1BLAD", "numer + symbol"]),
        ("strefy_BLEDNY-SYMBOL.gml", ["1SP", "symbol SZ nie zgadza się z oznaczeniem 1SP"]),
        ("strefy_DUPLIKAT-LOKALNYID.gml", ["1POG-1SU", "powtarza się"]),
        ("strefy_DWA-MIEJSCA-INTENSYWNOSC.gml", ["1SU", "0.95", "miejsca po przecinku"]),
        ("strefy_LUKA.gml", ["luka"]),
        ("strefy_NAKLADANIE.gml", ["1SJ", "1SZ", "nakładają się"]),
        ("strefy_SAMOPRZECIECIE-PIERSCIENIA.gml", ["1SJ", "samoprzecięcie"]),
    ],
)
def test_broken_samples_are_rejected_atomically(pog, app_sample, name, expected):
    before = counts()
    with pytest.raises(PlanError) as info:
        plan_import_app(path=app_sample(name))
    text = str(info.value)
    assert "nic nie zapisano" in text
    for fragment in expected:
        assert fragment in text
    assert counts() == before


def test_zones_without_plan_are_rejected(db, app_sample):
    with pytest.raises(PlanError, match="najpierw plik aktu"):
        plan_import_app(path=app_sample("strefy_OK.gml"))
    assert counts() == [0] * len(MODELS)


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">]>
<lolz>&lol2;</lolz>"""
XXE = b"""<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>"""
PLAIN_GML = b"""<?xml version="1.0"?>
<gml:FeatureCollection xmlns:gml="http://www.opengis.net/gml/3.2"><gml:featureMember/>
</gml:FeatureCollection>"""
OTHER = b"""<?xml version="1.0"?>
<wfs:FeatureCollection xmlns:wfs="http://www.opengis.net/wfs/2.0" xmlns:x="urn:other">
<wfs:member><x:Thing/></wfs:member></wfs:FeatureCollection>"""


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"not xml at all", "nie jest poprawnym XML"),
        (b"", "pusty"),
        (BOMB, "DTD"),
        (XXE, "DTD"),
        (PLAIN_GML, "nie jest dokumentem APP 2.0"),
        (OTHER, "nie zawiera obiektów APP 2.0"),
    ],
)
def test_hostile_or_foreign_files(db, data, fragment):
    with pytest.raises(PlanError, match=fragment):
        plan_import_app_bytes(data=data)
    assert counts() == [0] * len(MODELS)


def test_schema_violation_is_reported(db, app_sample):
    text = (
        app_sample(ACT)
        .read_text()
        .replace("<app:tytul>", "<app:tytulX>")
        .replace("</app:tytul>", "</app:tytulX>")
    )
    with pytest.raises(PlanError) as info:
        plan_import_app_bytes(data=text.encode())
    assert "schematem APP 2.0" in str(info.value) and "wiersz" in str(info.value)


def test_parse_srs_forms():
    assert app_gml.parse_srs("http://www.opengis.net/def/crs/EPSG/0/2178") == 2178
    assert app_gml.parse_srs("urn:ogc:def:crs:EPSG::2180") == 2180
    assert app_gml.parse_srs("EPSG:2176") == 2176
    with pytest.raises(ValueError, match="nie jest dopuszczony"):
        app_gml.parse_srs("EPSG:4326")


def test_export_validates_and_round_trips(pog, app_sample):
    plan_import_app(path=app_sample("strefy_OK.gml"))
    LegalAct.objects.create(
        plan=pog, kind="adoption", local_id="U1", title="Uchwała", number="XII/1/25",
        journal_position="Dz. Urz. Woj. 2025 poz. 1", url="https://example.org/u1",
    )  # fmt: skip
    data = app_gml.export_plan(pog)
    assert app_gml.xsd_errors(etree.fromstring(data)) == []
    before = {
        z.designation: (z.symbol, z.max_intensity, z.max_coverage, z.max_height,
                        z.min_bio_active, z.basic_profile, z.geom)
        for z in pog.zones.all()
    }  # fmt: skip
    Plan.objects.all().delete()
    result = plan_import_app_bytes(data=data, name="export.gml")
    after = {
        z.designation: (z.symbol, z.max_intensity, z.max_coverage, z.max_height,
                        z.min_bio_active, z.basic_profile, z.geom)
        for z in result.plan.zones.all()
    }  # fmt: skip
    assert set(before) == set(after)
    for key, values in before.items():
        assert values[:-1] == after[key][:-1]
        # centimetre precision: the outlines differ by less than 1 cm along their length
        assert values[-1].sym_difference(after[key][-1]).area < values[-1].length * 0.01
    assert result.plan.legal_acts.get().number == "XII/1/25"
    assert result.plan.legal_acts.get().kind == "adoption"


def test_export_in_pl2000_validates(pog):
    data = app_gml.export_plan(pog, srid=2178)
    assert b"EPSG/0/2178" in data
    assert app_gml.xsd_errors(etree.fromstring(data)) == []


def test_cli(db, app_sample, capsys):
    call_command("import_app", str(app_sample(ACT)), str(app_sample("strefy_OK.gml")))
    out = capsys.readouterr().out
    assert "strefy: 4" in out
    with pytest.raises(CommandError, match="nakładają się"):
        call_command("import_app", str(app_sample("strefy_NAKLADANIE.gml")))
    with pytest.raises(CommandError, match="Nie ma planu"):
        call_command("import_app", str(app_sample(ACT)), "--plan", "999999")


def _context(**changes):
    import datetime as dt

    values = dict(
        namespace="PL.ZIPPZP.1/1-POG", version="20250101T000000", stamp="2025-01-01T00:00:00Z",
        srid=2180, status_code="legalForce", plan_gid="P1", start=dt.date(2025, 1, 1),
        created=dt.date(2024, 12, 1),
    )  # fmt: skip
    values.update(changes)
    return app_gml.ExportContext(**values)


def test_zone_is_written_from_its_record_alone():
    """The XML writers take plain records: no database, no model."""
    from django.contrib.gis.geos import GEOSGeometry

    from miasto.planning.catalogue import catalogue_for

    zone = app_gml.ExportZone(
        local_id="1POG-1SJ", version_id="", designation="1SJ", symbol="SJ", name="",
        valid_from=None, valid_to=None, basic_profile=(), additional_profile=("U",),
        parameters=(("max_intensity", Decimal("1.50")), ("max_coverage", None),
                    ("max_height", Decimal("12")), ("min_bio_active", None)),
        geom=GEOSGeometry("SRID=2180;MULTIPOLYGON(((0 0,10 0,10 10,0 10,0 0)))"),
    )  # fmt: skip
    root = etree.Element("root")
    app_gml.write_zone(root, _context(), zone, catalogue_for())
    (el,) = root.iter(f"{{{app_gml.APP}}}StrefaPlanistyczna")
    text = {child.tag.split("}")[1]: child.text for child in el}
    assert text["oznaczenie"] == "1SJ"
    assert text["obowiazujeOd"] == "2025-01-01"  # the plan's start, the zone having none
    assert text["maksNadziemnaIntensywnoscZabudowy"] == "1.5"
    assert text["maksWysokoscZabudowy"] == "12"
    assert "maksUdzialPowierzchniZabudowy" not in text
    assert el.find(f"{{{app_gml.APP}}}profilDodatkowy").get(app_gml.TITLE) == "U"


def test_document_without_date_is_dated_by_the_plan_registration():
    import datetime as dt

    document = app_gml.ExportDocument(
        pk=7, kind="other", local_id="DOK7", title="Uchwała", number="", date=None,
        journal_position="", url="",
    )  # fmt: skip
    root = etree.Element("root")
    app_gml.write_document(root, _context(), document)
    (date,) = root.iter(f"{{{app_gml.GCO}}}Date")
    assert date.text == dt.date(2024, 12, 1).isoformat()
    assert root.find(f".//{{{app_gml.APP}}}numerIdentyfikacyjny") is None


def test_export_data_of_a_plan(pog, app_sample):
    plan_import_app(path=app_sample("strefy_OK.gml"))
    data = app_gml.plan_export_data(pog)
    assert data.kind == "pog" and data.boundary is not None
    assert [z.designation for z in data.zones] == sorted(z.designation for z in data.zones)
    assert len(data.zones) == pog.zones.filter(valid_to__isnull=True).count()


def test_document_kind_follows_the_act_reference():
    import datetime as dt

    from miasto.planning.services import _document_kind

    doc = app_gml.ParsedDocument(
        gml_id="D1", namespace="N", local_id="U1", title="", number="", date=dt.date(2025, 1, 1),
        journal_position="", url="",
    )  # fmt: skip
    assert _document_kind(doc, None) == "other"
    act = app_gml.ParsedAct(
        namespace="N", local_id="1POG", version_id="", title="", kind="pog", level="",
        status_code="", valid_from=None, valid_to=None, geom=None, source_srid=None,
        document_refs={"#D1": "adoption"},
    )  # fmt: skip
    assert _document_kind(doc, act) == "adoption"

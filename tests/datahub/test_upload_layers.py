"""The upload page of files with several layers, presets and column types (issue 18): the
layers step, the mapping step's preset and column types, the jobs they queue."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from miasto.core import db
from miasto.core.jobs import job_run
from miasto.core.models import Job
from miasto.datahub.models import Dataset, DatasetVersion
from tests.datahub.test_layers import FOLDERS, write_kml
from tests.datahub.test_views import compile_datahub_messages
from tests.territory import factories as tf

PRESETS = Path(__file__).parent / "data" / "presets"


@pytest.fixture(scope="module", autouse=True)
def _messages() -> None:
    compile_datahub_messages()


@pytest.fixture
def steward(make_user, settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MIASTO_WORK_DIR = tmp_path / "work"
    tf.CityFactory()
    unit = tf.OrgUnitFactory(code="WOS", name="Wydział Ochrony Środowiska")
    user = make_user("data_steward")
    unit.members.add(user)
    Dataset.objects.create(slug="mapa", title_pl="Mapa", owner=unit, target="generic")
    yield user
    with connection.cursor() as cursor:
        for v in DatasetVersion.objects.all():
            cursor.execute(f"DROP TABLE IF EXISTS {v.table_name}")
    shutil.rmtree(settings.MIASTO_WORK_DIR, ignore_errors=True)


def upload(client, path: Path) -> str:  # type: ignore[no-untyped-def]
    content = SimpleUploadedFile(path.name, path.read_bytes(), "application/octet-stream")
    r = client.post("/dane/mapa/import/", {"file": content, "crs": "", "target": "generic"})
    assert r.status_code == 302, r.content.decode()[:2000]
    return str(r["Location"])


@pytest.mark.django_db(transaction=True)
def test_layers_step_one_dataset_with_a_layer_attribute(client, steward, tmp_path):
    client.force_login(steward)
    url = upload(client, write_kml(tmp_path / "mapa.kml"))
    assert url.endswith("/warstwy/")
    page = client.get(url).content.decode()
    assert "Warstwy pliku" in page and "<table" in page and 'scope="col"' in page
    for name, count in FOLDERS.items():
        assert f">{name}</label>" in page and f"<td>{count}</td>" in page
    # the mapping step cannot be skipped
    mapping_url = url.removesuffix("warstwy/")
    assert client.get(mapping_url)["Location"] == url
    # nothing chosen: an error in Polish
    r = client.post(url, {"action": "chosen", "mode": "one"})
    assert r.status_code == 400 and "Wybierz co najmniej jedną warstwę" in r.content.decode()
    r = client.post(url, {"layers": ["Parkingi Leśne", "Kosze"], "mode": "one"})
    assert r["Location"] == mapping_url
    page = client.get(mapping_url).content.decode()
    assert "Parkingi Leśne, Kosze" in page and "Typy kolumn" in page
    r = client.post(mapping_url, {"key_field": "", "action": "import"})
    assert r.status_code == 302 and r["Location"].startswith("/zadania/")
    job = Job.objects.get()
    assert job.payload["source_layers"] == ["Parkingi Leśne", "Kosze"]
    job = job_run(job)
    assert job.status == "done", job.error
    version = DatasetVersion.objects.get()
    assert version.feature_count == 3
    rows = db.fetch_all(f"SELECT layer, count(*) FROM {version.table_name} GROUP BY 1")
    assert dict(rows) == {"Parkingi Leśne": 2, "Kosze": 1}


@pytest.mark.django_db(transaction=True)
def test_layers_step_all_as_separate_datasets(client, steward, tmp_path):
    client.force_login(steward)
    url = upload(client, write_kml(tmp_path / "mapa.kml"))
    r = client.post(url, {"action": "all", "mode": "separate"})
    mapping_url = r["Location"]
    page = client.get(mapping_url).content.decode()
    assert "osobnym zbiorem" in page
    r = client.post(mapping_url, {"key_field": "", "action": "import"})
    assert r.status_code == 302
    jobs = list(Job.objects.order_by("pk"))
    assert [j.payload["layer"] for j in jobs] == list(FOLDERS)
    slugs = list(Dataset.objects.order_by("pk").values_list("slug", flat=True))
    assert slugs == ["mapa", "mapa-lawki", "mapa-kosze"]  # (the first layer: this dataset)
    assert len({j.payload["path"] for j in jobs}) == 3  # (each job removes its own upload)
    for job in jobs:
        job = job_run(job)
        assert job.status == "done", job.error
    counts = {v.dataset.slug: v.feature_count for v in DatasetVersion.objects.all()}
    assert counts == {"mapa": 2, "mapa-lawki": 3, "mapa-kosze": 1}
    assert Dataset.objects.get(slug="mapa-lawki").title_pl == "Mapa — Ławki"


@pytest.mark.django_db(transaction=True)
def test_column_types_on_the_mapping_step(client, steward, tmp_path):
    client.force_login(steward)
    path = tmp_path / "kody.csv"
    path.write_text(
        "wkt;gmina;liczba\nPOINT (500000 403700);0807043;12\nPOINT (500010 403710);0807044;7\n",
        encoding="utf-8",
    )
    url = upload(client, path)
    assert not url.endswith("/warstwy/")
    page = client.get(url).content.decode()
    # the code with leading zeros is detected as text, the number as an integer
    assert "jak wykryto: tekst" in page and "jak wykryto: liczba całkowita" in page
    r = client.post(url, {"key_field": "", "action": "import", "typ-c1": "", "typ-c2": "text"})
    assert r.status_code == 302, r.content.decode()[:3000]
    job = Job.objects.get()
    assert job.payload["column_types"] == {"liczba": "text"}
    job_run(job)
    version = DatasetVersion.objects.get()
    types = {a["name"]: a["type"] for a in version.attributes}
    assert types["gmina"] != "integer" and types["liczba"] != "integer"
    assert db.fetch_value(f"SELECT min(gmina) FROM {version.table_name}") == "0807043"


@pytest.mark.django_db
def test_preset_shown_for_confirmation(client, steward, tmp_path):
    client.force_login(steward)
    gml = tmp_path / "adresy.gml"
    shutil.copyfile(PRESETS / "prg_2012.gml", gml)
    url = upload(client, gml)
    if url.endswith("/warstwy/"):
        r = client.post(url, {"layers": ["PRG_PunktAdresowy"], "mode": "one"})
        url = url.removesuffix("warstwy/")
        assert r["Location"] == url
    r = client.get(url)
    assert r.status_code == 200, r.get("Location")
    page = r.content.decode()
    assert "Szablon importu" in page and 'name="preset"' in page
    r = client.post(url, {"key_field": "", "action": "import", "preset": "prg-2012"})
    assert r.status_code == 302, r.content.decode()[:3000]
    assert Job.objects.get().payload["preset"] == "prg-2012"


@pytest.mark.django_db
def test_preset_unticked_reads_the_file_without_it(client, steward, tmp_path):
    """Unticking the preset is a choice: the import must not recognise the file again."""
    client.force_login(steward)
    gml = tmp_path / "adresy.gml"
    shutil.copyfile(PRESETS / "prg_2012.gml", gml)
    url = upload(client, gml)
    if url.endswith("/warstwy/"):
        client.post(url, {"layers": ["PRG_PunktAdresowy"], "mode": "one"})
        url = url.removesuffix("warstwy/")
    assert 'name="preset"' in client.get(url).content.decode()
    r = client.post(url, {"key_field": "", "action": "import"})
    assert r.status_code == 302, r.content.decode()[:3000]
    assert Job.objects.get().payload["preset"] == "none"

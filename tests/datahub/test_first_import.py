"""A failed first import leaves nothing behind: the dataset made for it goes too (CLI and the
web flow's job), while the job keeps its error for the user to read."""

from __future__ import annotations

import json
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from miasto.core.jobs import job_enqueue, job_run
from miasto.core.models import AuditEntry, Job
from miasto.datahub.models import Dataset
from miasto.datahub.services import discard_unused
from tests.datahub.conftest import parcel_features, write_geojson
from tests.datahub.test_api_permissions import make_version
from tests.territory import factories as tf

pytestmark = pytest.mark.django_db(transaction=True)


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out, verbosity=0)
    return out.getvalue()


def test_cli_create_then_failed_import_removes_the_dataset(city, owner, tmp_path):
    bad = tmp_path / "d.kml"
    bad.write_text("nie xml")
    with pytest.raises(CommandError, match="zbiór danych został usunięty"):
        run("import", str(bad), "--dataset", "nowy", "--create", "--owner", "GEO")
    assert not Dataset.objects.filter(slug="nowy").exists()
    # the removal is in the audit log like the creation
    actions = AuditEntry.objects.filter(model="datahub.dataset").values_list("action", flat=True)
    assert list(actions.order_by("pk")) == ["create", "delete"]


def test_cli_failed_import_keeps_an_existing_dataset(city, owner, make_dataset, tmp_path):
    ds = make_dataset("generic", slug="stary")
    bad = tmp_path / "d.kml"
    bad.write_text("nie xml")
    with pytest.raises(CommandError) as raised:
        run("import", str(bad), "--dataset", "stary", "--create", "--owner", "GEO")
    assert "usunięty" not in str(raised.value)
    assert Dataset.objects.filter(pk=ds.pk).exists()


def test_cli_rejected_first_version_keeps_the_dataset(city, owner, tmp_path):
    dup = parcel_features(range(2))
    dup[1]["properties"]["identifier"] = dup[0]["properties"]["identifier"]
    path = write_geojson(tmp_path / "dup.geojson", dup)
    with pytest.raises(CommandError, match="odrzucona"):
        run("import", str(path), "--dataset", "d", "--create", "--owner", "GEO", "--layer",
            "parcels")  # fmt: skip
    assert Dataset.objects.get(slug="d").versions.count() == 1  # (to inspect what went wrong)


def test_job_of_a_created_dataset_removes_it_and_keeps_its_error(city, make_dataset, tmp_path):
    ds = make_dataset("generic")
    bad = tmp_path / "x.png"
    bad.write_bytes(b"png")
    job = job_enqueue(
        kind="datahub.import",
        payload={"dataset_id": ds.pk, "path": str(bad), "source_name": "x.png",
                 "created_dataset": True},
    )  # fmt: skip
    job = job_run(job)
    assert job.status == Job.Status.FAILED
    assert "rozszerzenie" in job.error and "został usunięty" in job.error
    assert not Dataset.objects.filter(pk=ds.pk).exists()
    assert Job.objects.get(pk=job.pk).error == job.error


def test_job_keeps_a_dataset_that_was_not_made_for_it(city, make_dataset, tmp_path):
    ds = make_dataset("generic")
    bad = tmp_path / "x.png"
    bad.write_bytes(b"png")
    job = job_run(
        job_enqueue(
            kind="datahub.import",
            payload={"dataset_id": ds.pk, "path": str(bad), "source_name": "x.png"},
        )
    )
    assert job.status == Job.Status.FAILED and "usunięty" not in job.error
    assert Dataset.objects.filter(pk=ds.pk).exists()


def test_discard_keeps_a_dataset_with_a_version_or_another_import(city, make_dataset):
    with_version = make_dataset("generic")
    make_version(with_version, 1, current=True)
    assert not discard_unused(with_version.pk)
    waiting = make_dataset("generic")
    other = Job.objects.create(kind="datahub.import", payload={"dataset_id": waiting.pk})
    assert not discard_unused(waiting.pk)
    assert discard_unused(waiting.pk, job=other.pk)
    assert not Dataset.objects.filter(pk=waiting.pk).exists()


GEOJSON = {
    "type": "FeatureCollection",
    "features": [
        {"type": "Feature", "properties": {"Nr": 1},
         "geometry": {"type": "Point", "coordinates": [500010.0, 403710.0]}},
    ],
}  # fmt: skip


def test_web_create_upload_failed_job_removes_the_dataset(client, make_user, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    tf.CityFactory()
    unit = tf.OrgUnitFactory(code="WOS", name="Wydział Ochrony Środowiska")
    steward = make_user("data_steward")
    unit.members.add(steward)
    client.force_login(steward)
    try:
        r = client.post(
            "/dane/nowy/",
            {"slug": "nowe-drzewa", "title_pl": "Nowe drzewa", "theme": "ENVI",
             "owner": unit.pk, "licence": "CC-BY-4.0", "frequency": "ANNUAL",
             "access": "public", "target": "generic"},
        )  # fmt: skip
        assert r.status_code == 302, r.content.decode()[:2000]
        upload = SimpleUploadedFile("d.geojson", json.dumps(GEOJSON).encode())
        r = client.post("/dane/nowe-drzewa/import/", {"file": upload, "target": "generic"})
        assert r.status_code == 302, r.content.decode()[:2000]
        r = client.post(r["Location"], {"action": "import"})
        assert r.status_code == 302 and r["Location"].startswith("/zadania/")
        job = Job.objects.get()
        assert job.payload["created_dataset"] is True
        Path(job.payload["path"]).write_text("to nie jest GeoJSON")  # the import will fail
        job = job_run(job)
        assert job.status == Job.Status.FAILED
        assert not Dataset.objects.filter(slug="nowe-drzewa").exists()
        page = client.get(f"/zadania/{job.pk}/")
        assert page.status_code == 200 and "został usunięty" in page.content.decode()
    finally:
        shutil.rmtree(settings.MIASTO_WORK_DIR, ignore_errors=True)


def test_web_import_into_an_older_dataset_is_not_marked(client, make_user, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    tf.CityFactory()
    unit = tf.OrgUnitFactory(code="WOS", name="Wydział Ochrony Środowiska")
    steward = make_user("data_steward")
    unit.members.add(steward)
    Dataset.objects.create(slug="drzewa", title_pl="Drzewa", owner=unit, target="generic")
    client.force_login(steward)
    try:
        upload = SimpleUploadedFile("d.geojson", json.dumps(GEOJSON).encode())
        r = client.post("/dane/drzewa/import/", {"file": upload, "target": "generic"})
        r = client.post(r["Location"], {"action": "import"})
        assert Job.objects.get().payload["created_dataset"] is False
    finally:
        shutil.rmtree(settings.MIASTO_WORK_DIR, ignore_errors=True)

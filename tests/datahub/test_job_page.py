"""The job page ``/zadania/<id>/``: progress while an import runs, and its outcome — errors of
real failed imports in plain Polish, never a traceback."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import override_settings

from miasto.core.jobs import JobContext, job_run
from miasto.core.models import Job
from tests.datahub.conftest import parcel_features, write_geojson
from tests.datahub.test_views import compile_datahub_messages

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("polish")]


@pytest.fixture(scope="module", autouse=True)
def _messages() -> None:
    compile_datahub_messages()


@pytest.fixture
def polish():  # type: ignore[no-untyped-def]
    with override_settings(LANGUAGE_CODE="pl"):
        yield


@pytest.fixture
def steward(make_user, owner):  # type: ignore[no-untyped-def]
    user = make_user("data_steward")
    owner.members.add(user)
    return user


def _upload(work_dir, name: str, content: str | bytes) -> str:  # type: ignore[no-untyped-def]
    folder = work_dir / "uploads" / ("5" * 32)
    folder.mkdir(parents=True)
    path = folder / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return str(path)


def _text(body: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def test_progress_while_queued_and_running(client, steward, make_dataset):  # type: ignore[no-untyped-def]
    ds = make_dataset("generic", slug="drzewa")
    job = Job.objects.create(
        kind="datahub.import", created_by=steward, payload={"dataset_id": ds.pk}
    )
    client.force_login(steward)
    body = client.get(f"/zadania/{job.pk}/").content.decode()
    assert "Oczekuje w kolejce…" in body and 'http-equiv="refresh"' in body
    # the import reports its progress through the job context, as the worker's handler does
    Job.objects.filter(pk=job.pk).update(status="running")
    JobContext(job).progress(42, "Kontrola jakości", force=True)
    body = client.get(f"/zadania/{job.pk}/").content.decode()
    assert '<progress id="job-progress" max="100" value="42"' in body
    assert "Importowanie: 42% — Kontrola jakości" in _text(body)
    assert 'http-equiv="refresh"' in body and "Możesz ją opuścić" in body
    api = client.get(f"/api/v1/jobs/{job.pk}").json()
    assert (api["status"], api["progress"], api["message"]) == ("running", 42, "Kontrola jakości")


def test_real_failed_import_explained_in_polish(client, steward, make_dataset, work_dir):  # type: ignore[no-untyped-def]
    ds = make_dataset("generic", slug="punkty")
    rows = ["id;wkt"] + [f"{i};POINT (500{i:03d} 403700)" for i in range(1, 6)]
    rows[3] = "3;POINT (500003 nie-liczba"
    path = _upload(work_dir, "punkty.csv", "\n".join(rows) + "\n")
    job = Job.objects.create(
        kind="datahub.import",
        created_by=steward,
        payload={"dataset_id": ds.pk, "path": path, "source_name": "punkty.csv",
                 "crs": "EPSG:2180", "user_id": steward.pk},
    )  # fmt: skip
    job = job_run(job)
    assert job.status == "failed"
    client.force_login(steward)
    body = client.get(f"/zadania/{job.pk}/").content.decode()
    text = _text(body)
    assert "Import nie powiódł się." in text
    assert "Przyczyna: Błędna geometria WKT w wierszu danych nr 3" in text
    assert "Nie utworzono nowej wersji; poprzednia pozostaje bieżącą." in text
    assert 'http-equiv="refresh"' not in body and 'role="alert"' in body
    assert "/dane/punkty/" in body
    assert not ds.versions.exists()


def test_internal_error_shows_no_traceback(client, steward, make_dataset):  # type: ignore[no-untyped-def]
    ds = make_dataset("generic", slug="bez-pliku")
    job = Job.objects.create(
        kind="datahub.import", created_by=steward, payload={"dataset_id": ds.pk}
    )  # no "path": the handler fails with a KeyError
    job = job_run(job)
    assert job.status == "failed" and "Traceback" in job.result["traceback"]
    client.force_login(steward)
    body = client.get(f"/zadania/{job.pk}/").content.decode()
    assert "Błąd wewnętrzny (KeyError). Zgłoś go administratorowi." in body
    assert "Traceback" not in body and "traceback" not in body
    api = client.get(f"/api/v1/jobs/{job.pk}").json()
    assert "traceback" not in api["result"] and api["error"].startswith("Błąd wewnętrzny")


def test_done_import_current_or_rejected(client, steward, make_dataset, city, work_dir):  # type: ignore[no-untyped-def]
    ds = make_dataset("parcels", slug="dzialki")
    client.force_login(steward)
    path = _upload(work_dir, "d.geojson", "")
    write_geojson(Path(path), parcel_features(range(4)))
    job = Job.objects.create(
        kind="datahub.import",
        created_by=steward,
        payload={"dataset_id": ds.pk, "path": path, "source_name": "d.geojson"},
    )
    job = job_run(job)
    assert job.status == "done", job.error
    text = _text(client.get(f"/zadania/{job.pk}/").content.decode())
    assert "Zakończono." in text and "Wersja 1 jest bieżąca" in text
    assert "Raport jakości nowej wersji" in text
    # a version with duplicate parcel identifiers is imported but rejected: why, in Polish
    feats = parcel_features(range(4))
    feats[1]["properties"]["identifier"] = feats[0]["properties"]["identifier"]
    path2 = work_dir / "uploads" / ("6" * 32) / "d2.geojson"
    path2.parent.mkdir(parents=True)
    write_geojson(path2, feats)
    job = Job.objects.create(
        kind="datahub.import",
        created_by=steward,
        payload={"dataset_id": ds.pk, "path": str(path2), "source_name": "d2.geojson"},
    )
    job = job_run(job)
    assert job.status == "done" and job.result["status"] == "rejected"
    text = _text(client.get(f"/zadania/{job.pk}/").content.decode())
    assert "Wersja 2 została zaimportowana, ale odrzucona przez reguły jakości" in text
    assert "Powtórzone klucze: 1" in text
    assert ds.current_version.number == 1


def test_cancelled_import_says_so(client, steward, make_dataset):  # type: ignore[no-untyped-def]
    ds = make_dataset("generic", slug="drzewa")
    job = Job.objects.create(
        kind="datahub.import",
        created_by=steward,
        payload={"dataset_id": ds.pk},
        status=Job.Status.CANCELLED,
    )
    client.force_login(steward)
    body = _text(client.get(f"/zadania/{job.pk}/").content.decode())
    assert "Import został anulowany." in body
    assert "Import nie powiódł się." not in body and 'http-equiv="refresh"' not in body

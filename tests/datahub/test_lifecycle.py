"""Archiving, restoring and deleting datasets: hidden everywhere but the staff's filter, kept
with their versions, restored; deleted with their tables, files and tiles by administrators
only (audited), a spine layer's current source only when that is said; the CLI."""

from __future__ import annotations

import io
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from miasto.core import tilecache
from miasto.core.models import AuditEntry, Job
from miasto.datahub import cleanup
from miasto.datahub.models import Dataset, DatasetVersion
from miasto.datahub.selectors import CatalogueFilters, catalogue
from miasto.datahub.services import (
    DeletionRefused,
    dataset_archive,
    dataset_delete,
    dataset_restore,
    deletion_plan,
)
from tests.datahub.conftest import data_tables
from tests.datahub.test_api_permissions import hub, make_version, steward_of  # noqa: F401
from tests.i18n import compile_messages

TILE = "16/36044/21961.mvt"


@pytest.fixture(scope="module", autouse=True)
def _messages() -> None:
    compile_messages("datahub")


def _seen(client: Any, slug: str) -> dict[str, bool]:
    """Where the dataset shows for this client."""
    listed = {d["slug"] for d in client.get("/api/v1/datasets?page_size=100").json()["results"]}
    layers = {layer["name"] for layer in client.get("/api/v1/layers").json()}
    return {
        "catalogue": f"/dane/{slug}/" in client.get("/dane/").content.decode(),
        "search": f"/dane/{slug}/" in client.get("/dane/", {"q": "drzewa"}).content.decode(),
        "api list": slug in listed,
        "api": client.get(f"/api/v1/datasets/{slug}").status_code == 200,
        "download": client.get(f"/api/v1/datasets/{slug}/download?format=geojson").status_code
        == 200,
        "features": client.get(f"/api/v1/datasets/{slug}/versions/1/features").status_code == 200,
        "layers": f"ds-{slug}" in layers,
        "tile": client.get(f"/tiles/ds-{slug}/{TILE}").status_code == 200,
    }


@pytest.mark.django_db
def test_archive_hides_everywhere_and_restore_brings_back(client, make_user, hub):  # noqa: F811
    ds = hub["datasets"]["public"]
    assert all(_seen(client, ds.slug).values())
    dataset_archive(ds)
    assert not any(_seen(client, ds.slug).values())
    client.force_login(make_user("administrator"))
    assert not any(_seen(client, ds.slug).values())  # administrators too: outside the filter
    assert DatasetVersion.objects.filter(dataset=ds).count() == 1  # kept, with its table
    assert f"v{ds.current_version.pk}" in data_tables()
    dataset_restore(ds)
    client.logout()
    assert all(_seen(client, ds.slug).values())


@pytest.mark.django_db
def test_staff_find_archived_datasets_under_the_filter(client, make_user, hub):  # noqa: F811
    ds = hub["datasets"]["internal"]
    dataset_archive(ds)
    staff = make_user("planner")
    assert list(catalogue(staff, CatalogueFilters(archived=True))) == [ds]
    assert list(catalogue(make_user("resident"), CatalogueFilters(archived=True))) == []
    # residents: no filter, no page; staff: both, with the notice
    client.force_login(make_user("resident"))
    assert "/dane/drzewa-internal/" not in client.get("/dane/?archiwum=1").content.decode()
    assert client.get("/dane/drzewa-internal/").status_code == 404
    client.force_login(staff)
    body = client.get("/dane/?archiwum=1").content.decode()
    assert "/dane/drzewa-internal/" in body
    page = client.get("/dane/drzewa-internal/")
    assert page.status_code == 200 and "zarchiwizowany" in page.content.decode().lower()
    # a public archived dataset: not for anonymous visitors either
    dataset_archive(hub["datasets"]["public"])
    client.logout()
    assert client.get("/dane/drzewa-public/").status_code == 404


@pytest.mark.django_db
def test_archive_and_restore_buttons(client, make_user, hub):  # noqa: F811
    ds = hub["datasets"]["public"]
    client.force_login(steward_of(make_user, hub["env"]))
    page = client.get(f"/dane/{ds.slug}/").content.decode()
    assert f'action="/dane/{ds.slug}/archiwizuj/"' in page and "/usun/" not in page
    assert client.get(f"/dane/{ds.slug}/archiwizuj/").status_code == 405  # POST only
    r = client.post(f"/dane/{ds.slug}/archiwizuj/")
    assert r.status_code == 302
    ds.refresh_from_db()
    assert ds.archived_at is not None
    page = client.get(f"/dane/{ds.slug}/").content.decode()
    assert f'action="/dane/{ds.slug}/przywroc/"' in page
    assert client.post(f"/dane/{ds.slug}/przywroc/").status_code == 302
    ds.refresh_from_db()
    assert ds.archived_at is None
    entries = AuditEntry.objects.filter(model="datahub.dataset", object_id=str(ds.pk))
    assert entries.filter(action="update", changes__has_key="archived_at").count() == 2
    # a steward of another unit may not
    client.force_login(steward_of(make_user, hub["geo"]))
    assert client.post(f"/dane/{ds.slug}/archiwizuj/").status_code == 403


def _leftovers(ds: Dataset, version: DatasetVersion) -> tuple[Path, Path]:
    """An upload of a finished import job and a cached tile of the version, on disk."""
    folder = cleanup.upload_dir_root() / ("a" * 32)
    folder.mkdir(parents=True)
    (folder / "d.geojson").write_text("{}")
    Job.objects.create(
        kind="datahub.import", status=Job.Status.FAILED,
        payload={"dataset_id": ds.pk, "path": str(folder / "d.geojson")},
    )  # fmt: skip
    root = tilecache.cache_root()
    assert root is not None
    tiles = root / f"ds-{ds.slug}" / f"0-v{version.pk}"
    (tiles / "16" / "1").mkdir(parents=True)
    (tiles / "16" / "1" / "2.mvt").write_bytes(b"x")
    return folder, tiles


@pytest.mark.django_db
def test_delete_removes_tables_files_tiles_and_is_audited(client, make_user, hub):  # noqa: F811
    ds = hub["datasets"]["restricted"]
    v1 = ds.current_version
    v2 = make_version(ds, 2, current=False)
    folder, tiles = _leftovers(ds, v1)
    admin = make_user("administrator")
    client.force_login(admin)
    page = client.get(f"/dane/{ds.slug}/usun/")
    body = page.content.decode()
    assert page.status_code == 200
    assert f"datahub_data.v{v1.pk}" in body and f"datahub_data.v{v2.pk}" in body
    assert "wersja 1 (gotowy): obiekty: 2" in body
    r = client.post(f"/dane/{ds.slug}/usun/", {})  # not confirmed: nothing goes
    assert r.status_code == 400 and Dataset.objects.filter(pk=ds.pk).exists()
    r = client.post(f"/dane/{ds.slug}/usun/", {"confirm": "yes"})
    assert r.status_code == 302 and r["Location"] == "/dane/"
    assert not Dataset.objects.filter(pk=ds.pk).exists()
    assert not DatasetVersion.objects.filter(pk__in=[v1.pk, v2.pk]).exists()
    assert f"v{v1.pk}" not in data_tables() and f"v{v2.pk}" not in data_tables()
    assert not folder.exists() and not tiles.exists()
    summary = AuditEntry.objects.get(model="datahub.datasetversion", action="delete")
    assert ds.slug in summary.object_repr and summary.changes == {"count": 2}
    assert summary.actor_id == admin.pk and summary.source == "web"
    assert AuditEntry.objects.filter(
        model="datahub.dataset", object_id=str(ds.pk), action="delete", actor_id=admin.pk
    ).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["data_steward", "planner", "resident"])
def test_only_administrators_delete(client, make_user, hub, role):  # noqa: F811
    ds = hub["datasets"]["public"]
    user = make_user(role)
    hub["env"].members.add(user)  # (a steward of the owner unit too)
    client.force_login(user)
    assert client.get(f"/dane/{ds.slug}/usun/").status_code == 403
    assert client.post(f"/dane/{ds.slug}/usun/", {"confirm": "yes"}).status_code == 403
    assert Dataset.objects.filter(pk=ds.pk).exists()
    assert "/usun/" not in client.get(f"/dane/{ds.slug}/").content.decode()
    client.logout()
    r = client.post(f"/dane/{ds.slug}/usun/", {"confirm": "yes"})
    assert r.status_code == 302 and "/logowanie/" in r["Location"]
    assert Dataset.objects.filter(pk=ds.pk).exists()


@pytest.fixture
def spine_source(hub):  # type: ignore[no-untyped-def]  # noqa: F811
    ds = Dataset.objects.create(
        slug="dzialki", title_pl="Działki", owner=hub["geo"], target="parcels"
    )
    make_version(ds, 1, current=True)
    return ds


@pytest.mark.django_db
def test_deleting_a_spine_source_must_be_said(client, make_user, spine_source):
    ds = spine_source
    plan = deletion_plan(ds)
    assert plan.spine_source and plan.spine_layer
    with pytest.raises(DeletionRefused, match="bieżącym źródłem warstwy"):
        dataset_delete(ds)
    client.force_login(make_user("administrator"))
    body = client.get(f"/dane/{ds.slug}/usun/").content.decode()
    assert 'name="spine"' in body
    r = client.post(f"/dane/{ds.slug}/usun/", {"confirm": "yes"})
    assert r.status_code == 400 and Dataset.objects.filter(pk=ds.pk).exists()
    r = client.post(f"/dane/{ds.slug}/usun/", {"confirm": "yes", "spine": "yes"})
    assert r.status_code == 302 and not Dataset.objects.filter(pk=ds.pk).exists()


@pytest.mark.django_db
def test_delete_waits_for_an_import(hub):  # noqa: F811
    ds = hub["datasets"]["public"]
    Job.objects.create(kind="datahub.import", payload={"dataset_id": ds.pk})
    with pytest.raises(Exception, match="Trwa import"):
        dataset_delete(ds)
    assert Dataset.objects.filter(pk=ds.pk).exists()


# --------------------------------------------------------------------------- CLI


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def run(*args: str, **kw: Any) -> str:
    out = StringIO()
    call_command("dataset", *args, stdout=out, **kw)
    return out.getvalue()


@pytest.mark.django_db
def test_cli_archive_restore(hub):  # noqa: F811
    ds = hub["datasets"]["public"]
    assert "zarchiwizowany" in run("archive", ds.slug)
    ds.refresh_from_db()
    assert ds.archived_at is not None
    listing = StringIO()
    call_command("datasets", ds.slug, stdout=listing)
    assert "(zarchiwizowany)" in listing.getvalue()
    assert "przywrócony" in run("restore", ds.slug)
    ds.refresh_from_db()
    assert ds.archived_at is None
    with pytest.raises(CommandError, match="Nie ma zbioru"):
        run("archive", "brak")


@pytest.mark.django_db
def test_cli_delete_asks_or_refuses(hub):  # noqa: F811
    ds = hub["datasets"]["public"]
    version = ds.current_version
    with pytest.raises(CommandError, match="dodaj --yes"):
        run("delete", ds.slug, stdin=io.StringIO(""))  # no terminal
    with pytest.raises(CommandError, match="Nie usunięto"):
        run("delete", ds.slug, stdin=Terminal("nie\n"))
    assert Dataset.objects.filter(pk=ds.pk).exists()
    out = run("delete", ds.slug, stdin=Terminal("tak\n"))
    assert "wersja 1 (" in out and ": 2 obiektów" in out
    assert f"datahub_data.v{version.pk}" in out and "usunięty" in out
    assert not Dataset.objects.filter(pk=ds.pk).exists()
    other = hub["datasets"]["internal"]
    run("delete", other.slug, "--yes")
    assert not Dataset.objects.filter(pk=other.pk).exists()
    assert AuditEntry.objects.filter(model="datahub.dataset", action="delete", source="cli").count()


@pytest.mark.django_db
def test_cli_delete_of_a_spine_source_needs_spine(spine_source):
    with pytest.raises(CommandError, match="--spine"):
        run("delete", spine_source.slug, "--yes")
    assert Dataset.objects.filter(pk=spine_source.pk).exists()
    run("delete", spine_source.slug, "--yes", "--spine")
    assert not Dataset.objects.filter(pk=spine_source.pk).exists()

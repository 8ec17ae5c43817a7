"""Clean-up of abandoned uploads and leftovers of crashed imports and exports: real files in the
work folder, real tables in ``datahub_data``, a real second session holding an import's lock."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections

from miasto.core.jobs import PeriodicTask, job_run, periodic_registry, periodic_run_due
from miasto.core.models import Job
from miasto.core.worker import worker_loop
from miasto.datahub import cleanup, services
from miasto.datahub.models import DATA_SCHEMA
from tests.datahub.conftest import data_tables, parcel_features, write_geojson
from tests.datahub.test_api_permissions import make_version

pytestmark = pytest.mark.django_db(transaction=True)

DAY = 24 * 3600
HEX32 = "0123456789abcdef" * 2


def token(age_s: float, suffix: str = "a1b2c3d4e5f6") -> str:
    return f"{int(time.time() - age_s):010d}_{suffix}"


def make_dir(path: Path, age_s: float = 0) -> Path:
    """A folder with a file, both last changed ``age_s`` seconds ago."""
    path.mkdir(parents=True)
    (path / "plik.geojson").write_text("{}")
    stamp = time.time() - age_s
    for p in (path / "plik.geojson", path):
        os.utime(p, (stamp, stamp))
    return path


def make_table(name: str) -> None:
    with connection.cursor() as cur:
        cur.execute(f'CREATE TABLE {DATA_SCHEMA}."{name}" (fid serial PRIMARY KEY, x int)')


@pytest.fixture
def leftovers(work_dir, owner):  # type: ignore[no-untyped-def]
    """Old and young leftovers of every kind, and things the clean-up must never touch."""
    from miasto.datahub.models import Dataset

    uploads = work_dir / "uploads"
    old, young = token(2 * DAY, "00000000000a"), token(60, "00000000000b")
    paths = {
        "upload_old": make_dir(uploads / ("a" * 32), 2 * DAY),
        "upload_young": make_dir(uploads / ("b" * 32), 600),
        "upload_queued": make_dir(uploads / ("c" * 32), 2 * DAY),
        "upload_odd_name": make_dir(uploads / "nie-token", 2 * DAY),
        "import_old": make_dir(work_dir / f"import-{old}"),  # its age is in its name
        "import_young": make_dir(work_dir / f"import-{young}", 2 * DAY),
        "import_legacy": make_dir(work_dir / f"import-{HEX32}", 2 * DAY),
        "export_old": make_dir(work_dir / f"export-{HEX32}", 2 * DAY),
        "export_young": make_dir(work_dir / f"export-{'d' * 32}", 60),
        "other": make_dir(work_dir / "kafelki", 2 * DAY),
    }
    Job.objects.create(
        kind="datahub.import",
        status="queued",
        payload={"path": str(paths["upload_queued"] / "plik.geojson")},
    )
    for name in (f"stg_{old}", f"stg_{old}_pieces", f"stg_{young}", "stg_0123456789abcdef"):
        make_table(name)
    make_table("v999999")  # a version table whose version is gone
    make_table("stg_cos_innego")  # not a name the data hub gives: never touched
    ds = Dataset.objects.create(slug="drzewa", title_pl="Drzewa", owner=owner)
    version = make_version(ds)  # a table of an existing version: never touched
    return {"paths": paths, "old": old, "young": young, "version": version}


def test_cleanup_removes_only_old_leftovers(leftovers):  # type: ignore[no-untyped-def]
    paths, old, young = leftovers["paths"], leftovers["old"], leftovers["young"]
    version_table = leftovers["version"].table_name.split(".")[1]
    before = set(data_tables())
    # a dry run lists, removes nothing
    dry = cleanup.leftovers_cleanup(timedelta(hours=24), dry_run=True)
    assert set(data_tables()) == before and all(p.exists() for p in paths.values())
    report = cleanup.leftovers_cleanup(timedelta(hours=24))
    assert (report.tables, report.paths) == (dry.tables, dry.paths)
    assert report.errors == []
    assert sorted(report.tables) == sorted(
        f"{DATA_SCHEMA}.{t}"
        for t in (f"stg_{old}", f"stg_{old}_pieces", "stg_0123456789abcdef", "v999999")
    )
    assert set(data_tables()) == {f"stg_{young}", "stg_cos_innego", version_table}
    removed = {k for k, p in paths.items() if not p.exists()}
    assert removed == {"upload_old", "import_old", "import_legacy", "export_old"}
    assert set(report.paths) == {str(paths[k]) for k in removed}
    assert str(paths["upload_queued"]) in report.kept and str(paths["upload_young"]) in report.kept
    # the existing version still reads
    with connection.cursor() as cur:
        cur.execute(f"SELECT count(*) FROM {leftovers['version'].table_name}")
        assert cur.fetchone()[0] == 2
    # a second run has nothing left to do
    assert cleanup.leftovers_cleanup(timedelta(hours=24)).removed == 0


def test_a_shorter_threshold_takes_younger_leftovers(leftovers):  # type: ignore[no-untyped-def]
    paths = leftovers["paths"]
    cleanup.leftovers_cleanup(timedelta(minutes=5))
    assert not paths["upload_young"].exists()  # 10 minutes old
    assert paths["export_young"].exists()  # 1 minute old
    assert f"stg_{leftovers['young']}" in data_tables()


def test_legacy_names_wait_while_an_import_runs(leftovers):  # type: ignore[no-untyped-def]
    paths = leftovers["paths"]
    Job.objects.create(kind="datahub.import", status="running", payload={})
    cleanup.leftovers_cleanup(timedelta(hours=24))
    assert paths["import_legacy"].exists() and "stg_0123456789abcdef" in data_tables()
    assert not paths["import_old"].exists()  # the new names carry their age and lock


def test_running_import_is_protected_by_its_lock(work_dir):  # type: ignore[no-untyped-def]
    """An import running longer than the threshold (in another session) keeps its work."""
    tok = token(3 * DAY, "fedcba987654")
    folder = make_dir(work_dir / f"import-{tok}")
    make_table(f"stg_{tok}")
    make_table(f"stg_{tok}_pieces")
    other = connections.create_connection("default")
    try:
        with other.cursor() as cur:
            cur.execute(
                "SELECT pg_advisory_lock(%s::int, %s::int)",
                [cleanup.LOCK_NAMESPACE, cleanup._lock_key(tok)],
            )
        report = cleanup.leftovers_cleanup(timedelta(hours=1))
        assert report.removed == 0
        assert folder.exists() and {f"stg_{tok}", f"stg_{tok}_pieces"} <= set(data_tables())
    finally:
        other.close()  # the session ends: its lock with it (as when a worker is killed)
    report = cleanup.leftovers_cleanup(timedelta(hours=1))
    assert not folder.exists() and not [t for t in data_tables() if t.startswith("stg_")]
    assert report.removed == 3


def test_import_names_its_work_by_a_locked_timestamped_token(
    city, make_dataset, work_dir, tmp_path
):  # type: ignore[no-untyped-def]
    ds = make_dataset("generic", slug="punkty")
    seen: dict[str, object] = {}
    other = connections.create_connection("default")

    def progress(percent: float, message: str) -> None:
        if percent < 68 or seen:
            return
        staging = [t for t in data_tables() if t.startswith("stg_")]
        dirs = [p.name for p in work_dir.iterdir() if p.name.startswith("import-")]
        seen["staging"], seen["dirs"] = staging, dirs
        with other.cursor() as cur:  # another session sees the import's lock
            cur.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = %s::oid "
                "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
                [cleanup.LOCK_NAMESPACE],
            )
            seen["locks"] = cur.fetchone()[0]

    try:
        path = write_geojson(tmp_path / "p.geojson", parcel_features(range(3)))
        version = services.version_import(
            dataset=ds, path=path, source_name="p.geojson", progress=progress
        )
        assert version.status == "ready"
        assert len(seen["staging"]) == 1 and cleanup.STAGING_RE.match(seen["staging"][0])
        tok = cleanup.STAGING_RE.match(seen["staging"][0]).group("token")
        assert seen["dirs"] == [f"import-{tok}"]
        assert abs(int(tok.split("_")[0]) - time.time()) < 600
        assert seen["locks"] == 1
        # afterwards: no staging table, no work folder, no lock
        assert [t for t in data_tables() if t.startswith("stg_")] == []
        assert [p for p in work_dir.iterdir() if p.name.startswith("import-")] == []
        with other.cursor() as cur:
            cur.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = %s::oid "
                "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
                [cleanup.LOCK_NAMESPACE],
            )
            assert cur.fetchone()[0] == 0
    finally:
        other.close()


def test_import_job_removes_its_upload(city, make_dataset, work_dir):  # type: ignore[no-untyped-def]
    ds = make_dataset("generic", slug="zle")
    folder = work_dir / "uploads" / ("e" * 32)
    folder.mkdir(parents=True)
    (folder / "zly.geojson").write_text("to nie jest geojson")
    job = Job.objects.create(
        kind="datahub.import",
        payload={"dataset_id": ds.pk, "path": str(folder / "zly.geojson")},
    )
    job = job_run(job)
    assert job.status == "failed" and job.error
    assert not folder.exists()
    # a path outside the uploads folder is never removed
    outside = make_dir(work_dir / "gdzie-indziej")
    assert cleanup.upload_remove(str(outside / "plik.geojson")) is False
    assert cleanup.upload_remove(str(work_dir / "uploads" / ".." / "plik")) is False
    assert outside.exists()


def test_worker_runs_the_cleanup_periodically(work_dir):  # type: ignore[no-untyped-def]
    assert "datahub.cleanup" in periodic_registry
    old = make_dir(work_dir / "uploads" / ("f" * 32), 2 * DAY)
    assert worker_loop(once=True) == 0 and old.exists()  # --once: no housekeeping by default
    assert worker_loop(once=True, periodic=True) == 0
    assert not old.exists()
    # due at the start, then once per period; a failing task never stops the worker
    calls: list[str] = []

    def boom() -> None:
        calls.append("boom")
        raise RuntimeError("zepsute")

    periodic_registry.register("test.boom", PeriodicTask("test.boom", 60.0, boom))
    try:
        # (the other apps' housekeeping counts as just run, so only these two are watched)
        last = {task.name: 3600.0 for task in periodic_registry if task.name != "test.boom"}
        last["datahub.cleanup"] = 0.0
        assert periodic_run_due(last, now=10.0) == ["test.boom"]
        assert periodic_run_due(last, now=50.0) == []
        assert periodic_run_due(last, now=75.0) == ["test.boom"]
        assert periodic_run_due(last, now=3600.0) == ["datahub.cleanup", "test.boom"]
        assert calls == ["boom", "boom", "boom"]
    finally:
        periodic_registry.unregister("test.boom")


def test_cli(leftovers, tmp_path):  # type: ignore[no-untyped-def]
    out = StringIO()
    call_command("datahub_cleanup", "--dry-run", stdout=out)
    assert "Do usunięcia: 4 tabel, 4 katalogów (starszych niż 24 h)" in out.getvalue()
    out = StringIO()
    call_command("datahub_cleanup", "--older-than", "24", "--verbosity", "2", stdout=out)
    text = out.getvalue()
    assert "Usunięto: 4 tabel, 4 katalogów" in text and "tabela datahub_data.v999999" in text
    for bad in ("0.5", "nan", "-3"):
        with pytest.raises(CommandError, match="co najmniej 1 h"):
            call_command("datahub_cleanup", "--older-than", bad)


def test_console_script(work_dir, tmp_path):  # type: ignore[no-untyped-def]
    """``miasto datahub-cleanup`` through the real console script, on the test database."""
    old = make_dir(work_dir / "uploads" / ("9" * 32), 3 * DAY)
    cfg = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgis://{cfg['USER']}:{cfg['PASSWORD']}@{cfg['HOST']}:{cfg['PORT']}/{cfg['NAME']}",
        "MIASTO_WORK_DIR": str(work_dir),
    }
    miasto = str(Path(sys.executable).with_name("miasto"))
    ok = subprocess.run(
        [miasto, "datahub-cleanup", "--older-than", "48"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ok.returncode == 0, ok.stderr
    assert "Usunięto: 0 tabel, 1 katalogów" in ok.stdout and not old.exists()
    bad = subprocess.run(
        [miasto, "datahub-cleanup", "--older-than", "0"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bad.returncode != 0 and "co najmniej 1 h" in bad.stderr

"""Clean-up of what crashed or abandoned work leaves behind.

What the data hub writes outside its versions, and how each piece is known to be a leftover:

- ``MIASTO_WORK_DIR/uploads/<token>/``: a file uploaded in step 1 of the web import, kept
  until its import job ends. An upload never confirmed (the user left the field-mapping step)
  stays. Removed when older than the threshold, unless a queued or running import job still
  points at it.
- ``MIASTO_WORK_DIR/import-<token>/`` and the staging tables ``datahub_data.stg_<token>``
  (with ``stg_<token>_changed``, ``_diff``, ``_pieces`` and ``_cand`` of the quality check,
  ``stg_<token>_plan`` and ``_lookups`` (``_lookups_keys``) of publishing, ``_ref<n>``
  of a preset's lookups, and
  ``stg_<token>_flags`` of its earlier versions): the work of one
  :func:`~miasto.datahub.services.version_import`, removed by it on success and on failure —
  but not when the process is killed or the database connection is lost. ``<token>`` is
  ``<unix time>_<12 hex digits>``, so the age is in the name; while an import runs it holds a
  PostgreSQL advisory lock on its token (:func:`import_lock`), so its work is never removed
  whatever the threshold. Names of the older form (``stg_<16 hex>``, ``import-<32 hex>``) carry
  no time and no lock: they are removed only while no import job is running.
- ``MIASTO_WORK_DIR/export-<hex>/``: a GeoPackage or Shapefile being streamed to a
  client, removed when the stream closes; a killed server leaves it. Removed when older.
- ``datahub_data.v<id>`` without a :class:`~miasto.datahub.models.DatasetVersion` (its dataset
  was deleted): nothing can read it any more. A table of an existing version is never touched.

:func:`leftovers_cleanup` is run by ``miasto datahub-cleanup`` and by the job worker once an
hour (see :mod:`miasto.datahub.jobs`). When a worker finds an import job whose worker died,
:func:`abandoned_import_cleanup` removes the dead import's work at once, whatever its age.
"""

from __future__ import annotations

import re
import shutil
import time
import uuid
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError
from psycopg import sql

from miasto.core import db
from miasto.core.models import Job
from miasto.datahub.models import DATA_SCHEMA, DatasetVersion

#: First key of the advisory locks of running imports ("mias" in ASCII).
LOCK_NAMESPACE = 0x6D696173
DEFAULT_HOURS = 24.0
#: How often the job worker cleans up.
CLEANUP_EVERY_SECONDS = 3600.0

TOKEN_RE = re.compile(r"^(\d{10})_([0-9a-f]{12})$")
UPLOAD_RE = re.compile(r"^[0-9a-f]{32}$")
#: the work tables of an import beside its staging table (``_flags``: of earlier versions)
_WORK = r"(?:_pieces|_flags|_changed|_diff|_cand|_plan|_lookups|_lookups_keys|_ref\d+)?"
STAGING_RE = re.compile(r"^stg_(?P<token>\d{10}_[0-9a-f]{12})" + _WORK + "$")
LEGACY_STAGING_RE = re.compile(r"^stg_[0-9a-f]{16}" + _WORK + "$")
VERSION_TABLE_RE = re.compile(r"^v(\d+)$")
IMPORT_DIR_RE = re.compile(r"^import-(?P<token>\d{10}_[0-9a-f]{12})$")
LEGACY_IMPORT_DIR_RE = re.compile(r"^import-[0-9a-f]{32}$")
EXPORT_DIR_RE = re.compile(r"^export-[0-9a-f]{32}$")


def work_token() -> str:
    """A token naming one import's staging table and work directory: ``<unix time>_<hex>``."""
    return f"{int(time.time()):010d}_{uuid.uuid4().hex[:12]}"


def _lock_key(token: str) -> int:
    match = TOKEN_RE.match(token)
    if match is None:
        raise ValueError(f"not a work token: {token!r}")
    return int(match.group(2)[:7], 16)  # 28 bits: fits PostgreSQL's int4 key


def import_lock(token: str) -> None:
    """Take the advisory lock of an import's token while it runs (session level: released by
    :func:`import_unlock`, or when the process dies with its connection)."""
    db.execute("SELECT pg_advisory_lock(%s::int, %s::int)", [LOCK_NAMESPACE, _lock_key(token)])


def import_unlock(token: str) -> None:
    with suppress(DatabaseError):  # (the connection is gone, and the lock with it)
        db.execute(
            "SELECT pg_advisory_unlock(%s::int, %s::int)", [LOCK_NAMESPACE, _lock_key(token)]
        )


def _in_use(token: str) -> bool:
    """Is an import holding this token's lock right now (in another session)?"""
    return bool(
        db.fetch_value(
            "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted "
            "AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
            "AND classid = %s::oid AND objid = %s::oid AND objsubid = 2 "
            "AND pid <> pg_backend_pid())",
            [LOCK_NAMESPACE, _lock_key(token)],
        )
    )


def _token_age(token: str, now: float) -> float:
    return now - int(token.split("_", 1)[0])


def _path_age(path: Path, now: float) -> float:
    """Seconds since anything directly in ``path`` (or the folder itself) last changed."""
    newest = path.lstat().st_mtime
    try:
        for child in path.iterdir():
            newest = max(newest, child.lstat().st_mtime)
    except OSError:
        pass
    return now - newest


def _imports_running() -> bool:
    return Job.objects.filter(kind="datahub.import", status=Job.Status.RUNNING).exists()


def upload_dir_root() -> Path:
    return Path(settings.MIASTO_WORK_DIR) / "uploads"


def upload_remove(path: str | None) -> bool:
    """Delete an upload's folder, only if ``path`` is a file in ``uploads/<token>/``."""
    if not path:
        return False
    root = upload_dir_root().resolve()
    folder = Path(path).resolve().parent
    if folder.parent == root and UPLOAD_RE.match(folder.name) and folder.is_dir():
        shutil.rmtree(folder, ignore_errors=True)
        return True
    return False


@dataclass
class CleanupReport:
    tables: list[str] = field(default_factory=list)  # dropped (schema-qualified)
    paths: list[str] = field(default_factory=list)  # removed folders
    kept: list[str] = field(default_factory=list)  # leftovers still in use, or too young
    errors: list[str] = field(default_factory=list)

    @property
    def removed(self) -> int:
        return len(self.tables) + len(self.paths)


def _data_tables() -> list[str]:
    rows = db.fetch_all(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = %s AND c.relkind IN ('r', 'p') ORDER BY 1",
        [DATA_SCHEMA],
    )
    return [str(r[0]) for r in rows]


def _drop(name: str, report: CleanupReport, dry_run: bool) -> None:
    if not dry_run:
        try:
            db.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(sql.Identifier(DATA_SCHEMA, name)))
        except DatabaseError as exc:
            report.errors.append(f"{DATA_SCHEMA}.{name}: {exc}".strip())
            return
    report.tables.append(f"{DATA_SCHEMA}.{name}")


def _remove(path: Path, report: CleanupReport, dry_run: bool) -> None:
    if path.is_symlink() or not path.is_dir():
        return
    if not dry_run:
        try:
            shutil.rmtree(path)
        except OSError as exc:
            report.errors.append(f"{path}: {exc.strerror or exc}")
            return
    report.paths.append(str(path))


def _tables_cleanup(max_age: float, now: float, report: CleanupReport, dry_run: bool) -> None:
    names = _data_tables()  # first the tables, then the versions (see below)
    legacy_ok: bool | None = None
    orphans: dict[int, str] = {}
    for name in names:
        if match := STAGING_RE.match(name):
            token = match.group("token")
            if _token_age(token, now) <= max_age or _in_use(token):
                report.kept.append(f"{DATA_SCHEMA}.{name}")
                continue
            _drop(name, report, dry_run)
        elif LEGACY_STAGING_RE.match(name):
            if legacy_ok is None:
                legacy_ok = not _imports_running()
            if not legacy_ok:
                report.kept.append(f"{DATA_SCHEMA}.{name}")
                continue
            _drop(name, report, dry_run)
        elif match := VERSION_TABLE_RE.match(name):
            orphans[int(match.group(1))] = name
    # An import renames its staging table to v<id> in the transaction that creates the version:
    # a v<id> listed above was committed before this query, so its version is visible here.
    if orphans:
        existing = set(
            DatasetVersion.objects.filter(pk__in=list(orphans)).values_list("pk", flat=True)
        )
        for pk, name in sorted(orphans.items()):
            if pk not in existing:
                _drop(name, report, dry_run)


def _files_cleanup(max_age: float, now: float, report: CleanupReport, dry_run: bool) -> None:
    work = Path(settings.MIASTO_WORK_DIR)
    if not work.is_dir():
        return
    legacy_ok: bool | None = None
    for path in sorted(work.iterdir()):
        name = path.name
        if match := IMPORT_DIR_RE.match(name):
            token = match.group("token")
            if _token_age(token, now) <= max_age or _in_use(token):
                report.kept.append(str(path))
                continue
            _remove(path, report, dry_run)
        elif LEGACY_IMPORT_DIR_RE.match(name) or EXPORT_DIR_RE.match(name):
            if name.startswith("import-"):
                if legacy_ok is None:
                    legacy_ok = not _imports_running()
                if not legacy_ok:
                    report.kept.append(str(path))
                    continue
            if _path_age(path, now) <= max_age:
                report.kept.append(str(path))
                continue
            _remove(path, report, dry_run)
    uploads = upload_dir_root()
    if not uploads.is_dir():
        return
    waiting = {
        str(Path(p).resolve().parent)
        for p in Job.objects.filter(
            kind="datahub.import", status__in=[Job.Status.QUEUED, Job.Status.RUNNING]
        ).values_list("payload__path", flat=True)
        if isinstance(p, str)
    }
    for path in sorted(uploads.iterdir()):
        if not UPLOAD_RE.match(path.name):
            continue
        if str(path.resolve()) in waiting or _path_age(path, now) <= max_age:
            report.kept.append(str(path))
            continue
        _remove(path, report, dry_run)


def leftovers_cleanup(
    older_than: timedelta = timedelta(hours=DEFAULT_HOURS), *, dry_run: bool = False
) -> CleanupReport:
    """Remove abandoned uploads, import and export work folders and staging tables older than
    ``older_than``, and version tables without a version (see the module docstring)."""
    report = CleanupReport()
    now = time.time()
    max_age = older_than.total_seconds()
    _tables_cleanup(max_age, now, report, dry_run)
    _files_cleanup(max_age, now, report, dry_run)
    return report


def abandoned_import_cleanup(job: Job) -> CleanupReport:
    """After an import job whose worker died (:func:`miasto.core.jobs.jobs_recover`): the
    staging tables and work folders of every import no session runs (a running import holds
    its token's lock from before it makes either), whatever their age, and the job's upload."""
    report = CleanupReport()
    for name in _data_tables():
        if (match := STAGING_RE.match(name)) and not _in_use(match.group("token")):
            _drop(name, report, dry_run=False)
    work = Path(settings.MIASTO_WORK_DIR)
    if work.is_dir():
        for path in sorted(work.iterdir()):
            if (match := IMPORT_DIR_RE.match(path.name)) and not _in_use(match.group("token")):
                _remove(path, report, dry_run=False)
    upload = job.payload.get("path") if isinstance(job.payload, dict) else None
    if upload and upload_remove(upload):
        report.paths.append(str(Path(upload).parent))
    return report


def periodic_cleanup() -> CleanupReport:
    """The job worker's hourly run (threshold: setting ``MIASTO_DATAHUB_CLEANUP_HOURS``)."""
    hours = float(getattr(settings, "MIASTO_DATAHUB_CLEANUP_HOURS", DEFAULT_HOURS))
    return leftovers_cleanup(timedelta(hours=max(hours, 1.0)))

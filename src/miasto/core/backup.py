"""Backups: ``miasto backup PATH`` and ``miasto restore PATH`` (docs/deploy.md, "Backups").

A backup is a folder:

- ``database.dump`` — ``pg_dump`` of the whole database in its custom format (one consistent
  snapshot; compressed; ``pg_restore`` can restore parts of it);
- ``files.tar`` — the files the database points at: uploaded media (``MEDIA_ROOT``) under
  ``media/`` and uploads waiting for their import job (``MIASTO_WORK_DIR/uploads``) under
  ``uploads/`` (copied after the dump: a file is never older than the rows naming it);
- ``manifest.json`` — when, from which database and Miasto version, its migrations.

A restore goes into a fresh database made from the template that holds the extensions
(``createdb -T miasto_template``; see docs/deploy.md) and runs as the app's role, which is no
superuser: the dump's ``CREATE EXTENSION`` entries, their comments and the rows of extension
tables (PostGIS's ``spatial_ref_sys``) are left out — the template has them — and every object
is owned by the restoring role (``--no-owner``). It is one transaction: all or nothing.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
from django.conf import settings
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from miasto import __version__
from miasto.core.db import fetch_one

FORMAT = 1
DUMP = "database.dump"
FILES = "files.tar"
MANIFEST = "manifest.json"

#: ``pg_restore --list`` entries left out of a restore (made by the template's extensions):
#: ``<id>; <catalog oid> <oid> <type> <schema> <name> <owner>``
_EXTENSION_ENTRY = re.compile(r"^\d+; \d+ \d+ (EXTENSION|COMMENT - EXTENSION) ")
_TABLE_DATA = re.compile(r"^\d+; \d+ \d+ TABLE DATA (\S+) (\S+) ")


class BackupError(Exception):
    """A backup or restore that cannot be done, with a message a person can act on."""


@dataclass
class BackupReport:
    path: Path
    database_bytes: int = 0
    files: int = 0
    skipped: list[str] = field(default_factory=list)  # restore: dump entries left out


def file_roots() -> dict[str, Path]:
    """The folders a backup holds, by their name in ``files.tar``."""
    return {
        "media": Path(settings.MEDIA_ROOT),
        "uploads": Path(settings.MIASTO_WORK_DIR) / "uploads",
    }


def _pg_env(dbname: str | None = None) -> dict[str, str]:
    """libpq's environment for the app's database (no password on a command line)."""
    s = connection.settings_dict
    env = dict(os.environ)
    for key, value in {
        "PGHOST": s.get("HOST"),
        "PGPORT": str(s.get("PORT") or ""),
        "PGUSER": s.get("USER"),
        "PGPASSWORD": s.get("PASSWORD"),
        "PGDATABASE": dbname or s.get("NAME"),
        "PGSSLMODE": (s.get("OPTIONS") or {}).get("sslmode"),
    }.items():
        if value:
            env[key] = str(value)
    return env


def _run(args: list[str], env: dict[str, str], what: str) -> str:
    try:
        done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError as exc:
        raise BackupError(
            f"{args[0]} is missing: install the PostgreSQL client (postgresql-client) of the "
            "server's version or newer."
        ) from exc
    if done.returncode != 0:
        raise BackupError(f"{what} failed: {done.stderr.strip()[-2000:]}")
    return done.stdout


def backup_create(path: Path) -> BackupReport:
    """Write a backup of the app's database and files into the folder ``path`` (new or empty)."""
    path = Path(path)
    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise BackupError(f"{path} exists and is not an empty folder: choose a new one.")
    path.mkdir(parents=True, exist_ok=True)
    report = BackupReport(path)
    env = _pg_env()
    _run(["pg_dump", "--format=custom", "--file", str(path / DUMP)], env, "pg_dump")
    report.database_bytes = (path / DUMP).stat().st_size
    with tarfile.open(path / FILES, "w") as tar:
        for name, root in file_roots().items():
            if not root.is_dir():
                continue
            for file in sorted(root.rglob("*")):
                if file.is_file() and not file.is_symlink():
                    tar.add(file, arcname=f"{name}/{file.relative_to(root)}", recursive=False)
                    report.files += 1
    database, server = fetch_one(
        "SELECT current_database(), current_setting('server_version')"
    ) or ("", "")
    applied: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        applied[app] = max(applied.get(app, ""), name)
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "created": timezone.now().isoformat(),
        "miasto": __version__,
        "database": database,
        "postgresql": server,
        "migrations": dict(sorted(applied.items())),
        "files": report.files,
    }
    (path / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return report


def _manifest(path: Path) -> dict[str, Any]:
    try:
        manifest: dict[str, Any] = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(f"{path} is not a Miasto backup (no readable {MANIFEST}).") from exc
    if manifest.get("format") != FORMAT or not (path / DUMP).is_file():
        raise BackupError(f"{path} is not a Miasto backup of a known format.")
    return manifest


def _target_state(dbname: str) -> tuple[bool, set[tuple[str, str]]]:
    """(is the database empty of Miasto's tables, its extensions' tables)."""
    s = connection.settings_dict
    params = connection.get_connection_params()
    params["dbname"] = dbname
    try:
        with psycopg.connect(**params) as conn:
            empty = conn.execute(
                "SELECT to_regclass('public.django_migrations') IS NULL"
            ).fetchone()
            tables = conn.execute(
                "SELECT n.nspname, c.relname FROM pg_extension e, unnest(e.extconfig) t(oid) "
                "JOIN pg_class c ON c.oid = t.oid JOIN pg_namespace n ON n.oid = c.relnamespace"
            ).fetchall()
    except psycopg.OperationalError as exc:
        raise BackupError(
            f"Cannot connect to the database {dbname!r} as {s.get('USER')!r}: create it first "
            f"from the template (createdb -T miasto_template {dbname})."
        ) from exc
    return bool(empty and empty[0]), {(a, b) for a, b in tables}


def _restore_list(
    dump: Path, env: dict[str, str], extension_tables: set[tuple[str, str]]
) -> tuple[list[str], list[str]]:
    """The dump's table of contents without what the template's extensions already made."""
    kept: list[str] = []
    skipped: list[str] = []
    for line in _run(["pg_restore", "--list", str(dump)], env, "pg_restore --list").splitlines():
        data = _TABLE_DATA.match(line)
        if _EXTENSION_ENTRY.match(line) or (data and data.groups() in extension_tables):
            skipped.append(line.split(" ", 3)[-1].strip())
            continue
        kept.append(line)
    return kept, skipped


def backup_restore(path: Path, *, dbname: str | None = None) -> BackupReport:
    """Restore the backup in folder ``path`` into the app's database (or ``dbname``), which
    must be fresh — made from the template, not migrated — and its files into ``MEDIA_ROOT``
    and the uploads folder."""
    path = Path(path)
    _manifest(path)
    dbname = dbname or connection.settings_dict["NAME"]
    empty, extension_tables = _target_state(dbname)
    if not empty:
        raise BackupError(
            f"The database {dbname!r} already holds Miasto's tables: restore into a fresh one "
            f"(createdb -T miasto_template NAME), then point DATABASE_URL at it."
        )
    report = BackupReport(path)
    env = _pg_env(dbname)
    kept, report.skipped = _restore_list(path / DUMP, env, extension_tables)
    with tempfile.NamedTemporaryFile("w", suffix=".list", delete=False) as listing:
        listing.write("\n".join(kept) + "\n")
    try:
        _run(
            [
                "pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
                "--single-transaction", "--use-list", listing.name, "--dbname", dbname,
                str(path / DUMP),
            ],
            env,
            "pg_restore",
        )  # fmt: skip
    finally:
        os.unlink(listing.name)
    report.database_bytes = (path / DUMP).stat().st_size
    report.files = _restore_files(path / FILES)
    return report


def _restore_files(archive: Path) -> int:
    if not archive.is_file():
        return 0
    roots = file_roots()
    count = 0
    with tarfile.open(archive) as tar:
        for member in tar.getmembers():
            name, _, rest = member.name.partition("/")
            if name not in roots or not rest or not member.isfile():
                continue
            member.name = rest
            roots[name].mkdir(parents=True, exist_ok=True)
            # (the "data" filter refuses absolute paths, "..", links out and device files)
            tar.extract(member, roots[name], filter="data")
            count += 1
    return count

"""What lets the tests run in parallel (pytest-xdist, ``make test``): each worker process has
its own test database, copied from the template, and its own tile cache."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection


@pytest.mark.django_db
def test_a_worker_has_its_own_database() -> None:
    """pytest-django suffixes the test database's name with the worker's id (gw0, gw1…)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    assert connection.settings_dict["NAME"].endswith(f"_{worker}" if worker else "")


@pytest.mark.django_db
def test_the_database_is_a_copy_of_the_template_with_the_extensions() -> None:
    with connection.cursor() as cur:
        cur.execute("SELECT extname FROM pg_extension")
        extensions = {row[0] for row in cur.fetchall()}
    assert {"postgis", "pgrouting", "pg_trgm", "unaccent"} <= extensions


def test_a_worker_has_its_own_tile_cache() -> None:
    cache = Path(settings.MIASTO_TILE_CACHE_DIR)
    assert cache.is_dir() and cache.name.startswith("miasto-tiles-")
    assert cache.parent != Path(settings.PROJECT_DIR) / "var" / "cache"

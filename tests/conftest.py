"""Shared fixtures: spine factories registered as fixtures, users per role."""

from __future__ import annotations

import shutil
import tempfile

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from miasto.core.roles import ROLES
from tests.database import template_check
from tests.i18n import compile_all_messages
from tests.territory import factories as tf

_tile_cache = pytest.StashKey[str]()


def pytest_configure(config):  # type: ignore[no-untyped-def]
    """A fresh tile cache per test process (each pytest-xdist worker configures its own):
    cached tiles never leak between runs, databases or workers."""
    settings.MIASTO_TILE_CACHE_DIR = config.stash[_tile_cache] = tempfile.mkdtemp(
        prefix="miasto-tiles-"
    )


def pytest_unconfigure(config):  # type: ignore[no-untyped-def]
    if _tile_cache in config.stash:
        shutil.rmtree(config.stash[_tile_cache], ignore_errors=True)


def pytest_sessionstart(session: pytest.Session) -> None:
    """Compile the stale translation catalogues once, before pytest-xdist starts its workers:
    two workers compiling the same .mo at once could read it half written."""
    if not hasattr(session.config, "workerinput"):
        compile_all_messages()


def _transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    names = set(getattr(item, "fixturenames", ()))
    return bool(
        {"transactional_db", "live_server"} & names
        or (marker is not None and marker.kwargs.get("transaction"))
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None):  # type: ignore[no-untyped-def]
    """A transactional test ends with a flush of every table, which removes the rows data
    migrations seeded (the accessibility standards; role groups come back by post_migrate),
    and leaves the job queue's (unmanaged) tables as they were.
    After its teardown (the flush), seed them again — idempotent — so the tests after it see
    the database as migrated; ``serialized_rollback`` instead collides with the role sync."""
    transactional = _transactional(item)
    yield
    # (after the session's last test the test database is gone: the connection points at the
    # development database again, which must not be written)
    if not transactional or nextitem is None:
        return
    from importlib import import_module

    from django.apps import apps
    from pytest_django.plugin import blocking_manager_key

    seed = import_module("miasto.accessibility.migrations.0002_seed_standards").seed
    # (and the later data migration that corrected the seed's legal references)
    correct = import_module("miasto.accessibility.migrations.0005_app_elements_legal_references")
    with item.config.stash[blocking_manager_key].unblock():
        seed(apps, None)
        correct.forward(apps, None)
        _empty_job_queue()


def _empty_job_queue() -> None:
    """procrastinate's tables are unmanaged models, which the flush leaves alone: empty them
    too, so no task of a flushed job waits in the queue for the next test's worker."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE procrastinate_events, procrastinate_periodic_defers, procrastinate_jobs, "
            "procrastinate_workers CASCADE"
        )


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):  # type: ignore[no-untyped-def]
    """The template the test database is copied from (see tests/database.py)."""
    template_check()


@pytest.fixture
def city(db):  # type: ignore[no-untyped-def]
    return tf.CityFactory()


@pytest.fixture
def parcel(db):  # type: ignore[no-untyped-def]
    return tf.ParcelFactory()


@pytest.fixture
def make_user(db):  # type: ignore[no-untyped-def]
    """``make_user("planner")`` → a user in that role's group (staff where the role is)."""

    def make(role: str | None = None, **kwargs):  # type: ignore[no-untyped-def]
        User = get_user_model()
        username = kwargs.pop("username", f"{role or 'user'}-{User.objects.count() + 1}")
        user = User.objects.create_user(username=username, password="pw-secret-123", **kwargs)
        if role:
            from miasto.core.roles import roles_sync

            if not Group.objects.filter(name=role).exists():
                roles_sync()
            user.groups.add(Group.objects.get(name=role))
            user.is_staff = ROLES[role].staff
            user.save()
        return user

    return make

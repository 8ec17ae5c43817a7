"""Area alerts: a city (10 × 10 km around the factories' centre), topics registered for the
tests (as consultations, problem reports… will register theirs), and helpers to make areas
and events by hand."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Point, Polygon

from miasto.alerts.models import Subscription
from miasto.core.events import Event, Topic, topic_registry
from tests.i18n import compile_messages
from tests.territory import factories as tf

X, Y = tf.CENTRE_X, tf.CENTRE_Y
#: topics a module that lands later would register (consultations, problem reports)
TEST_TOPICS = ("test.consultation_announced", "test.problem_resolved")
HIDDEN_SUBJECT = "ukryty"


@pytest.fixture(scope="session", autouse=True)
def _compiled_messages() -> None:
    """The Polish catalogues these tests read (the .mo files are not committed)."""
    for app in ("alerts", "planning", "web", "accounts"):
        compile_messages(app)


@pytest.fixture(autouse=True)
def _only_own_matching_jobs(request: pytest.FixtureRequest) -> None:
    """Other modules' fixtures that generate a demo city once and commit it (its datasets'
    versions, its plans) queue matching jobs for their events: a test here starts without
    them, so that it runs and counts only the jobs of its own events."""
    uses_db = {"db", "transactional_db"} & set(request.fixturenames)
    if not uses_db and request.node.get_closest_marker("django_db") is None:
        return
    from miasto.alerts.events import MATCH_JOB
    from miasto.core.models import Job

    request.getfixturevalue("transactional_db" if "transactional_db" in uses_db else "db")
    Job.objects.filter(kind=MATCH_JOB, status=Job.Status.QUEUED).delete()


def square(x: float, y: float, size: float) -> MultiPolygon:
    return MultiPolygon(tf.square(x, y, size), srid=2180)


@pytest.fixture
def topics() -> Iterator[tuple[str, ...]]:
    for key in TEST_TOPICS:
        topic_registry.register(
            key,
            Topic(key, f"topic {key}", lambda: [], lambda subject: subject != HIDDEN_SUBJECT),
        )
    yield TEST_TOPICS
    for key in TEST_TOPICS:
        topic_registry.unregister(key)


@pytest.fixture
def subscribe(db: Any) -> Any:
    """``subscribe(user, geom, topics=…, email=…)`` → a subscription with that stored area."""

    def make(user: Any, geom: MultiPolygon, **kw: Any) -> Subscription:
        values = {
            "name": kw.pop("name", "obszar"),
            "kind": kw.pop("kind", "area"),
            "topics": list(kw.pop("topics", TEST_TOPICS)),
            "email": kw.pop("email", False),
            "in_app": kw.pop("in_app", True),
            "feed": kw.pop("feed", False),
            **kw,
        }
        return Subscription.objects.create(user=user, geom=geom, **values)

    return make


def event(
    geometry: GEOSGeometry | None, topic: str = TEST_TOPICS[0], subject: str = "k-1", **data: Any
) -> Event:
    body = {"title": data.pop("title", "Konsultacje placu"), "url": "https://miasto.example/k/1"}
    return Event(topic, subject, {**body, **data}, geometry=geometry)


def point(x: float, y: float) -> Point:
    return Point(x, y, srid=2180)


def polygon(*coords: tuple[float, float]) -> Polygon:
    return Polygon((*coords, coords[0]), srid=2180)


def run_match_jobs() -> int:
    """Run the queued ``alerts.match`` jobs here, as the worker would (oldest first); how many
    there were. Events are never matched by the code that emitted them."""
    from miasto.alerts.events import MATCH_JOB
    from miasto.core.jobs import job_run
    from miasto.core.models import Job

    jobs = list(Job.objects.filter(kind=MATCH_JOB, status=Job.Status.QUEUED).order_by("pk"))
    for job in jobs:
        assert job_run(job).status == Job.Status.DONE, job.error
    return len(jobs)

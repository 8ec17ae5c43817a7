"""Events reach area alerts through the registry (``emit`` after the commit, which queues the
matching job ``alerts.match``; the worker matches): any module's topic, a plan's change of
status with its boundary, a dataset's new version with its extent."""

from __future__ import annotations

import pytest
import shapely

from miasto.alerts.models import Notification
from miasto.core.events import emit
from miasto.datahub.events import version_published
from miasto.datahub.models import Dataset
from miasto.planning.services import TransitionNotAllowed, plan_change_status, plan_create
from tests.alerts.conftest import TEST_TOPICS, X, Y, point, run_match_jobs, square
from tests.datahub.test_api_permissions import make_version
from tests.territory import factories as tf


def test_emit_reaches_the_listener_after_the_commit(
    topics, subscribe, make_user, django_capture_on_commit_callbacks
) -> None:
    subscribe(make_user(), square(X, Y, 100))
    with django_capture_on_commit_callbacks(execute=True):
        emit(TEST_TOPICS[0], "k-7", {"title": "Konsultacje", "url": "https://m.pl/k/7"},
             geometry=point(X + 1, Y + 1))  # fmt: skip
        assert not Notification.objects.exists()  # not before the commit
    assert not Notification.objects.exists()  # nor by the request: by the job
    assert run_match_jobs() == 1
    assert Notification.objects.get().subject == "k-7"
    assert run_match_jobs() == 0


def test_a_plans_status_change_reaches_the_areas_its_boundary_covers(
    subscribe, make_user, city, django_capture_on_commit_callbacks
) -> None:
    inside, outside = make_user(), make_user()
    subscribe(inside, square(X + 100, Y + 100, 50), topics=["plan.status_changed"])
    subscribe(outside, square(X + 2000, Y, 50), topics=["plan.status_changed"])
    plan = plan_create(
        kind="mpzp",
        title="Plan Rynku",
        local_id="ALERT-1",
        geom=shapely.box(X, Y, X + 500, Y + 500),
    )
    with django_capture_on_commit_callbacks(execute=True):
        plan_change_status(plan=plan, status="in_preparation")
    run_match_jobs()
    [n] = Notification.objects.all()
    assert n.user == inside and n.topic == "plan.status_changed" and n.subject == str(plan.pk)
    assert n.title == "Plan Rynku: w przygotowaniu"
    assert n.url.endswith(f"/planowanie/plany/{plan.pk}/")
    assert n.data["from_status"] == "initiated" and n.data["to_status"] == "in_preparation"


def test_a_refused_status_change_tells_nobody(
    subscribe, make_user, city, django_capture_on_commit_callbacks
) -> None:
    subscribe(make_user(), square(X, Y, 50), topics=["plan.status_changed"])
    plan = plan_create(
        kind="mpzp", title="P", local_id="ALERT-2", geom=shapely.box(X, Y, X + 9, Y + 9)
    )
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(TransitionNotAllowed),  # initiated → in force
    ):
        plan_change_status(plan=plan, status="in_force")
    assert run_match_jobs() == 0
    assert not Notification.objects.exists()


def test_a_new_dataset_version_reaches_the_areas_its_extent_covers(
    subscribe, make_user, django_capture_on_commit_callbacks
) -> None:
    tf.CityFactory()
    unit = tf.OrgUnitFactory(code="WOS", name="Wydział Ochrony Środowiska")
    near, far = make_user(), make_user()
    topic = ["dataset.version_published"]
    # the version's two trees stand at (500 010, 403 710) and (500 020, 403 720)
    subscribe(near, square(500_015, 403_715, 100), topics=topic)
    subscribe(far, square(501_000, 403_700, 100), topics=topic)
    dataset = Dataset.objects.create(
        slug="drzewa", title_pl="Drzewa", owner=unit, access="public", frequency="ANNUAL",
        theme="ENVI",
    )  # fmt: skip
    version = make_version(dataset, 1)
    with django_capture_on_commit_callbacks(execute=True):
        version_published(version)
    run_match_jobs()
    [n] = Notification.objects.all()
    assert n.user == near and n.subject == "drzewa" and n.title == "Drzewa"
    assert n.url.endswith("/dane/drzewa/")


def test_events_that_concern_no_area_queue_no_job(
    topics, subscribe, make_user, django_capture_on_commit_callbacks
) -> None:
    subscribe(make_user(), square(X, Y, 100))
    with django_capture_on_commit_callbacks(execute=True):
        emit(TEST_TOPICS[0], "k-8", {"title": "Bez miejsca"})  # no geometry
        emit(TEST_TOPICS[0], "ukryty", {"title": "Ukryty"}, geometry=point(X + 1, Y + 1))
    assert run_match_jobs() == 0


def test_old_matching_jobs_are_pruned(
    topics, subscribe, make_user, django_capture_on_commit_callbacks
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from miasto.alerts.jobs import match_jobs_prune
    from miasto.core.models import Job

    subscribe(make_user(), square(X, Y, 100))
    with django_capture_on_commit_callbacks(execute=True):
        emit(TEST_TOPICS[0], "k-9", {"title": "Stare"}, geometry=point(X + 1, Y + 1))
        emit(TEST_TOPICS[0], "k-10", {"title": "Nowe"}, geometry=point(X + 2, Y + 2))
    assert run_match_jobs() == 2
    old, new = Job.objects.filter(kind="alerts.match").order_by("pk")
    Job.objects.filter(pk=old.pk).update(finished_at=timezone.now() - timedelta(days=8))
    assert match_jobs_prune() == 1
    assert list(Job.objects.filter(kind="alerts.match")) == [new]
    assert Notification.objects.count() == 2  # the notifications stay

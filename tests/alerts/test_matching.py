"""Matching events against areas on hand-made geometries: inside, outside, touching, the
circle around an address, topics, one notification per person, the event's own CRS."""

from __future__ import annotations

from django.contrib.gis.geos import LineString, MultiPolygon

from miasto.alerts.areas import address_area
from miasto.alerts.events import alerts_match
from miasto.alerts.models import Notification
from tests.alerts.conftest import HIDDEN_SUBJECT, TEST_TOPICS, X, Y, event, point, polygon, square
from tests.territory import factories as tf


def test_a_point_inside_the_area_reaches_its_owner(topics, subscribe, make_user) -> None:
    owner, other = make_user(), make_user()
    sub = subscribe(owner, square(X, Y, 100))
    subscribe(other, square(X + 1000, Y, 100))
    assert alerts_match(event(point(X + 50, Y + 50))) == 1
    [n] = Notification.objects.all()
    assert (n.user, n.subscription, n.topic, n.subject) == (owner, sub, TEST_TOPICS[0], "k-1")
    assert n.title == "Konsultacje placu" and n.url == "https://miasto.example/k/1"
    assert n.in_app and not n.in_feed and n.email_state == "none" and n.read_at is None
    assert n.data["url"] == n.url


def test_a_point_outside_every_area_reaches_nobody(topics, subscribe, make_user) -> None:
    subscribe(make_user(), square(X, Y, 100))
    assert alerts_match(event(point(X + 100.5, Y + 50))) == 0
    assert alerts_match(event(point(X - 0.01, Y - 0.01))) == 0
    assert not Notification.objects.exists()


def test_touching_counts_an_edge_or_a_corner(topics, subscribe, make_user) -> None:
    """A plan whose boundary runs along the area's edge, or meets it in one corner, concerns
    it (ST_Intersects includes the boundary)."""
    a, b, c = make_user(), make_user(), make_user()
    subscribe(a, square(X, Y, 100))
    subscribe(b, square(X + 300, Y, 100))
    subscribe(c, square(X + 600, Y, 100))
    neighbour = polygon((X + 100, Y), (X + 200, Y), (X + 200, Y + 100), (X + 100, Y + 100))
    assert alerts_match(event(neighbour)) == 1  # shares the edge x = X + 100 with a's area
    corner = polygon((X + 400, Y + 100), (X + 450, Y + 100), (X + 450, Y + 150), (X + 400, Y + 150))
    assert alerts_match(event(corner, subject="k-2")) == 1  # meets b's area in one point
    assert sorted(Notification.objects.values_list("user__username", "subject")) == sorted(
        [(a.username, "k-1"), (b.username, "k-2")]
    )


def test_a_line_crossing_an_area_reaches_it(topics, subscribe, make_user) -> None:
    subscribe(make_user(), square(X, Y, 100))
    street = LineString((X - 50, Y + 50), (X + 150, Y + 50), srid=2180)
    assert alerts_match(event(street)) == 1


def test_the_circle_around_an_address(topics, subscribe, make_user, city) -> None:
    address = tf.AddressFactory()
    ax, ay = address.geom.x, address.geom.y
    area = address_area(address, 200)
    subscribe(make_user(), area.geom, kind="address", radius_m=200, address=address)
    assert alerts_match(event(point(ax + 150, ay))) == 1
    assert alerts_match(event(point(ax, ay - 199))) == 1
    assert alerts_match(event(point(ax + 250, ay))) == 0
    assert alerts_match(event(point(ax + 160, ay + 160))) == 0  # 226 m away, diagonally


def test_only_the_topics_followed(topics, subscribe, make_user) -> None:
    subscribe(make_user(), square(X, Y, 100), topics=[TEST_TOPICS[1]])
    assert alerts_match(event(point(X + 5, Y + 5), topic=TEST_TOPICS[0])) == 0
    assert alerts_match(event(point(X + 5, Y + 5), topic=TEST_TOPICS[1])) == 1


def test_one_notification_per_person_with_the_channels_of_all_their_areas(
    topics, subscribe, make_user
) -> None:
    owner = make_user()
    first = subscribe(owner, square(X, Y, 100), name="dom")
    subscribe(owner, square(X + 50, Y, 100), name="praca", email=True, in_app=False, feed=True)
    assert alerts_match(event(point(X + 75, Y + 50))) == 1
    [n] = Notification.objects.all()
    assert n.subscription == first
    assert n.in_app and n.in_feed and n.email_state == "pending"


def test_nothing_without_a_geometry_an_unknown_topic_or_a_hidden_subject(
    topics, subscribe, make_user
) -> None:
    subscribe(make_user(), square(X, Y, 100))
    inside = point(X + 5, Y + 5)
    assert alerts_match(event(None)) == 0
    assert alerts_match(event(MultiPolygon(srid=2180))) == 0
    assert alerts_match(event(inside, topic="nieznany.temat")) == 0
    assert alerts_match(event(inside, subject=HIDDEN_SUBJECT)) == 0
    assert not Notification.objects.exists()


def test_an_event_in_wgs84_is_matched_in_the_storage_crs(topics, subscribe, make_user) -> None:
    subscribe(make_user(), square(X, Y, 100))
    inside = point(X + 50, Y + 50).transform(4326, clone=True)
    assert alerts_match(event(inside)) == 1


def test_long_titles_and_hostile_text_are_stored_as_text(topics, subscribe, make_user) -> None:
    subscribe(make_user(), square(X, Y, 100))
    title = "'); DROP TABLE alerts_notification; -- " + "x" * 400
    assert alerts_match(event(point(X + 5, Y + 5), title=title)) == 1
    n = Notification.objects.get()
    assert n.title == title[:300]


def test_the_pieces_of_an_area_follow_it(topics, subscribe, make_user) -> None:
    """Triggers keep the pieces matching reads: written with the area, replaced when it
    changes, gone with it — also when the area is deleted by SQL."""
    from django.contrib.gis.geos import Point as P

    from miasto.alerts.models import PIECE_VERTICES, AreaPiece
    from miasto.core.db import execute

    ring = P(X, Y, srid=2180).buffer(400, quadsegs=200)  # an outline of 801 vertices
    sub = subscribe(make_user(), MultiPolygon(ring, srid=2180))
    pieces = AreaPiece.objects.filter(subscription_id=sub.pk)
    assert pieces.count() > 10
    assert all(p.geom.num_coords <= PIECE_VERTICES + 5 for p in pieces)
    assert abs(sum(p.geom.area for p in pieces) - ring.area) < 1
    assert alerts_match(event(point(X + 390, Y))) == 1
    sub.geom = square(X + 2000, Y, 10)
    sub.save()
    assert [p.geom.area for p in pieces.all()] == [100.0]
    assert alerts_match(event(point(X + 390, Y), subject="k-2")) == 0
    Notification.objects.all().delete()
    execute("DELETE FROM alerts_subscription WHERE id = %s", [sub.pk])
    assert not AreaPiece.objects.exists()


def test_the_job_matches_what_the_statement_matches(topics, subscribe, make_user) -> None:
    """The worker's job gets the event through its JSON payload (the geometry in the storage
    CRS, the time, the data) and matches it as the statement does: touching counts, a point a
    hair outside does not, one notification per person."""
    from miasto.alerts.events import MATCH_JOB, event_payload
    from miasto.core.jobs import job_enqueue, job_run

    owner, other = make_user(), make_user()
    subscribe(owner, square(X, Y, 100))
    subscribe(owner, square(X + 100, Y, 100))  # the same person's neighbouring area
    subscribe(other, square(X + 300, Y, 100))
    edge = LineString((X + 100, Y + 10), (X + 100, Y + 90), srid=2180).transform(4326, clone=True)
    happened = event(edge, title="Na granicy")
    job = job_run(job_enqueue(kind=MATCH_JOB, payload=event_payload(happened)))
    assert job.status == "done" and job.result == {"reached": 1}
    [n] = Notification.objects.all()
    assert n.user == owner and n.title == "Na granicy" and n.event_at == happened.at
    outside = event(point(X + 299.5, Y + 50), subject="k-2")
    job = job_run(job_enqueue(kind=MATCH_JOB, payload=event_payload(outside)))
    assert job.result == {"reached": 0}

"""The pages at /konto/powiadomienia/: adding an area three ways (address and radius, a
district, a drawn outline), editing and deleting one's own, another person's as not found,
hostile input answered 400 with a Polish message and nothing written, the limits."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.gis.geos import Point

from miasto.alerts.events import alerts_match
from miasto.alerts.models import Notification, Subscription
from tests.alerts.conftest import TEST_TOPICS, X, Y, event, point, square
from tests.territory import factories as tf

URL = "/konto/powiadomienia/"


@pytest.fixture
def resident(client: Any, make_user: Any, city: Any, topics: Any) -> Any:
    user = make_user("resident", email="ala@example.org")
    client.force_login(user)
    return user


@pytest.fixture
def street_address(city: Any) -> Any:
    street = tf.StreetFactory(name="Długa")
    return tf.AddressFactory(street=street, number="12")


def lonlat_ring(x: float, y: float, size: float) -> list[list[float]]:
    corners = [(x, y), (x + size, y), (x + size, y + size), (x, y + size), (x, y)]
    out = []
    for cx, cy in corners:
        p = Point(cx, cy, srid=2180).transform(4326, clone=True)
        out.append([p.x, p.y])
    return out


def drawn(x: float = X, y: float = Y, size: float = 200.0) -> str:
    return json.dumps({"type": "Polygon", "coordinates": [lonlat_ring(x, y, size)]})


def form(**values: Any) -> dict[str, Any]:
    data = {
        "name": "",
        "kind": "address",
        "radius": "300",
        "topics": list(TEST_TOPICS),
        "email": "on",
        "in_app": "on",
    }
    data.update(values)
    return data


def test_the_page_lists_every_registered_topic_and_the_privacy_notice(client, resident) -> None:
    response = client.get(URL)
    assert response.status_code == 200
    text = response.content.decode()
    for key in (*TEST_TOPICS, "plan.status_changed", "dataset.version_published"):
        assert f'value="{key}"' in text
    assert "Twoje dane (RODO)" in text and "art. 6 ust. 1 lit. a RODO" in text
    assert "/konto/powiadomienia/kanal/" in text  # the feed's address, for its owner


def test_add_an_address_with_a_radius(client, resident, street_address) -> None:
    response = client.post(URL, form(address="Długa 12", radius="250", name="Dom"))
    assert response.status_code == 302
    sub = Subscription.objects.get(user=resident)
    assert (sub.kind, sub.name, sub.radius_m, sub.address) == (
        "address",
        "Dom",
        250,
        street_address,
    )
    assert sub.address_label == street_address.label
    assert sub.geom.contains(street_address.geom)
    assert 0.98 < sub.geom.area / (3.14159265 * 250**2) < 1.0  # the 32-gon inside the circle
    assert sub.topics == sorted(TEST_TOPICS) and sub.email and sub.in_app and not sub.feed
    page = client.get(URL).content.decode()
    assert "Dom" in page and "250 m wokół adresu" in page


def test_add_a_district(client, resident) -> None:
    district = tf.DistrictFactory(name="Bałuty")
    response = client.post(URL, form(kind="district", district=str(district.pk)))
    assert response.status_code == 302
    sub = Subscription.objects.get(user=resident)
    assert sub.kind == "district" and sub.name == "Bałuty" and sub.geom.equals(district.geom)


def test_add_a_drawn_area_and_it_is_matched(client, resident) -> None:
    response = client.post(URL, form(kind="area", outline=drawn(X, Y, 200), name="Skwer"))
    assert response.status_code == 302
    sub = Subscription.objects.get(user=resident)
    assert sub.kind == "area" and abs(sub.geom.area - 40_000) < 50
    assert alerts_match(event(point(X + 100, Y + 100))) == 1


def test_the_header_shows_the_unread_count_and_marking_read_clears_it(
    client, resident, subscribe
) -> None:
    subscribe(resident, square(X, Y, 100))
    alerts_match(event(point(X + 5, Y + 5), title="Konsultacje placu"))
    alerts_match(event(point(X + 5, Y + 5), subject="k-2", title="Drugie"))
    page = client.get("/").content.decode()
    assert "(2 nieprzeczytane)" in page
    inbox = client.get(URL + "skrzynka/")
    assert inbox.status_code == 200 and "Konsultacje placu" in inbox.content.decode()
    first = Notification.objects.get(subject="k-1")
    assert client.post(URL + "skrzynka/przeczytane/", {"id": first.pk}).status_code == 302
    assert "(1 nieprzeczytane)" in client.get("/").content.decode()
    client.post(URL + "skrzynka/przeczytane/")
    assert "nieprzeczytan" not in client.get("/").content.decode()
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_marking_read_with_a_bad_id_marks_nothing(client, resident, subscribe) -> None:
    subscribe(resident, square(X, Y, 100))
    alerts_match(event(point(X + 5, Y + 5)))
    for bad in ["abc", "-1", "9" * 40, ""]:
        assert client.post(URL + "skrzynka/przeczytane/", {"id": bad}).status_code == 302
    assert Notification.objects.get().read_at is None


def test_edit_and_delete_ones_own(client, resident, subscribe) -> None:
    sub = subscribe(resident, square(X, Y, 100), name="Stara nazwa")
    assert client.get(f"{URL}{sub.pk}/").status_code == 200
    response = client.post(
        f"{URL}{sub.pk}/", form(kind="area", outline=drawn(X, Y, 300), name="Nowa", email="")
    )
    assert response.status_code == 302
    sub.refresh_from_db()
    assert sub.name == "Nowa" and not sub.email and abs(sub.geom.area - 90_000) < 100
    assert client.post(f"{URL}{sub.pk}/usun/").status_code == 302
    assert not Subscription.objects.exists()


def test_another_persons_area_is_not_found(client, resident, subscribe, make_user) -> None:
    theirs = subscribe(make_user(), square(X, Y, 100))
    assert client.get(f"{URL}{theirs.pk}/").status_code == 404
    assert client.post(f"{URL}{theirs.pk}/", form(kind="area", outline=drawn())).status_code == 404
    assert client.post(f"{URL}{theirs.pk}/usun/").status_code == 404
    assert Subscription.objects.filter(pk=theirs.pk).exists()


def _nan_polygon() -> str:
    ring = lonlat_ring(X, Y, 100)
    ring[1][0] = float("nan")
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


def _star(n: int) -> str:
    p = Point(X + 500, Y + 500, srid=2180).transform(4326, clone=True)
    import math

    ring = [
        [p.x + 0.002 * math.cos(2 * math.pi * k / n), p.y + 0.002 * math.sin(2 * math.pi * k / n)]
        for k in range(n)
    ]
    return json.dumps({"type": "Polygon", "coordinates": [[*ring, ring[0]]]})


BOWTIE = [[X, Y], [X + 100, Y + 100], [X + 100, Y], [X, Y + 100], [X, Y]]

HOSTILE: list[tuple[str, dict[str, Any], str]] = [
    ("no area drawn", {"kind": "area", "outline": ""}, "Najpierw narysuj obszar"),
    ("not JSON", {"kind": "area", "outline": "{nie json"}, "Nie udało się odczytać obrysu"),
    ("a point", {"kind": "area", "outline": '{"type":"Point","coordinates":[19.4,51.7]}'},
     "a nie punkt ani linię"),
    ("NaN", {"kind": "area", "outline": "NAN"}, "Nie udało się odczytać obrysu"),
    ("a list", {"kind": "area", "outline": "[1,2,3]"}, "a nie punkt ani linię"),
    ("too long", {"kind": "area", "outline": '{"type":"Polygon","x":"' + "a" * 60_000 + '"}'},
     "Obrys jest za długi"),
    ("too many points", {"kind": "area", "outline": _star(600)}, "Obrys ma za dużo punktów"),
    ("outside the city", {"kind": "area", "outline": drawn(X + 20_000, Y, 100)},
     "poza granice miasta"),
    ("across the boundary", {"kind": "area", "outline": drawn(X + 4_900, Y, 200)},
     "poza granice miasta"),
    ("too large", {"kind": "area", "outline": drawn(X - 4_000, Y - 4_000, 7_000)},
     "Obszar jest za duży"),
    ("too small", {"kind": "area", "outline": drawn(X, Y, 5)}, "Obszar jest za mały"),
    ("not lon/lat", {"kind": "area",
                     "outline": json.dumps({"type": "Polygon", "coordinates": [BOWTIE]})},
     "długości i szerokości"),
    ("unknown address", {"address": "Nieistniejąca 999"}, "Nie znaleziono w mieście adresu"),
    ("empty address", {"address": ""}, "Wpisz adres"),
    ("radius too big", {"address": "Długa 12", "radius": "100000"}, "Radius"),
    ("radius negative", {"address": "Długa 12", "radius": "-5"}, "Radius"),
    ("radius text", {"address": "Długa 12", "radius": "dużo"}, "Radius"),
    ("no district", {"kind": "district"}, "Wybierz dzielnicę"),
    ("unknown district", {"kind": "district", "district": "999999"}, "District"),
    ("unknown topic", {"address": "Długa 12", "topics": ["nie.ma"]}, "Notify me about"),
    ("no topic", {"address": "Długa 12", "topics": []}, "Notify me about"),
    ("no channel", {"address": "Długa 12", "email": "", "in_app": ""},
     "Wybierz co najmniej jeden sposób"),
    ("unknown kind", {"kind": "kolo"}, "Area"),
    ("name too long", {"address": "Długa 12", "name": "x" * 500}, "Nazwa"),
]  # fmt: skip


@pytest.mark.parametrize(("case", "values", "says"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_input_is_refused_with_a_reason(
    client, resident, street_address, case, values, says
) -> None:
    response = client.post(URL, form(**values))
    assert response.status_code == 400, case
    text = response.content.decode()
    assert 'role="alert"' in text
    if says[0].isupper() and says not in ("Radius", "District", "Notify me about", "Area"):
        assert says in text, case
    assert not Subscription.objects.exists()


def test_a_self_intersecting_outline(client, resident) -> None:
    ring = lonlat_ring(X, Y, 100)
    ring[1], ring[2] = ring[2], ring[1]  # a bow tie
    outline = json.dumps({"type": "Polygon", "coordinates": [ring]})
    response = client.post(URL, form(kind="area", outline=outline))
    assert response.status_code == 400
    assert "przecina sam siebie" in response.content.decode()


def test_at_most_so_many_areas_per_person(client, resident, subscribe, settings) -> None:
    settings.MIASTO_ALERTS_MAX_PER_PERSON = 2
    subscribe(resident, square(X, Y, 100))
    assert client.post(URL, form(kind="area", outline=drawn())).status_code == 302
    response = client.post(URL, form(kind="area", outline=drawn(X + 300, Y)))
    assert response.status_code == 400
    assert "Obserwujesz już 2 obszary" in response.content.decode()
    assert Subscription.objects.count() == 2


def test_creating_is_throttled(client, resident, settings) -> None:
    settings.MIASTO_ALERTS_CREATE_LIMIT = 2
    for _ in range(2):
        client.post(URL, form(kind="area", outline=drawn()))
    response = client.post(URL, form(kind="area", outline=drawn()))
    assert response.status_code == 429
    assert "Odczekaj godzinę" in response.content.decode()
    assert Subscription.objects.count() == 2


def test_anonymous_visitors_are_sent_to_sign_in(client, city) -> None:
    for path in (URL, URL + "skrzynka/"):
        response = client.get(path)
        assert response.status_code == 302 and "/konto/logowanie/" in response["Location"]
    assert client.post(URL, form()).status_code == 302
    assert not Subscription.objects.exists()

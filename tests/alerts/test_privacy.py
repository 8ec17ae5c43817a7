"""Deleting the account deletes the person's areas and notifications; the data export
carries them; nothing of them is public."""

from __future__ import annotations

import json

from miasto.alerts.events import alerts_match
from miasto.alerts.models import AlertProfile, Notification, Subscription
from miasto.alerts.services import profile_for
from miasto.core.privacy import anonymise_user
from tests.alerts.conftest import X, Y, event, point, square


def test_the_anonymiser_deletes_areas_and_notifications(topics, subscribe, make_user) -> None:
    owner, other = make_user(), make_user()
    subscribe(owner, square(X, Y, 100))
    subscribe(other, square(X, Y, 100))
    profile_for(owner)
    alerts_match(event(point(X + 5, Y + 5)))
    touched = anonymise_user(owner)
    assert touched["alerts"] == 3  # one notification, one area, the feed settings
    assert not Subscription.objects.filter(user=owner).exists()
    assert not Notification.objects.filter(user=owner).exists()
    assert not AlertProfile.objects.filter(user=owner).exists()
    assert Notification.objects.filter(user=other).count() == 1


def test_deleting_the_account_deletes_them(client, topics, subscribe, make_user) -> None:
    owner = make_user()
    subscribe(owner, square(X, Y, 100))
    alerts_match(event(point(X + 5, Y + 5)))
    client.force_login(owner)
    response = client.post("/konto/usun/", {"password": "pw-secret-123", "confirm": "on"})
    assert response.status_code == 200
    assert not Subscription.objects.exists() and not Notification.objects.exists()


def test_the_data_export_carries_them(client, topics, subscribe, make_user) -> None:
    owner = make_user()
    subscribe(owner, square(X, Y, 100), name="Dom babci")
    alerts_match(event(point(X + 5, Y + 5), title="Konsultacje placu"))
    client.force_login(owner)
    response = client.get("/konto/dane/")
    assert response.status_code == 200
    text = json.dumps(json.loads(response.content), ensure_ascii=False)
    assert "Dom babci" in text and "Konsultacje placu" in text

"""E-mails are sent by the periodic job, never by the request that emitted the event: one
digest per person, through Django's e-mail backend (the locmem outbox here)."""

from __future__ import annotations

import pytest
from django.core import mail

from miasto.alerts.events import alerts_match
from miasto.alerts.models import Notification
from miasto.core.jobs import periodic_registry
from tests.alerts.conftest import X, Y, event, point, square


def send() -> int:
    task = periodic_registry.get("alerts.send_emails")
    assert task is not None and task.schedule == "* * * * *"
    return int(task.run())


def test_one_digest_per_person_by_the_job(topics, subscribe, make_user) -> None:
    owner = make_user(email="ala@example.org")
    subscribe(owner, square(X, Y, 100), email=True)
    alerts_match(event(point(X + 5, Y + 5), title="Konsultacje placu"))
    alerts_match(event(point(X + 6, Y + 6), subject="k-2", title="Zgłoszenie rozwiązane"))
    assert mail.outbox == []  # nothing sent while matching
    assert send() == 2
    [message] = mail.outbox
    assert message.to == ["ala@example.org"]
    assert message.subject == "[Miasto] 2 nowe powiadomienia o Twoich obszarach"
    assert "Konsultacje placu" in message.body and "Zgłoszenie rozwiązane" in message.body
    assert "https://miasto.example/k/1" in message.body
    assert "/konto/powiadomienia/" in message.body
    assert set(Notification.objects.values_list("email_state", flat=True)) == {"sent"}
    assert send() == 0 and len(mail.outbox) == 1  # nothing twice


def test_areas_without_email_send_none(topics, subscribe, make_user) -> None:
    subscribe(make_user(email="b@example.org"), square(X, Y, 100), email=False)
    alerts_match(event(point(X + 5, Y + 5)))
    assert send() == 0 and mail.outbox == []


def test_a_person_without_an_address_is_skipped(topics, subscribe, make_user) -> None:
    subscribe(make_user(email=""), square(X, Y, 100), email=True)
    alerts_match(event(point(X + 5, Y + 5)))
    assert send() == 0 and mail.outbox == []
    assert Notification.objects.get().email_state == "none"


class BrokenBackend:
    def __init__(self, *args: object, **kwargs: object) -> None:
        pass

    def send_messages(self, messages: object) -> int:
        raise ConnectionRefusedError("the mail server is down")


@pytest.mark.parametrize("tries", [1])
def test_a_failed_send_waits_for_the_next_run(
    topics, subscribe, make_user, settings, tries
) -> None:
    subscribe(make_user(email="c@example.org"), square(X, Y, 100), email=True)
    alerts_match(event(point(X + 5, Y + 5)))
    settings.EMAIL_BACKEND = "tests.alerts.test_email.BrokenBackend"
    assert send() == 0
    assert Notification.objects.get().email_state == "pending"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send() == 1 and len(mail.outbox) == 1

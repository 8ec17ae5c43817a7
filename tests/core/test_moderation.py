"""Reporting content, the moderators' queue and the honeypot (core.moderation), and the
anonymisers that run when an account is deleted (core.privacy)."""

from __future__ import annotations

import pytest

from miasto.core import moderation, privacy
from miasto.core.models import ContentReport

pytestmark = pytest.mark.django_db

PUBLIC = {"1", "2"}


@pytest.fixture(autouse=True)
def english():
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def reportable():
    moderation.reportable_registry.register(
        "test.note", moderation.Reportable("test.note", "note", lambda pk: pk in PUBLIC)
    )
    yield
    moderation.reportable_registry.unregister("test.note")


def test_report_once_per_person_then_resolve(reportable, make_user):
    ala, ola, mod = make_user("resident"), make_user("resident"), make_user("moderator")
    moderation.content_report(kind="test.note", object_id="1", reason="spam", reporter=ala)
    moderation.content_report(kind="test.note", object_id="1", reason="offensive", reporter=ola)
    with pytest.raises(moderation.ModerationError, match="already"):
        moderation.content_report(kind="test.note", object_id="1", reason="spam", reporter=ala)
    assert moderation.reports_count("test.note", ["1", "2"]) == {"1": 2}
    closed = moderation.content_report_resolve(
        kind="test.note", object_id="1", outcome="removed", user=mod
    )
    assert closed == 2 and not moderation.open_reports("test.note").exists()
    assert set(ContentReport.objects.values_list("outcome", flat=True)) == {"removed"}


@pytest.mark.parametrize(
    ("kind", "object_id", "reason", "message"),
    [
        ("test.note", "3", "spam", "no such"),  # not public
        ("nothing.here", "1", "spam", "no such"),  # not a reportable kind
        ("test.note", "1", "because", "reason"),
    ],
)
def test_bad_reports_are_refused(reportable, make_user, kind, object_id, reason, message):
    with pytest.raises(moderation.ModerationError, match=message):
        moderation.content_report(
            kind=kind, object_id=object_id, reason=reason, reporter=make_user("resident")
        )
    assert not ContentReport.objects.exists()


def test_anonymous_people_cannot_report(reportable):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(moderation.ModerationError, match="Sign in"):
        moderation.content_report(
            kind="test.note", object_id="1", reason="spam", reporter=AnonymousUser()
        )


def test_the_honeypot_refuses_a_filled_field():
    assert moderation.HoneypotForm(data={"website": ""}).is_valid()
    form = moderation.HoneypotForm(data={"website": "http://spam.example"})
    assert not form.is_valid() and "website" in form.errors


def test_account_deletion_runs_every_anonymiser(make_user):
    from miasto.accounts.services import delete_account

    seen: list[int] = []
    privacy.anonymiser_registry.register("test", lambda user: seen.append(user.pk) or 1)
    try:
        user = make_user("resident")
        pk = user.pk
        delete_account(user)
    finally:
        privacy.anonymiser_registry.unregister("test")
    assert seen == [pk]


def test_throttle_counts_a_person_within_the_window(rf, make_user):
    from datetime import timedelta

    from miasto.core.models import ThrottleHit
    from miasto.core.throttle import throttle_hit, throttle_prune

    anonymous = rf.post("/", REMOTE_ADDR="203.0.113.9")
    other = rf.post("/", REMOTE_ADDR="203.0.113.10")
    hour = timedelta(hours=1)
    assert [throttle_hit(anonymous, "t", limit=2, window=hour) for _ in range(3)] == [
        True,
        True,
        False,
    ]
    assert throttle_hit(other, "t", limit=2, window=hour)  # another address
    assert throttle_hit(anonymous, "other-bucket", limit=2, window=hour)
    assert not ThrottleHit.objects.filter(who__contains="203.0.113").exists()  # hashed
    ThrottleHit.objects.update(at=ThrottleHit.objects.first().at - timedelta(days=2))  # type: ignore[union-attr]
    assert throttle_prune() == 5
    assert throttle_hit(anonymous, "t", limit=2, window=hour)

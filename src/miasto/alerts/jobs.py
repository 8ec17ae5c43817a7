"""Background work of area alerts.

``alerts.match``: one event matched against every subscription, queued by the events listener
(:mod:`miasto.alerts.events`) — never run by the request that emitted the event.

E-mails, sent in the background too: every minute a worker gathers each person's
notifications waiting for e-mail into one message — a digest of everything since the last
run, however many events there were.

Each person's batch is one transaction: their waiting rows are locked (``SKIP LOCKED``, so
two workers never send the same ones), the message is sent through Django's e-mail backend,
and the rows are marked sent. When sending fails the rows stay waiting for the next run.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext

from miasto.alerts.events import MATCH_JOB, alerts_match, event_from_payload
from miasto.alerts.models import Notification
from miasto.alerts.topics import topic_title
from miasto.core.jobs import JobContext, job_registry, periodic

log = logging.getLogger(__name__)

#: people served in one run (the rest wait for the next minute)
PEOPLE_PER_RUN = 500
#: notifications listed in one message (the page lists the rest)
ENTRIES_PER_MESSAGE = 50

PENDING = Notification.Email.PENDING


def _people_waiting(limit: int) -> list[int]:
    rows = (
        Notification.objects.filter(email_state=PENDING)
        .values_list("user_id", flat=True)
        .distinct()
        .order_by("user_id")
    )
    return list(rows[:limit])


def _message(user: Any, rows: list[Notification]) -> EmailMessage:
    base = settings.MIASTO_PUBLIC_URL
    with translation.override(settings.LANGUAGE_CODE):
        n = len(rows)
        subject = ngettext(
            "%(n)d new notification about your areas",
            "%(n)d new notifications about your areas",
            n,
        ) % {"n": n}
        body = render_to_string(
            "alerts/email_digest.txt",
            {
                "user": user,
                "entries": [(r, topic_title(r.topic)) for r in rows[:ENTRIES_PER_MESSAGE]],
                "more": max(0, n - ENTRIES_PER_MESSAGE),
                "manage_url": base + reverse("alerts:subscriptions"),
                "inbox_url": base + reverse("alerts:notifications"),
            },
        )
    return EmailMessage(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, body=body, to=[user.email]
    )


def _send_to(user_id: int) -> int:
    """One person's digest; the number of notifications it carried."""
    with transaction.atomic():
        rows = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(user_id=user_id, email_state=PENDING)
            .order_by("created_at", "pk")
        )
        if not rows:
            return 0
        user = get_user_model().objects.get(pk=user_id)
        ids = [r.pk for r in rows]
        if not user.email or not user.is_active:
            Notification.objects.filter(pk__in=ids).update(email_state=Notification.Email.NONE)
            return 0
        _message(user, rows).send()
        Notification.objects.filter(pk__in=ids).update(
            email_state=Notification.Email.SENT, emailed_at=timezone.now()
        )
        return len(rows)


def alerts_send_emails(people: int = PEOPLE_PER_RUN) -> int:
    """Send the waiting digests; the number of notifications sent."""
    sent = 0
    for user_id in _people_waiting(people):
        try:
            sent += _send_to(user_id)
        except OSError:  # the mail server: try again next run, go on with the others
            log.exception("alert digest to user %s not sent", user_id)
    return sent


periodic("alerts.send_emails", every=timedelta(minutes=1))(alerts_send_emails)


def match_job(ctx: JobContext) -> dict[str, Any]:
    """The notifications of one event (one statement, in one transaction: a retried job
    never writes them twice)."""
    event = event_from_payload(ctx.payload)
    reached = alerts_match(event)
    if reached:
        log.info("event %s/%s reached %d people", event.topic, event.subject, reached)
    return {"reached": reached}


job_registry.register(MATCH_JOB, match_job)

#: how long the record of a finished matching job is kept (a failed one for a month)
MATCH_KEPT = timedelta(days=7)
MATCH_FAILED_KEPT = timedelta(days=30)


def match_jobs_prune() -> int:
    """Delete the records of old finished ``alerts.match`` jobs (one per event, each carrying
    its geometry); how many. The notifications they wrote stay."""
    from miasto.core.models import Job

    now = timezone.now()
    done = Job.objects.filter(
        kind=MATCH_JOB, status=Job.Status.DONE, finished_at__lt=now - MATCH_KEPT
    )
    failed = Job.objects.filter(
        kind=MATCH_JOB, status=Job.Status.FAILED, finished_at__lt=now - MATCH_FAILED_KEPT
    )
    return done.delete()[0] + failed.delete()[0]


periodic("alerts.match_prune", every=timedelta(days=1))(match_jobs_prune)

"""Moderation shared by every module that publishes what residents write.

- **Reporting content**: anyone signed in may say that a published contribution breaks the
  rules (:func:`content_report`); a module makes its content reportable by registering a
  :class:`Reportable` in its ``moderation.py``. Moderators see the open reports of a kind with
  :func:`open_reports` and close them with :func:`content_report_resolve` (the module itself
  hides or keeps the content, with its reason).
- **A honeypot** (:class:`HoneypotForm`): a field people never see and bots fill in; a form
  whose honeypot is filled is refused with an ordinary validation error, so a bot learns
  nothing from the answer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from miasto.core.models import ContentReport
from miasto.core.registry import Registry


@dataclass(frozen=True)
class Reportable:
    """A kind of published content: ``is_public(object_id)`` says whether it exists and is
    shown publicly (only such content can be reported)."""

    key: str
    label: Any
    is_public: Callable[[str], bool]


reportable_registry: Registry[Reportable] = Registry("reportable content", "moderation")


class ModerationError(ValueError):
    """A report that cannot be taken; ``str()`` says why, in the user's language."""


def content_report(
    *, kind: str, object_id: str, reason: str, note: str = "", reporter: Any
) -> ContentReport:
    """Record that ``reporter`` thinks the content breaks the rules (once per person)."""
    reportable = reportable_registry.get(kind)
    if reportable is None or not reportable.is_public(str(object_id)):
        raise ModerationError(_("There is no such published content."))
    if reason not in ContentReport.Reason.values:
        raise ModerationError(_("Choose a reason from the list."))
    if len(note) > 2000:
        raise ModerationError(_("The note may be at most 2000 characters long."))
    if reporter is None or not reporter.is_authenticated:
        raise ModerationError(_("Sign in to report content."))
    try:
        with transaction.atomic():
            return ContentReport.objects.create(
                kind=kind, object_id=str(object_id), reason=reason, note=note, reporter=reporter
            )
    except IntegrityError as exc:
        raise ModerationError(_("You have already reported this content.")) from exc


def open_reports(kind: str | None = None) -> QuerySet[ContentReport]:
    reports = ContentReport.objects.filter(outcome="")
    return reports.filter(kind=kind) if kind else reports


def reports_count(kind: str, object_ids: list[str]) -> dict[str, int]:
    """Open reports per content id (for a moderator's queue)."""
    counts: dict[str, int] = {}
    for object_id in (
        open_reports(kind).filter(object_id__in=object_ids).values_list("object_id", flat=True)
    ):
        counts[object_id] = counts.get(object_id, 0) + 1
    return counts


@transaction.atomic
def content_report_resolve(*, kind: str, object_id: str, outcome: str, user: Any) -> int:
    """Close every open report on one piece of content; returns how many were closed."""
    if outcome not in (ContentReport.Outcome.KEPT, ContentReport.Outcome.REMOVED):
        raise ModerationError(_("Choose whether the content stays or is removed."))
    return (
        open_reports(kind)
        .filter(object_id=str(object_id))
        .update(outcome=outcome, handled_at=timezone.now(), handled_by=user)
    )


HONEYPOT_FIELD = "website"


class HoneypotForm(forms.Form):
    """Mix into a public form; render ``{{ form.website }}`` inside an element with the
    ``visually-hidden`` class and ``aria-hidden="true"`` (the template tag does not matter to
    bots: they fill in every input they find)."""

    website = forms.CharField(
        label=gettext_lazy("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def clean_website(self) -> str:
        value: str = self.cleaned_data.get(HONEYPOT_FIELD, "")
        if value:
            raise ValidationError(_("The form could not be sent. Please try again."))
        return value

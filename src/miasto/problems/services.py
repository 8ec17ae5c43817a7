"""Writes on problem reports: submitting one, changing its status, notes, assignment, hiding.

Every write is atomic and checked: a report outside the city, without a description or with a
bad attribute is refused with :class:`ReportError` (a Polish sentence and the Open311 error
code it maps to); status changes go through :data:`miasto.problems.statuses.MACHINE`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.gis.geos import Point
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from miasto.core.casework import mark_assigned
from miasto.core.statemachine import TransitionError, roles_of
from miasto.problems import events, routing
from miasto.problems.models import Report, ReportUpdate, Service, ServiceAttribute
from miasto.problems.photos import PhotoError, clean_photo
from miasto.problems.statuses import FINAL, MACHINE, OFFICERS, Status

MAX_DESCRIPTION = 4000


class ReportError(ValueError):
    """A report that cannot be taken; ``code`` is the HTTP/Open311 error code."""

    def __init__(self, message: str, code: int = 400):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Contact:
    """The reporter's contact details: personal data, never published."""

    email: str = ""
    first_name: str = ""
    last_name: str = ""
    phone: str = ""


@dataclass(frozen=True)
class ReportInput:
    service: Service
    x: float  # EPSG:2180
    y: float
    description: str
    address: str = ""
    attributes: dict[str, Any] = field(default_factory=dict)
    photo: UploadedFile | None = None
    contact: Contact = Contact()
    author: Any = None
    channel: str = "web"
    api_key: Any = None


def _check_attribute(attr: ServiceAttribute, raw: Any) -> Any:
    values = raw if isinstance(raw, list) else [raw]
    values = [str(v).strip() for v in values if str(v).strip()]
    if not values:
        if attr.required:
            raise ReportError(_("Answer the question “%(q)s”.") % {"q": attr.description})
        return None
    keys = {str(v.get("key")) for v in attr.values if isinstance(v, dict)}
    Datatype = ServiceAttribute.Datatype
    if attr.datatype in (Datatype.SINGLE, Datatype.MULTI):
        if any(v not in keys for v in values) or (
            attr.datatype == Datatype.SINGLE and len(values) > 1
        ):
            raise ReportError(
                _("Choose an answer from the list for “%(q)s”.") % {"q": attr.description}
            )
        return values if attr.datatype == Datatype.MULTI else values[0]
    value = values[0][:1000]
    if attr.datatype == Datatype.NUMBER:
        try:
            Decimal(value)
        except InvalidOperation:
            raise ReportError(_("“%(q)s” must be a number.") % {"q": attr.description}) from None
    if attr.datatype == Datatype.DATETIME and parse_datetime(value) is None:
        raise ReportError(
            _("“%(q)s” must be a date and time (e.g. 2026-12-07T10:00:00Z).")
            % {"q": attr.description}
        )
    return value


def check_attributes(service: Service, given: dict[str, Any]) -> dict[str, Any]:
    """The answers to the category's questions, checked; unknown keys are refused."""
    attrs = {a.code: a for a in service.attributes.all()}
    unknown = set(given) - set(attrs)
    if unknown:
        raise ReportError(
            _("Unknown attribute: %(codes)s.") % {"codes": ", ".join(sorted(unknown))}
        )
    answers = {}
    for code, attr in attrs.items():
        value = _check_attribute(attr, given.get(code, ""))
        if value is not None:
            answers[code] = value
    return answers


def _checked(data: ReportInput) -> tuple[routing.Route, str, dict[str, Any]]:
    if not data.service.active:
        raise ReportError(_("This category does not accept reports."), code=404)
    description = data.description.strip()
    if not description:
        raise ReportError(_("Describe the problem."))
    if len(description) > MAX_DESCRIPTION:
        raise ReportError(
            _("The description may be at most %(n)d characters long.") % {"n": MAX_DESCRIPTION}
        )
    where = routing.route(data.service.pk, data.x, data.y)
    if where is None or not where.in_city:
        raise ReportError(_("The place is outside the city: choose a place within its borders."))
    return where, description, check_attributes(data.service, data.attributes)


@transaction.atomic
def report_create(data: ReportInput) -> Report:
    """Take a report: check it, route it to its unit, store the photo without metadata."""
    where, description, answers = _checked(data)
    photo = None
    if data.photo is not None:
        try:
            photo = clean_photo(data.photo)
        except PhotoError as exc:
            raise ReportError(str(exc)) from None
    now = timezone.now()
    report = Report(
        service=data.service,
        geom=Point(data.x, data.y, srid=Report._meta.get_field("geom").srid),
        address=data.address.strip()[:250],
        description=description,
        attributes=answers,
        unit_id=where.unit_id,
        district_id=where.district_id,
        channel=data.channel,
        api_key=data.api_key,
        author=data.author if data.author is not None and data.author.is_authenticated else None,
        email=data.contact.email.strip()[:254],
        first_name=data.contact.first_name.strip()[:100],
        last_name=data.contact.last_name.strip()[:100],
        phone=data.contact.phone.strip()[:40],
        requested_at=now,
        updated_at=now,
    )
    if photo is not None:
        report.photo.save(f"zgloszenie{photo.extension}", ContentFile(photo.content), save=False)
    report.save()
    ReportUpdate.objects.create(report=report, status_to=Status.OPEN, at=now)
    return report


@transaction.atomic
def report_transition(
    report: Report, target: str, user: Any, note: str = "", duplicate_of: Report | None = None
) -> Report:
    """Move ``report`` to ``target`` (if ``user`` may), with an optional public note."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    MACHINE.check(report.status, target, user)
    if target == Status.DUPLICATE:
        if duplicate_of is None or duplicate_of.pk == report.pk:
            raise TransitionError(_("Say which report this one duplicates."))
        report.duplicate_of = duplicate_of
    previous, now = report.status, timezone.now()
    report.status = target
    report.updated_at = now
    report.answered_at = report.answered_at or now
    report.closed_at = now if target in FINAL else None
    if note.strip():
        report.public_note = note.strip()[:4000]
    report.save()
    ReportUpdate.objects.create(
        report=report, status_from=previous, status_to=target, note=note.strip()[:4000],
        author=user, at=now,
    )  # fmt: skip
    events.status_changed(report, previous)
    return report


@transaction.atomic
def report_note(report: Report, user: Any, note: str, *, public: bool = True) -> ReportUpdate:
    """A note on the report (public: shown on its page and in Open311's status_notes)."""
    note = note.strip()
    if not note:
        raise ReportError(_("Write the note."))
    now = timezone.now()
    update = ReportUpdate.objects.create(
        report=report, note=note[:4000], public=public, author=user, at=now
    )
    fields: dict[str, Any] = {"updated_at": now}
    if public:
        fields["public_note"] = update.note
    if public and report.answered_at is None:
        fields["answered_at"] = now
    Report.objects.filter(pk=report.pk).update(**fields)
    return update


@transaction.atomic
def report_assign(report: Report, assignee: Any, unit: Any = None) -> Report:
    """Give the report to an officer (a member of its unit who handles reports), or hand it
    to another unit."""
    if unit is not None and unit.pk != report.unit_id:
        report.unit = unit
        mark_assigned(report, None)
    if assignee is not None and not assignee.org_units.filter(pk=report.unit_id).exists():
        raise ReportError(_("The officer is not a member of the unit handling the report."))
    if assignee is not None and not roles_of(assignee) & OFFICERS:
        raise ReportError(_("The person does not handle problem reports."))
    if assignee is not None:
        mark_assigned(report, assignee)
    report.updated_at = timezone.now()
    report.save(update_fields=["unit", "assignee", "assigned_at", "updated_at"])
    return report


@transaction.atomic
def report_hide(report: Report, reason: str) -> Report:
    """Hide a report from the public (a moderator's decision; the reason is shown)."""
    reason = reason.strip()
    if not reason:
        raise ReportError(_("Give the reason for hiding the report; it is shown publicly."))
    report.hidden_reason = reason[:300]
    report.save(update_fields=["hidden_reason"])
    return report

"""Writes of the consultations module: set-up, lifecycle, documents, comments, moderation,
handling. Every function is atomic and raises :class:`ConsultationError` with a sentence a
person understands; views stay thin."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Point
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from miasto.consultations import config, events
from miasto.consultations.lifecycle import MACHINE
from miasto.consultations.models import (
    Attachment,
    Category,
    Channel,
    Comment,
    Consultation,
    Document,
    Handling,
    Moderation,
    Report,
    Status,
    StatusChange,
)
from miasto.consultations.uploads import (
    FileRefused,
    attachment_max_bytes,
    check_file,
    document_max_bytes,
)
from miasto.core.acts import act_resolve
from miasto.core.statemachine import TransitionError, roles_of
from miasto.territory.models import City, Parcel
from miasto.territory.search import search

#: the longest comment, in characters
MAX_TEXT = 5000
#: the most attachments of one comment
MAX_ATTACHMENTS = 3
#: the most vertices of a comment's geometry
MAX_VERTICES = 2000


class ConsultationError(ValueError):
    """A write that is refused; ``str()`` says why, in the user's language."""


# --------------------------------------------------------------------------- set-up


@dataclass(frozen=True)
class Setup:
    """What a planner sets up: the announcement's content."""

    title: str
    starts_on: dt.date
    ends_on: dt.date
    forms: list[str]
    summary: str = ""
    act: str = ""
    area: Any = None  # GEOSGeometry (EPSG:2180) when the consultation concerns an area
    forms_details: str = ""
    #: the unit handling the comments (their queue, assignment and answer templates)
    unit_id: int | None = None


def setup_problems(setup: Setup) -> list[str]:
    """Everything that keeps ``setup`` from being announced (empty: it may be)."""
    problems = [*config.forms_problems(setup.forms)]
    problems += config.dates_problems(setup.starts_on, setup.ends_on)
    if not setup.title.strip():
        problems.append(_("Give the consultation a title."))
    if setup.act and act_resolve(setup.act) is None:
        problems.append(_("There is no such act to consult on."))
    if not setup.act and setup.area is None:
        problems.append(_("Choose the act consulted on or draw its area."))
    return problems


def _area(setup: Setup) -> MultiPolygon | None:
    geom = setup.area
    if geom is None and setup.act:
        resolved = act_resolve(setup.act)
        geom = resolved[0].area(resolved[1]) if resolved else None
    if geom is None:
        return None
    if geom.geom_type == "Polygon":
        geom = MultiPolygon(geom, srid=geom.srid)
    if geom.geom_type != "MultiPolygon" or not geom.valid:
        raise ConsultationError(_("The area must be a valid polygon."))
    return geom


def _act_title(ref: str) -> str:
    resolved = act_resolve(ref) if ref else None
    return f"{resolved[0].label}: {resolved[0].title(resolved[1])}"[:600] if resolved else ""


@transaction.atomic
def consultation_create(*, setup: Setup, user: Any) -> Consultation:
    """A new consultation in draft; the forms and dates are checked now (and again when it is
    announced)."""
    problems = setup_problems(setup)
    if problems:
        raise ConsultationError(" ".join(problems))
    return Consultation.objects.create(
        title=setup.title.strip(),
        summary=setup.summary,
        act=setup.act,
        act_title=_act_title(setup.act),
        area=_area(setup),
        forms=list(dict.fromkeys(setup.forms)),
        forms_details=setup.forms_details,
        unit_id=setup.unit_id,
        starts_on=setup.starts_on,
        ends_on=setup.ends_on,
        created_by=user if getattr(user, "pk", None) else None,
    )


@transaction.atomic
def consultation_update(*, consultation: Consultation, setup: Setup) -> Consultation:
    """Change a draft's announcement (an announced consultation keeps what it announced)."""
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if consultation.status != Status.DRAFT:
        raise ConsultationError(_("Only a draft consultation can be changed."))
    problems = setup_problems(setup)
    if problems:
        raise ConsultationError(" ".join(problems))
    for name in ("title", "summary", "act", "forms_details", "starts_on", "ends_on", "unit_id"):
        setattr(consultation, name, getattr(setup, name))
    consultation.forms = list(dict.fromkeys(setup.forms))
    consultation.act_title = _act_title(setup.act)
    consultation.area = _area(setup)
    consultation.save()
    return consultation


@transaction.atomic
def consultation_set_unit(*, consultation: Consultation, unit: Any) -> None:
    """The unit handling the comments (their queue, assignment and answer templates): an
    internal routing, not part of the announcement, so it may change in any state."""
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    consultation.unit = unit
    consultation.save(update_fields=["unit"])  # (audited: the model's history shows who)


@transaction.atomic
def consultation_set_course(*, consultation: Consultation, course: str) -> None:
    """The course of the consultation (meetings held, how many came…) for the report."""
    if len(course) > 20000:
        raise ConsultationError(_("The description may be at most 20 000 characters long."))
    if consultation.status == Status.REPORT_PUBLISHED:
        raise ConsultationError(_("The report is published: its content cannot change."))
    Consultation.objects.filter(pk=consultation.pk).update(course=course)


def as_setup(consultation: Consultation) -> Setup:
    return Setup(
        title=consultation.title,
        starts_on=consultation.starts_on,
        ends_on=consultation.ends_on,
        forms=list(consultation.forms),
        summary=consultation.summary,
        act=consultation.act,
        area=consultation.area,
        forms_details=consultation.forms_details,
        unit_id=consultation.unit_id,
    )


# --------------------------------------------------------------------------- lifecycle


def _transition_problems(consultation: Consultation, target: str, today: dt.date) -> list[str]:
    if target == Status.ANNOUNCED:
        problems = setup_problems(as_setup(consultation))
        if today > consultation.starts_on:
            problems.append(
                _(
                    "A consultation is announced no later than on its first day (art. 8h "
                    "ust. 1): move its dates first."
                )
            )
        return problems
    if target == Status.OPEN and today < consultation.starts_on:
        return [_("The consultation opens on its first day.")]
    if target == Status.CLOSED and today <= consultation.ends_on:
        return [_("The consultation closes after its last day, not sooner.")]
    if target == Status.REPORT_PUBLISHED:
        return _report_problems(consultation)
    return []


def _report_problems(consultation: Consultation) -> list[str]:
    report = getattr(consultation, "report", None)
    if report is None:
        return [_("Generate the summary report first.")]
    waiting = consultation.comments.filter(handling="").count()
    if waiting:
        return [_("%(count)s comments have no proposed handling yet.") % {"count": waiting}]
    pending = consultation.comments.filter(moderation=Moderation.PENDING).count()
    if pending:
        return [_("%(count)s comments wait for moderation.") % {"count": pending}]
    changed = consultation.comments.aggregate(last=Max("updated_at"))["last"]
    if changed is not None and changed > report.generated_at:
        return [_("Comments changed after the report was generated: generate it again.")]
    return []


@transaction.atomic
def consultation_transition(
    *, consultation: Consultation, target: str, user: Any, today: dt.date | None = None
) -> Consultation:
    """Move the consultation to ``target`` if the machine and the law allow it."""
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    day = today or timezone.localdate()
    try:
        MACHINE.check(consultation.status, target, user)
    except TransitionError as exc:
        raise ConsultationError(str(exc)) from None
    problems = _transition_problems(consultation, target, day)
    if problems:
        raise ConsultationError(" ".join(problems))
    source = consultation.status
    consultation.status = target
    if target == Status.ANNOUNCED:
        consultation.announced_on = day
    if target == Status.CLOSED:
        consultation.closed_on = day
    consultation.save()
    StatusChange.objects.create(
        consultation=consultation,
        from_status=source,
        to_status=target,
        by=user if getattr(user, "pk", None) else None,
    )
    if target == Status.REPORT_PUBLISHED:
        consultation.report.published_at = timezone.now()
        consultation.report.save(update_fields=["published_at"])
        events.report_published(consultation)
    if target == Status.ANNOUNCED:
        events.announced(consultation)
    return consultation


def consultations_advance(today: dt.date | None = None) -> int:
    """Open announced consultations whose first day came and close open ones whose last day
    passed (the periodic job); how many moved."""
    day = today or timezone.localdate()
    moved = 0
    due = [
        *Consultation.objects.filter(status=Status.ANNOUNCED, starts_on__lte=day),
        *Consultation.objects.filter(status=Status.OPEN, ends_on__lt=day),
    ]
    for consultation in due:
        target = Status.OPEN if consultation.status == Status.ANNOUNCED else Status.CLOSED
        consultation_transition(consultation=consultation, target=target, user=None, today=day)
        moved += 1
    return moved


# --------------------------------------------------------------------------- documents


@transaction.atomic
def document_add(*, consultation: Consultation, title: str, upload: Any) -> Document:
    if consultation.status == Status.REPORT_PUBLISHED:
        raise ConsultationError(_("The consultation is over: its documents cannot change."))
    if not title.strip() or len(title) > 300:
        raise ConsultationError(_("Give the document a title (at most 300 characters)."))
    try:
        checked = check_file(upload, document_max_bytes())
    except FileRefused as exc:
        raise ConsultationError(str(exc)) from None
    document = Document(
        consultation=consultation,
        title=title.strip(),
        content_type=checked.content_type,
        size=checked.size,
    )
    document.file.save(checked.name, checked.upload, save=False)
    document.save()
    return document


# --------------------------------------------------------------------------- comments


@dataclass(frozen=True)
class Author:
    """Who makes a comment (art. 8g ust. 2): kept, never published."""

    name: str
    address: str
    is_owner: bool
    email: str = ""


@dataclass(frozen=True)
class CommentInput:
    text: str
    category: str
    author: Author
    geom: Any = None  # GEOSGeometry in any SRID, or None
    parcel: str = ""
    part_key: str = ""
    attachments: list[Any] = field(default_factory=list)
    channel: str = Channel.ONLINE
    received_on: dt.date | None = None


def _check_text(data: CommentInput) -> None:
    text = data.text.strip()
    if not text:
        raise ConsultationError(_("The comment is empty: write what you propose or object to."))
    if len(text) > MAX_TEXT:
        raise ConsultationError(
            _("The comment is too long: at most %(max)s characters (it has %(n)s).")
            % {"max": MAX_TEXT, "n": len(text)}
        )
    if not data.author.name.strip() or not data.author.address.strip():
        raise ConsultationError(
            _("Give your name and address: the law requires them (art. 8g ust. 2).")
        )
    if len(data.author.name) > 200 or len(data.author.address) > 300:
        raise ConsultationError(_("The name or the address is too long."))


def _parcel_geom(identifier: str) -> GEOSGeometry:
    parcel = Parcel.objects.filter(identifier=identifier.strip()).only("geom").first()
    if parcel is None:
        raise ConsultationError(
            _("There is no parcel %(id)s in the city's register.") % {"id": identifier[:40]}
        )
    return parcel.geom


def _check_geom(geom: GEOSGeometry) -> GEOSGeometry:
    """``geom`` in the storage CRS if it is a valid point, line or polygon inside the city."""
    if geom.geom_type not in (
        "Point", "LineString", "Polygon", "MultiPoint", "MultiLineString", "MultiPolygon",
    ):  # fmt: skip
        raise ConsultationError(_("Mark a point, a line or an area."))
    if geom.num_coords > MAX_VERTICES:
        raise ConsultationError(
            _("The drawing has too many points (at most %(max)s).") % {"max": MAX_VERTICES}
        )
    if geom.empty or not geom.valid:
        raise ConsultationError(
            _("The drawing is not a valid shape (e.g. its outline crosses itself): draw it again.")
        )
    if geom.srid is None:
        raise ConsultationError(_("The drawing has no coordinate system."))
    if geom.srid != settings.MIASTO_SRID:
        try:
            geom = geom.transform(settings.MIASTO_SRID, clone=True)
        except Exception:  # GDAL refuses coordinates it cannot project
            raise ConsultationError(_("The drawing lies outside the city.")) from None
    if not City.objects.filter(geom__covers=geom).exists():
        raise ConsultationError(_("The drawing lies outside the city: mark a place in it."))
    return geom


def _part(consultation: Consultation, key: str) -> str:
    """The label of the act's part ``key`` (a zone), or a refusal."""
    if not key:
        return ""
    resolved = act_resolve(consultation.act) if consultation.act else None
    parts = resolved[0].parts(resolved[1]) if resolved else []
    for part in parts:
        if part.key == key:
            return part.label
    raise ConsultationError(_("Choose the zone or provision from the list."))


def _may_enter(consultation: Consultation, data: CommentInput, staff: bool) -> dt.date:
    """The day the comment counts as received, if it may still be taken."""
    today = timezone.localdate()
    if consultation.status == Status.OPEN and consultation.starts_on <= today:
        received = data.received_on if staff and data.received_on else today
    elif staff and consultation.status == Status.CLOSED and data.received_on:
        received = data.received_on  # a letter posted in time, entered after the close
    else:
        raise ConsultationError(
            _("Comments are taken only while the consultation is open (%(start)s – %(end)s).")
            % {"start": consultation.starts_on, "end": consultation.ends_on}
        )
    if not consultation.starts_on <= received <= consultation.ends_on:
        raise ConsultationError(_("The comment was received outside the consultation's dates."))
    return received


def _attachments(files: list[Any]) -> list[Any]:
    if len(files) > MAX_ATTACHMENTS:
        raise ConsultationError(
            _("At most %(max)s attachments to one comment.") % {"max": MAX_ATTACHMENTS}
        )
    try:
        return [check_file(f, attachment_max_bytes()) for f in files]
    except FileRefused as exc:
        raise ConsultationError(str(exc)) from None


@transaction.atomic
def comment_submit(*, consultation: Consultation, data: CommentInput, user: Any) -> Comment:
    """Take a comment: a resident's (online, waiting for moderation) or one entered by staff
    from paper, e-mail or a meeting (published at once). Nothing is written if any part is
    refused."""
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    staff = data.channel != Channel.ONLINE
    if staff and not roles_of(user) & {"planner", "moderator", "administrator"}:
        raise ConsultationError(_("Only the city's staff enter comments received otherwise."))
    received = _may_enter(consultation, data, staff)
    _check_text(data)
    if data.category not in Category.values:
        raise ConsultationError(_("Choose a category from the list."))
    geom = data.geom
    if geom is None and data.parcel:
        geom = _parcel_geom(data.parcel)
    geom = _check_geom(geom) if geom is not None else None
    part_label = _part(consultation, data.part_key)
    checked = _attachments(data.attachments)
    number = (consultation.comments.aggregate(n=Max("number"))["n"] or 0) + 1
    comment = Comment.objects.create(
        consultation=consultation,
        number=number,
        text=data.text.strip(),
        category=data.category,
        part_key=data.part_key,
        part_label=part_label,
        geom=geom,
        parcel=data.parcel.strip()[:40],
        channel=data.channel,
        received_on=received,
        author=user if not staff and getattr(user, "pk", None) else None,
        author_name=data.author.name.strip(),
        author_address=data.author.address.strip(),
        author_email=data.author.email.strip(),
        is_owner=data.author.is_owner,
        entered_by=user if staff else None,
        moderation=Moderation.PUBLISHED if staff else Moderation.PENDING,
    )
    for item in checked:
        attachment = Attachment(
            comment=comment, name=item.name, content_type=item.content_type, size=item.size
        )
        attachment.file.save(item.name, item.upload, save=False)
        attachment.save()
    return comment


@transaction.atomic
def comment_moderate(*, comment: Comment, publish: bool, reason: str = "") -> Comment:
    """Publish a comment, or hide it with a reason shown in its place. A hidden comment still
    counts: the summary report lists it with its handling."""
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if comment.consultation.status == Status.REPORT_PUBLISHED:
        raise ConsultationError(_("The report is published: its comments cannot change."))
    if publish:
        comment.moderation, comment.hidden_reason = Moderation.PUBLISHED, ""
    else:
        if not reason.strip() or len(reason) > 300:
            raise ConsultationError(_("Give the reason for hiding (at most 300 characters)."))
        comment.moderation, comment.hidden_reason = Moderation.HIDDEN, reason.strip()
    comment.save()
    return comment


@transaction.atomic
def comment_handle(*, comment: Comment, handling: str, justification: str, user: Any) -> Comment:
    """Record the proposed handling of a comment with its justification (art. 8k ust. 2)."""
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if comment.consultation.status in (Status.DRAFT, Status.ANNOUNCED):
        raise ConsultationError(_("Comments are handled once the consultation is open."))
    if comment.consultation.status == Status.REPORT_PUBLISHED:
        raise ConsultationError(_("The report is published: its comments cannot change."))
    if handling not in (Handling.ACCEPTED, Handling.PARTLY, Handling.NOT_ACCEPTED):
        raise ConsultationError(_("Choose: accepted, partly accepted or not accepted."))
    if not justification.strip():
        raise ConsultationError(_("Justify the proposed handling."))
    if len(justification) > 5000:
        raise ConsultationError(_("The justification may be at most 5000 characters long."))
    comment.handling = handling
    comment.justification = justification.strip()
    comment.handled_by = user
    comment.handled_at = timezone.now()
    comment.save()
    return comment


def report_file_save(consultation: Consultation, pdf: bytes, csv_text: str, count: int) -> None:
    """Store a freshly generated summary report (the job's last step)."""
    report, _created = Report.objects.get_or_create(
        consultation=consultation, defaults={"generated_at": timezone.now()}
    )
    if report.published_at is not None:
        raise ConsultationError(_("The report is published: its content cannot change."))
    stamp = timezone.now()
    report.pdf.save(f"raport-{stamp:%Y%m%d%H%M%S}.pdf", ContentFile(pdf), save=False)
    report.csv.save(f"raport-{stamp:%Y%m%d%H%M%S}.csv", ContentFile(csv_text.encode()), save=False)
    report.comments = count
    report.generated_at = stamp
    report.save()


def place_resolve(text: str) -> tuple[GEOSGeometry, str]:
    """The geometry and parcel of a place typed instead of drawn (the keyboard's way): a
    parcel identifier or number, or an address — the spine's search's best match."""
    results = search(text, limit=3).get("results", [])
    best = next((r for r in results if r["type"] in ("parcel", "address")), None)
    if best is None:
        raise ConsultationError(
            _("No parcel or address matches “%(text)s”: check it or mark the place on the map.")
            % {"text": text[:80]}
        )
    parcel = best.get("parcel") or ""
    if best["type"] == "parcel" and parcel:
        return _parcel_geom(parcel), parcel
    lon, lat = best["point"]
    return Point(float(lon), float(lat), srid=4326), parcel

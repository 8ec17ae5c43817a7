"""Writes on proposals: submit, support, comment, change status with feedback, assign,
moderate, answer templates. Each is atomic; a refusal raises
:class:`~miasto.proposals.validation.ProposalError` with a sentence for the person."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.gis.geos import GEOSGeometry
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from miasto.core.acts import act_resolve
from miasto.core.casework import mark_assigned
from miasto.core.models import ContentReport
from miasto.core.moderation import content_report_resolve
from miasto.core.statemachine import TransitionError, roles_of
from miasto.proposals import events
from miasto.proposals.models import (
    Category,
    Comment,
    Proposal,
    StatusChange,
    Support,
)
from miasto.proposals.statuses import MACHINE, STAFF_ROLES
from miasto.proposals.validation import ProposalError
from miasto.territory.models import District, OrgUnit

MAX_FEEDBACK = 5000
MAX_REASON = 500


def is_verified(user: Any) -> bool:
    """Whether ``user`` is signed in with a verified e-mail address (one account, one voice)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return EmailAddress.objects.filter(user=user, verified=True).exists()


def is_staff_member(user: Any) -> bool:
    """Whether ``user`` works on proposals (moderator, planner, administrator)."""
    return bool(user is not None and user.is_authenticated and roles_of(user) & STAFF_ROLES)


def _require_verified(user: Any) -> None:
    if not is_verified(user):
        raise ProposalError(
            _("Only signed-in residents with a verified e-mail address may do this.")
        )


@dataclass(frozen=True)
class ProposalInput:
    title: str
    description: str
    category: str
    geom: GEOSGeometry  # EPSG:2180, checked (validation.geometry_*)
    act_ref: str = ""
    budget_line: str = ""
    photo: bytes | None = None
    photo_alt: str = ""


def _checked(data: ProposalInput) -> tuple[str, str]:
    """The act's (ref, title) if one is named; raises on anything wrong in ``data``."""
    if not data.title.strip() or len(data.title) > 200:
        raise ProposalError(_("Give the proposal a title of at most 200 characters."))
    if not data.description.strip() or len(data.description) > 5000:
        raise ProposalError(_("Describe the proposal in at most 5000 characters."))
    if data.category not in Category.values:
        raise ProposalError(_("Choose a category from the list."))
    if len(data.budget_line) > 120:
        raise ProposalError(_("The budget line may be at most 120 characters long."))
    if data.photo and not data.photo_alt.strip():
        raise ProposalError(_("Describe the photo in a few words for those who cannot see it."))
    if not data.act_ref:
        return "", ""
    found = act_resolve(data.act_ref)
    if found is None:
        raise ProposalError(_("There is no such act; choose one from the list."))
    kind, act_id = found
    return data.act_ref, str(kind.title(act_id) or "")[:300]


@transaction.atomic
def proposal_submit(data: ProposalInput, *, author: Any) -> Proposal:
    """Publish a resident's proposal (status ``submitted``) and announce it."""
    _require_verified(author)
    act_ref, act_title = _checked(data)
    district = District.objects.filter(geom__intersects=data.geom.point_on_surface).first()
    proposal = Proposal.objects.create(
        title=data.title.strip(),
        description=data.description.strip(),
        category=data.category,
        geom=data.geom,
        act_ref=act_ref,
        act_title=act_title,
        budget_line=data.budget_line.strip(),
        photo=data.photo or None,
        photo_alt=data.photo_alt.strip() if data.photo else "",
        author=author,
        district=district,
    )
    events.published(proposal)
    return proposal


def proposal_support(proposal: Proposal, *, user: Any) -> None:
    """Add ``user``'s support, once per verified account (the database's unique constraint
    decides, so two requests at once still count one)."""
    _require_verified(user)
    if proposal.is_hidden:
        raise ProposalError(_("This proposal was hidden by a moderator."))
    try:
        with transaction.atomic():
            Support.objects.create(proposal=proposal, user=user)
            Proposal.objects.filter(pk=proposal.pk).update(support_count=F("support_count") + 1)
    except IntegrityError:
        raise ProposalError(_("You have already supported this proposal.")) from None


@transaction.atomic
def comment_add(proposal: Proposal, *, user: Any, body: str) -> Comment:
    _require_verified(user)
    body = body.strip()
    if not body:
        raise ProposalError(_("The comment is empty."))
    if len(body) > 2000:
        raise ProposalError(_("The comment may be at most 2000 characters long."))
    if proposal.is_hidden:
        raise ProposalError(_("This proposal was hidden by a moderator."))
    return Comment.objects.create(proposal=proposal, author=user, body=body)


@transaction.atomic
def proposal_change_status(
    proposal: Proposal, *, target: str, feedback: str, user: Any
) -> StatusChange:
    """Move ``proposal`` to ``target`` with the official ``feedback`` (required)."""
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    try:
        MACHINE.check(locked.status, target, user)
    except TransitionError as exc:
        raise ProposalError(str(exc)) from None
    feedback = feedback.strip()
    if not feedback:
        raise ProposalError(_("Write the official feedback: residents see it with the status."))
    if len(feedback) > MAX_FEEDBACK:
        raise ProposalError(_("The feedback may be at most 5000 characters long."))
    now = timezone.now()
    unit = locked.unit or (user.org_units.order_by("code").first() if user else None)
    change = StatusChange.objects.create(
        proposal=locked,
        source=locked.status,
        target=target,
        feedback=feedback,
        actor=user,
        unit_name=unit.name if unit else "",
    )
    locked.status, locked.status_changed_at = target, now
    locked.answered_at = locked.answered_at or now
    locked.save(update_fields=["status", "status_changed_at", "answered_at"])
    events.status_changed(locked, change)
    proposal.refresh_from_db()
    return change


@transaction.atomic
def proposal_assign(
    proposal: Proposal, *, unit: OrgUnit | None, assignee: Any, user: Any
) -> Proposal:
    """Route ``proposal`` to ``unit`` and, optionally, to one of its staff."""
    if not is_staff_member(user):
        raise ProposalError(_("Only staff handling proposals may assign them."))
    if assignee is not None:
        if unit is None or not unit.members.filter(pk=assignee.pk).exists():
            raise ProposalError(_("The person must work in the chosen unit."))
        if not is_staff_member(assignee):
            raise ProposalError(_("The person does not handle proposals."))
    proposal.unit = unit
    mark_assigned(proposal, assignee)
    proposal.save(update_fields=["unit", "assignee", "assigned_at"])
    return proposal


def _moderate(kind: str, obj: Proposal | Comment, *, hide: bool, reason: str, user: Any) -> None:
    if "moderator" not in roles_of(user) and "administrator" not in roles_of(user):
        raise ProposalError(_("Only moderators may hide or keep content."))
    reason = reason.strip()
    if hide and not reason:
        raise ProposalError(_("Give the reason: it is shown publicly in place of the content."))
    if len(reason) > MAX_REASON:
        raise ProposalError(_("The reason may be at most 500 characters long."))
    if hide:
        obj.hidden_reason, obj.hidden_at = reason, timezone.now()
    else:
        obj.hidden_reason, obj.hidden_at = "", None
    obj.save(update_fields=["hidden_reason", "hidden_at"])
    outcome = ContentReport.Outcome.REMOVED if hide else ContentReport.Outcome.KEPT
    content_report_resolve(kind=kind, object_id=str(obj.pk), outcome=outcome, user=user)


@transaction.atomic
def proposal_moderate(proposal: Proposal, *, hide: bool, reason: str, user: Any) -> None:
    _moderate("proposal", proposal, hide=hide, reason=reason, user=user)


@transaction.atomic
def comment_moderate(comment: Comment, *, hide: bool, reason: str, user: Any) -> None:
    _moderate("proposal_comment", comment, hide=hide, reason=reason, user=user)

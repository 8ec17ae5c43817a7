"""Supports once per account, statuses by role with feedback, comments, moderation, privacy,
events."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from miasto.core.events import Event, listener_registry
from miasto.core.moderation import content_report, open_reports
from miasto.core.privacy import anonymise_user
from miasto.proposals import services
from miasto.proposals.models import Proposal, StatusChange, Support
from miasto.proposals.statuses import Status
from miasto.proposals.validation import ProposalError
from tests.proposals.factories import proposal


def test_support_once_per_account(resident, other_resident) -> None:
    p = proposal(resident)
    services.proposal_support(p, user=other_resident)
    with pytest.raises(ProposalError, match="Już poparłeś"):
        services.proposal_support(p, user=other_resident)
    p.refresh_from_db()
    assert p.support_count == 1
    assert Support.objects.filter(proposal=p).count() == 1


def test_the_database_refuses_a_second_support(resident, other_resident) -> None:
    p = proposal(resident)
    Support.objects.create(proposal=p, user=other_resident)
    with pytest.raises(IntegrityError), transaction.atomic():
        Support.objects.create(proposal=p, user=other_resident)


def test_unverified_account_may_not_propose_or_support(resident, make_user) -> None:
    p = proposal(resident)
    unverified = make_user("resident")
    with pytest.raises(ProposalError, match="potwierdzonym"):
        services.proposal_support(p, user=unverified)
    with pytest.raises(ProposalError, match="potwierdzonym"):
        services.comment_add(p, user=unverified, body="Hej")
    assert Support.objects.count() == 0


@pytest.mark.parametrize(
    ("role", "source", "target", "allowed"),
    [
        ("moderator", Status.SUBMITTED, Status.UNDER_REVIEW, True),
        ("moderator", Status.SUBMITTED, Status.REJECTED, True),
        ("moderator", Status.UNDER_REVIEW, Status.ACCEPTED, False),
        ("planner", Status.UNDER_REVIEW, Status.ACCEPTED, True),
        ("administrator", Status.ACCEPTED, Status.IMPLEMENTED, True),
        ("planner", Status.SUBMITTED, Status.IMPLEMENTED, False),
        ("resident", Status.SUBMITTED, Status.UNDER_REVIEW, False),
        ("case_officer", Status.SUBMITTED, Status.UNDER_REVIEW, False),
        ("data_steward", Status.UNDER_REVIEW, Status.REJECTED, False),
    ],
)
def test_status_changes_by_role(resident, make_user, role, source, target, allowed) -> None:
    p = proposal(resident)
    Proposal.objects.filter(pk=p.pk).update(status=source)
    p.refresh_from_db()
    user = make_user(role)
    if allowed:
        services.proposal_change_status(p, target=target, feedback="Odpowiedź miasta.", user=user)
        p.refresh_from_db()
        assert p.status == target and p.answered_at is not None
        assert StatusChange.objects.get(proposal=p).feedback == "Odpowiedź miasta."
    else:
        with pytest.raises(ProposalError):
            services.proposal_change_status(p, target=target, feedback="Nie.", user=user)
        p.refresh_from_db()
        assert p.status == source and not StatusChange.objects.filter(proposal=p).exists()


def test_feedback_is_required(resident, make_user) -> None:
    p = proposal(resident)
    with pytest.raises(ProposalError, match="oficjalną odpowiedź"):
        services.proposal_change_status(
            p, target=Status.UNDER_REVIEW, feedback="   ", user=make_user("moderator")
        )
    p.refresh_from_db()
    assert p.status == Status.SUBMITTED


def test_events_carry_geometry_and_no_person(
    resident, make_user, django_capture_on_commit_callbacks
) -> None:
    heard: list[Event] = []
    listener_registry.register("test-proposals", heard.append)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            p = proposal(resident)
            services.proposal_change_status(
                p, target=Status.UNDER_REVIEW, feedback="Analizujemy.", user=make_user("planner")
            )
    finally:
        listener_registry.unregister("test-proposals")
    topics = [e.topic for e in heard if e.subject == str(p.pk)]
    assert topics == ["proposal.published", "proposal.status_changed"]
    for event in heard:
        assert event.geometry is not None and event.geometry.srid == 2180
        assert event.data["url"].endswith(f"/pomysly/{p.pk}/") and event.data["title"]
        assert resident.username not in str(event.data)


def test_moderation_hides_with_a_public_reason_and_closes_reports(
    resident, other_resident, make_user
) -> None:
    p = proposal(resident)
    comment = services.comment_add(p, user=other_resident, body="Spam spam")
    content_report(
        kind="proposal_comment", object_id=str(comment.pk), reason="spam", reporter=resident
    )
    with pytest.raises(ProposalError):
        services.comment_moderate(comment, hide=True, reason="spam", user=make_user("planner"))
    with pytest.raises(ProposalError, match="Podaj powód"):
        services.comment_moderate(comment, hide=True, reason="", user=make_user("moderator"))
    services.comment_moderate(comment, hide=True, reason="reklama", user=make_user("moderator"))
    comment.refresh_from_db()
    assert comment.hidden_reason == "reklama" and comment.hidden_at is not None
    assert not open_reports("proposal_comment").exists()


def test_anonymiser_keeps_the_record_and_drops_the_person(resident, other_resident) -> None:
    p = proposal(resident)
    services.proposal_support(p, user=other_resident)
    services.comment_add(p, user=other_resident, body="Popieram")
    touched = anonymise_user(other_resident)
    assert touched["proposals"] == 2
    anonymise_user(resident)
    p.refresh_from_db()
    assert p.author is None and p.support_count == 1
    assert Support.objects.get(proposal=p).user is None
    assert p.comments.get().author is None


def test_assignment_to_a_unit_and_its_member(resident, make_user) -> None:
    from tests.territory.factories import OrgUnitFactory

    p = proposal(resident)
    unit = OrgUnitFactory()
    planner, outsider = make_user("planner"), make_user("planner")
    unit.members.add(planner)
    with pytest.raises(ProposalError, match="jednostce"):
        services.proposal_assign(p, unit=unit, assignee=outsider, user=planner)
    services.proposal_assign(p, unit=unit, assignee=planner, user=planner)
    p.refresh_from_db()
    assert p.unit == unit and p.assignee == planner


def test_link_to_an_act_through_the_registry(resident) -> None:
    from miasto.core.acts import ActKind, act_registry

    kind = ActKind(
        key="testact",
        label="Uchwała testowa",
        choices=lambda: [("7", "Uchwała nr 7")],
        title=lambda act_id: "Uchwała nr 7" if act_id == "7" else None,
        url=lambda act_id: None,
        area=lambda act_id: None,
        parts=lambda act_id: [],
    )
    act_registry.register("testact", kind)
    try:
        linked = proposal(resident, act_ref="testact:7", budget_line="Budżet obywatelski 2027")
        assert (linked.act_ref, linked.act_title) == ("testact:7", "Uchwała nr 7")
        assert linked.budget_line == "Budżet obywatelski 2027"
        with pytest.raises(ProposalError, match="Nie ma takiego aktu"):
            proposal(resident, act_ref="testact:8")
        with pytest.raises(ProposalError, match="Nie ma takiego aktu"):
            proposal(resident, act_ref="nothing:1")
    finally:
        act_registry.unregister("testact")
    assert Proposal.objects.count() == 1

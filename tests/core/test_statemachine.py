"""The shared state machine: transitions allowed by role, refused with a reason."""

from __future__ import annotations

import pytest

from miasto.core.statemachine import SYSTEM, StateMachine, Transition, TransitionError

MACHINE = StateMachine(
    "test case",
    [("new", "new"), ("open", "open"), ("closed", "closed")],
    [
        Transition("new", "open", frozenset({"inspector"}), "open"),
        Transition("open", "closed", frozenset({"case_officer", SYSTEM}), "close"),
    ],
)


@pytest.fixture(autouse=True)
def english():
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.mark.django_db
def test_roles_decide_who_may_move_a_case(make_user):
    inspector, officer = make_user("inspector"), make_user("case_officer")
    assert MACHINE.check("new", "open", inspector).target == "open"
    with pytest.raises(TransitionError, match="may not"):
        MACHINE.check("new", "open", officer)
    assert [t.target for t in MACHINE.targets("open", officer)] == ["closed"]
    assert MACHINE.targets("open", inspector) == []


@pytest.mark.django_db
def test_a_transition_that_does_not_exist_is_refused(make_user):
    with pytest.raises(TransitionError, match="cannot move"):
        MACHINE.check("closed", "new", make_user("administrator"))


def test_the_system_makes_only_its_transitions():
    assert MACHINE.check("open", "closed", None).target == "closed"
    with pytest.raises(TransitionError):
        MACHINE.check("new", "open", None)
    assert MACHINE.is_final("closed") and not MACHINE.is_final("new")


def test_a_transition_to_an_unknown_state_is_a_programming_error():
    with pytest.raises(ValueError):
        StateMachine("bad", [("a", "a")], [Transition("a", "b", frozenset())])

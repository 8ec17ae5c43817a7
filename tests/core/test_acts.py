"""The registry of acts the participation modules read (core.acts)."""

from __future__ import annotations

import pytest


@pytest.mark.django_db
def test_acts_are_named_kind_colon_id():
    from miasto.core.acts import ActKind, act_choices, act_registry, act_resolve

    titles = {"7": "Plan Śródmieście"}
    kind = ActKind(
        "test-plan",
        "plan",
        choices=lambda: list(titles.items()),
        title=titles.get,
        url=lambda pk: f"/plany/{pk}/",
        area=lambda pk: None,
        parts=lambda pk: [],
    )
    act_registry.register("test-plan", kind)
    try:
        assert act_resolve("test-plan:7") == (kind, "7")
        assert act_resolve("test-plan:8") is None and act_resolve("nothing:7") is None
        assert ("test-plan:7", "plan: Plan Śródmieście") in act_choices()
    finally:
        act_registry.unregister("test-plan")

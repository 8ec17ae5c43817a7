from __future__ import annotations

import pytest

from tests.proposals.factories import verified


@pytest.fixture
def resident(make_user, city):  # type: ignore[no-untyped-def]
    return verified(make_user("resident"))


@pytest.fixture
def other_resident(make_user, city):  # type: ignore[no-untyped-def]
    return verified(make_user("resident"))

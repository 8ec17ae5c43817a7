"""Problem report fixtures: the app's Polish catalogue compiled for the page tests."""

from __future__ import annotations

import pytest

from tests.i18n import compile_messages


@pytest.fixture(scope="session", autouse=True)
def _problems_messages() -> None:
    compile_messages("problems")

from __future__ import annotations

from typing import Any

import pytest

from tests.consultations.factories import draft_plan


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def plan(city: Any) -> Any:
    return draft_plan()


@pytest.fixture(autouse=True)
def english() -> Any:
    """Service messages in English here (the Polish catalogue is checked in test_pages)."""
    from django.utils import translation

    with translation.override("en"):
        yield

"""A small demo city generated once per test module (committed, removed afterwards)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from miasto.core.models import AuditEntry
from miasto.democity import loader
from miasto.democity.services import DemoCityResult, demo_city_generate

SEED = 7


@pytest.fixture(scope="module")
def small_city(
    django_db_setup: None, django_db_blocker: pytest.FixtureRequest
) -> Iterator[DemoCityResult]:
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        result = demo_city_generate(scale="small", seed=SEED, replace=True, progress=False)
        yield result
        from django.db import transaction

        with transaction.atomic():
            loader.truncate_spine()
            AuditEntry.objects.filter(
                action="bulk_load", object_repr__startswith="demo-city"
            ).delete()

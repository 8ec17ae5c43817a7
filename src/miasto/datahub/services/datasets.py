"""Datasets: create and change them (validated with ``full_clean``, recorded in the audit log)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from miasto.core.audit import acting_as, current_actor
from miasto.datahub.importers import get_target
from miasto.datahub.models import Dataset


def dataset_create(*, user: Any = None, **fields: Any) -> Dataset:
    """Create a dataset (validated with ``full_clean``)."""
    with transaction.atomic(), acting_as(user, actor_source()):
        dataset = Dataset(**fields)
        if dataset.target != "generic":
            get_target(dataset.target)
        dataset.full_clean()
        dataset.save()
    return dataset


def dataset_update(dataset: Dataset, *, user: Any = None, **fields: Any) -> Dataset:
    """Change a dataset's metadata, mapping or rules (validated with ``full_clean``)."""
    with transaction.atomic(), acting_as(user, actor_source()):
        for name, value in fields.items():
            setattr(dataset, name, value)
        get_target(dataset.target)
        dataset.full_clean()
        dataset.save()
    return dataset


def actor_source() -> str:
    """The audit log's source of a write: the current actor's, ``cli`` outside a request."""
    actor = current_actor.get()
    return actor.source if actor.source != "system" else "cli"

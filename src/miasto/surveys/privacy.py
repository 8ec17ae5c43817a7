"""Anonymising a person's survey responses when their account is deleted: the answers stay
(they are counted in the published results), the account, name, address and e-mail go."""

from __future__ import annotations

from typing import Any

from miasto.core.privacy import anonymiser
from miasto.surveys.models import Response


@anonymiser("surveys")
def anonymise(user: Any) -> int:
    return Response.objects.filter(user=user).update(user=None, name="", address="", email="")

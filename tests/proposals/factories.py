"""Proposals for tests: places inside the factories' city (tests/territory/factories.py)."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.gis.geos import Point

from miasto.proposals.models import Proposal
from miasto.proposals.services import ProposalInput, proposal_submit
from tests.territory.factories import CENTRE_X, CENTRE_Y


def verified(user: Any) -> Any:
    EmailAddress.objects.get_or_create(
        user=user,
        email=f"{user.username}@example.org",
        defaults={"verified": True, "primary": True},
    )
    return user


def proposal(author: Any, **kw: Any) -> Proposal:
    data = ProposalInput(
        title=kw.pop("title", "Ławki na skwerze"),
        description=kw.pop("description", "Brakuje miejsc do siedzenia w cieniu."),
        category=kw.pop("category", "public_space"),
        geom=kw.pop("geom", Point(CENTRE_X + 10, CENTRE_Y + 10, srid=2180)),
        **kw,
    )
    return proposal_submit(data, author=verified(author))

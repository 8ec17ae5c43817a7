"""Proposals and their comments may be reported (:mod:`miasto.core.moderation`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from miasto.core.moderation import Reportable, reportable_registry
from miasto.proposals.models import Comment, Proposal


def _id(key: str) -> int | None:
    return int(key) if key.isascii() and key.isdigit() and len(key) <= 12 else None


def _proposal_public(key: str) -> bool:
    pk = _id(key)
    return pk is not None and Proposal.objects.filter(pk=pk, hidden_at__isnull=True).exists()


def _comment_public(key: str) -> bool:
    pk = _id(key)
    return (
        pk is not None
        and Comment.objects.filter(
            pk=pk, hidden_at__isnull=True, proposal__hidden_at__isnull=True
        ).exists()
    )


reportable_registry.register(
    "proposal", Reportable("proposal", _("co-creation proposal"), _proposal_public)
)
reportable_registry.register(
    "proposal_comment",
    Reportable("proposal_comment", _("comment on a proposal"), _comment_public),
)

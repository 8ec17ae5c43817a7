"""Account deletion (:mod:`miasto.core.privacy`): a person's proposals and comments stay as part
of the public record, with nothing that points at them; their supports stay counted, without
the account."""

from __future__ import annotations

from typing import Any

from miasto.core.privacy import anonymiser
from miasto.proposals.models import Comment, Proposal, StatusChange, Support


@anonymiser("proposals")
def anonymise(user: Any) -> int:
    changed = Proposal.objects.filter(author=user).update(author=None)
    changed += Proposal.objects.filter(assignee=user).update(assignee=None)
    changed += Comment.objects.filter(author=user).update(author=None)
    changed += Support.objects.filter(user=user).update(user=None)
    changed += StatusChange.objects.filter(actor=user).update(actor=None)
    return changed

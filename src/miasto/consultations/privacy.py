"""Account deletion: a person's comments stay (they are part of the consultation's public
record and of its summary report) but no longer name them."""

from __future__ import annotations

from typing import Any

from miasto.consultations.models import Comment
from miasto.core.privacy import anonymiser

ANONYMOUS = "(dane usunięte)"


@anonymiser("consultations")
def anonymise(user: Any) -> int:
    return Comment.objects.filter(author=user).update(
        author=None, author_name=ANONYMOUS, author_address=ANONYMOUS, author_email=""
    )

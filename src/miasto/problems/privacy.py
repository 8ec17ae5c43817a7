"""When an account goes, its problem reports stay (they are public records of the city's work)
but lose everything that names the person: the link to the account and the contact details
given with them."""

from typing import Any

from miasto.core.privacy import anonymiser
from miasto.problems.models import Report


@anonymiser("problems")
def anonymise(user: Any) -> int:
    return Report.objects.filter(author=user).update(
        author=None, email="", first_name="", last_name="", phone=""
    )

"""Plural forms for the front end: a gettext plural message in each CLDR plural category, so
that JavaScript picks the form with ``Intl.PluralRules`` (``util.js`` ``plural``) and Polish
reads "1 obiekt", "2 obiekty", "5 obiektów" as gettext would write them.

Polish has the categories one (1), few (2–4, 22–24…), many (0, 5–21, 25…) and other
(fractions); English one and other. The message is written once, with ``ngettext`` (so
``makemessages`` finds it), in a function of the count::

    plural_forms(lambda n: ngettext("%(n)s feature", "%(n)s features", n))
"""

from __future__ import annotations

from collections.abc import Callable

#: a count in each CLDR category of the languages Miasto speaks (Polish, English)
SAMPLES = {"one": 1, "few": 2, "many": 5, "other": 5}


def plural_forms(message: Callable[[int], str]) -> dict[str, str]:
    """``{category: the message's form for a count of that category}`` (placeholders kept)."""
    return {category: str(message(n)) for category, n in SAMPLES.items()}

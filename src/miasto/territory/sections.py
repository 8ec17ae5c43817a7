"""Sections of a parcel's page (``/dzialki/<identifier>/``) that the modules contribute.

The spine shows what it knows about a parcel; a module adds what it knows (planning: the plans
that bind it and the way to its *wypis i wyrys*) by registering a :class:`ParcelSection` in its
``parcel_sections.py``. The page (a screen, in ``web``) renders every section that has
something to say, in ``order``: the spine never imports a module, the modules never import the
page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from miasto.core.registry import Registry


@dataclass(frozen=True)
class ParcelSection:
    key: str
    #: The section's template; it gets the context returned by :attr:`context`.
    template: str
    #: ``context(identifier)``: the section's data for an existing parcel, or None to leave
    #: the section out.
    context: Callable[[str], dict[str, Any] | None]
    #: Lower first.
    order: int = 100


parcel_sections: Registry[ParcelSection] = Registry("parcel page sections", "parcel_sections")


def sections_for(identifier: str) -> list[tuple[ParcelSection, dict[str, Any]]]:
    """The sections of an existing parcel's page with their data, in order."""
    found = []
    for section in sorted(parcel_sections, key=lambda s: (s.order, s.key)):
        data = section.context(identifier)
        if data is not None:
            found.append((section, data))
    return found

"""Ways in: what the home page offers people to do, one entry per module.

An app declares its entries in ``entrances.py`` (found by the registry at first use, like
``layers.py``), so a new module — consultations, problem reports — puts itself on the home
page with one registration::

    from miasto.core.entrances import Entrance, entrance_registry

    entrance_registry.register("plans", Entrance(
        title=_("Local plans"), text=_("…"), url_name="planning:plans", order=30))

``url_name`` is a URL pattern's name, reversed by the page that shows the entry (core knows
no screen). Entries are shown by ``order``, then key.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from miasto.core.registry import Registry


@dataclass(frozen=True)
class Entrance:
    title: Any  # a lazily translated string
    text: Any
    url_name: str
    order: int = 100


entrance_registry: Registry[Entrance] = Registry("entrances", "entrances")


def entrances() -> list[tuple[str, Entrance]]:
    """Every registered entry with its key, in display order."""
    keys = entrance_registry.keys()
    pairs = [(key, entrance_registry.get(key)) for key in keys]
    found = [(key, entry) for key, entry in pairs if entry is not None]
    return sorted(found, key=lambda pair: (pair[1].order, pair[0]))

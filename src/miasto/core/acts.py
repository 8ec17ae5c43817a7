"""Acts that residents may be consulted on or link their contributions to: one registry.

A consultation is held on a draft act — a local plan, the general plan, a landscape resolution
— or on any area; a co-creation proposal may point at a plan. The participation modules do not
know the modules that own those acts: each owner declares an :class:`ActKind` in its
``acts.py`` (planning: plans; advertising: landscape resolutions), and the participation
modules read acts only through this registry. An act is named by ``"<kind>:<id>"``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from miasto.core.registry import Registry


@dataclass(frozen=True)
class ActPart:
    """A part of an act a comment may concern (a plan's zone, a resolution's area)."""

    key: str
    label: str
    geometry: Any  # GEOSGeometry in EPSG:2180


@dataclass(frozen=True)
class ActKind:
    key: str
    label: Any
    #: acts of this kind that may be consulted on or linked now, as (id, title)
    choices: Callable[[], list[tuple[str, str]]]
    #: the act's title, or None when there is no such act
    title: Callable[[str], str | None]
    #: its public page (a path), or None
    url: Callable[[str], str | None]
    #: its area (GEOSGeometry, EPSG:2180), or None when it has none yet
    area: Callable[[str], Any]
    #: its parts (zones, provisions) that comments may concern
    parts: Callable[[str], list[ActPart]]


act_registry: Registry[ActKind] = Registry("acts", "acts")


def act_ref(kind: str, act_id: str) -> str:
    return f"{kind}:{act_id}"


def act_resolve(ref: str) -> tuple[ActKind, str] | None:
    """``"plan:12"`` → (the plan kind, "12") when such an act exists, else None."""
    kind_key, _, act_id = ref.partition(":")
    kind = act_registry.get(kind_key)
    if kind is None or not act_id or kind.title(act_id) is None:
        return None
    return kind, act_id


def act_choices() -> list[tuple[str, str]]:
    """Every act that may be chosen now, as ("<kind>:<id>", "<kind label>: <title>")."""
    return [
        (act_ref(kind.key, act_id), f"{kind.label}: {title}")
        for kind in act_registry
        for act_id, title in kind.choices()
    ]

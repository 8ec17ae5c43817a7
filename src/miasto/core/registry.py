"""A small registry per concern (layers, indicators, importers, rules…).

Each app declares its entries in a module of a known name (``layers.py``); the registry
imports those modules at start-up with :func:`autodiscover`, so a new entry is one new file.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Generic, TypeVar

from django.utils.module_loading import autodiscover_modules

T = TypeVar("T")


class Registry(Generic[T]):
    def __init__(self, name: str, module: str) -> None:
        self.name = name
        self.module = module
        self._items: dict[str, T] = {}
        self._discovered = False

    def register(self, key: str, item: T) -> T:
        if key in self._items and self._items[key] is not item:
            raise ValueError(f"{self.name}: {key!r} is already registered")
        self._items[key] = item
        return item

    def unregister(self, key: str) -> None:
        self._items.pop(key, None)

    def autodiscover(self) -> None:
        if not self._discovered:
            self._discovered = True
            autodiscover_modules(self.module)

    def get(self, key: str) -> T | None:
        self.autodiscover()
        return self._items.get(key)

    def __contains__(self, key: object) -> bool:
        self.autodiscover()
        return key in self._items

    def __iter__(self) -> Iterator[T]:
        self.autodiscover()
        return iter(list(self._items.values()))

    def items(self) -> list[tuple[str, T]]:
        self.autodiscover()
        return list(self._items.items())

    def keys(self) -> list[str]:
        self.autodiscover()
        return list(self._items)

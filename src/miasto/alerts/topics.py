"""The topics a person may follow: every topic of :mod:`miasto.core.events` — consultations,
plans, datasets, problem reports, whatever module registers one — in their titles' order."""

from __future__ import annotations

from miasto.core.events import topic_registry


def known_topics() -> list[str]:
    return topic_registry.keys()


def topic_choices() -> list[tuple[str, str]]:
    """(key, title) of every registered topic, by title."""
    pairs = [(key, str(topic.title)) for key, topic in topic_registry.items()]
    return sorted(pairs, key=lambda pair: (pair[1].lower(), pair[0]))


def topic_title(key: str) -> str:
    topic = topic_registry.get(key)
    return str(topic.title) if topic is not None else key

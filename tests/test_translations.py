"""Django merges every app's catalogue of a language into one: when two apps translate the same
message (same msgctxt and msgid) differently, the app listed first in INSTALLED_APPS wins on every
page, and the other app shows the wrong word or the wrong gender ("zamknięta" for a closed
report). A message that means something else in another app gets its own context
(``pgettext_lazy("survey status", "closed")``, ``{% translate "Area" context "region" %}``);
one that means the same is translated the same everywhere. Stdlib only: the catalogues are read
as text, before anything is compiled."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import miasto

SRC = Path(miasto.__file__).parent
#: (language, msgctxt or None, msgid, msgid_plural or None)
Key = tuple[str, str | None, str, str | None]

_STRING = re.compile(r'^"(.*)"$')


def _text(lines: list[str]) -> str:
    return "".join(_STRING.sub(r"\1", line.strip()) for line in lines)


def _fields(block: str) -> tuple[dict[str, str], set[str]]:
    """``{"msgctxt": …, "msgid": …, "msgstr[0]": …}`` of one entry, and its flags."""
    fields: dict[str, list[str]] = {}
    flags: set[str] = set()
    current = None
    for line in block.splitlines():
        if line.startswith("#,"):
            flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith('"') and current:
            fields[current].append(line)
        elif not line.startswith("#") and " " in line:
            current, value = line.split(" ", 1)
            fields[current] = [value]
    return {name: _text(lines) for name, lines in fields.items()}, flags


def catalogue_entries(path: Path) -> dict[tuple[str | None, str, str | None], tuple[str, ...]]:
    """The translated, non-fuzzy entries of one ``django.po`` (obsolete ``#~`` ones left out)."""
    entries = {}
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        fields, flags = _fields(block)
        if not fields.get("msgid") or "fuzzy" in flags:
            continue
        strings = tuple(v for k, v in sorted(fields.items()) if k.startswith("msgstr"))
        if any(strings):
            key = (fields.get("msgctxt"), fields["msgid"], fields.get("msgid_plural"))
            entries[key] = strings
    return entries


def _catalogues() -> list[tuple[str, str, Path]]:
    return [
        (po.parents[3].name, po.parents[1].name, po)
        for po in sorted(SRC.glob("*/locale/*/LC_MESSAGES/django.po"))
    ]


def test_catalogues_found() -> None:
    apps = {app for app, language, _ in _catalogues() if language == "pl"}
    assert {"core", "planning", "problems", "consultations"} <= apps


def test_no_message_translated_differently_in_two_apps() -> None:
    seen: dict[Key, dict[str, tuple[str, ...]]] = defaultdict(dict)
    for app, language, po in _catalogues():
        for (context, msgid, plural), strings in catalogue_entries(po).items():
            seen[(language, context, msgid, plural)][app] = strings
    clashes = [
        f"[{language}] "
        + (f"{context!r} " if context else "")
        + f"{msgid!r}: "
        + "; ".join(f"{app} → {' | '.join(strings)}" for app, strings in sorted(apps.items()))
        for (language, context, msgid, _), apps in sorted(seen.items(), key=str)
        if len(set(apps.values())) > 1
    ]
    assert not clashes, (
        "Translated differently in two apps (only the first app in INSTALLED_APPS wins): use one "
        "translation if the meaning is the same, else pgettext / {% translate … context … %}:\n"
        + "\n".join(clashes)
    )


def test_no_fuzzy_entries() -> None:
    """gettext leaves fuzzy entries out of the .mo: the page would show English."""
    fuzzy = [
        f"{po.relative_to(SRC)}: {_fields(block)[0].get('msgid')!r}"
        for _, _, po in _catalogues()
        for block in po.read_text(encoding="utf-8").split("\n\n")
        if "fuzzy" in _fields(block)[1] and _fields(block)[0].get("msgid")
    ]
    assert not fuzzy, "Fuzzy (unchecked) translations:\n" + "\n".join(fuzzy)

"""What a search query can mean: the forms people type, read into the parts the SQL needs.

A query is read in every way it fits, and each reading becomes its own branch of the search
(a bare ``Łęgi 196`` is both a parcel numbered 196 in the district Łęgi and house number 196
on a street called Łęgi); ranking sorts the answers out. The forms:

- an EGiB identifier or its beginning: ``106401_1.0025.11``, ``106401_1.0025``;
- ``obręb.numer`` — a precinct code with a parcel number: ``0036.196``, ``0003.12/4``,
  ``0003.AR_2.12/4``, or only ``0036`` / ``0036.`` (the precinct);
- a parcel number alone (``196``, ``dz. 12/4``) or with a precinct or district name, before
  or after it (``196 Stare Miasto``, ``12/4 Fabryczna``, ``Łęgi 5, dz. 196``);
- an address — street and house number, with or without the street's kind (``ul. Długa 10``,
  ``Długa 10``, ``dluga 10a``) —, a street, a district or a precinct name.

Nothing here touches the database: diacritics and case are folded in SQL (``miasto_norm``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

#: the street kind or an area word in front of a name: dropped before names are compared
KIND_WORDS = re.compile(
    r"^(?:ul\.?|ulica|al\.?|aleja|aleje|pl\.?|plac|os\.?|osiedle|rondo|dzielnica|obr\.?|"
    r"obręb|obreb)(?:\s+|(?<=\.)(?=\w))",
    re.I,
)
#: "os." or "osiedle" in front of a name: part of a district's name ("Osiedle Słoneczne")
OSIEDLE = re.compile(r"^(?:os\.?|osiedle)(?:\s+|(?<=\.)(?=\w))", re.I)
#: "działka", "dz.", "nr" in front of a parcel number
PARCEL_WORD = r"(?:(?:działka|dzialka|dz\.?|nr\.?)\s*)?"
#: a parcel number, or the beginning of one (``12/`` while typing ``12/4``)
PARCEL_NUMBER = r"[1-9]\d{0,5}(?:/(?:[1-9]\d{0,3})?)?"
IDENTIFIER_LIKE = re.compile(r"^\d{6}_\d", re.I)
PRECINCT_ID = re.compile(r"^(?P<unit>\d{6}_[1-9])\.(?P<code>\d{4})\.?$")
PRECINCT_DOT = re.compile(
    rf"^(?P<code>\d{{1,4}})\.(?:(?P<sheet>AR_\d{{1,3}})\.)?(?P<number>{PARCEL_NUMBER})?$", re.I
)
PRECINCT_CODE = re.compile(r"^(?P<code>\d{4})\.?$")
BARE_NUMBER = re.compile(rf"^{PARCEL_WORD}(?P<number>{PARCEL_NUMBER})$", re.I)
NUMBER_THEN_NAME = re.compile(
    rf"^{PARCEL_WORD}(?P<number>{PARCEL_NUMBER})[\s,]+(?P<name>.+)$", re.I
)
NAME_THEN_NUMBER = re.compile(
    rf"^(?P<name>.+?)[\s,]+{PARCEL_WORD}(?P<number>{PARCEL_NUMBER})$", re.I
)
#: a house number: ``10``, ``10a``, ``10/2``, ``12A/3``
HOUSE_NUMBER = re.compile(
    r"^(?P<street>.+?)[\s,]+(?P<number>\d{1,5}[a-z]?(?:/\d{0,4}[a-z]?)?)$", re.I
)
#: blanks around the dots and slashes of an identifier (``0036 . 196``)
NUMERIC_BLANKS = re.compile(r"\s*([./])\s*")
NUMERIC_ONLY = re.compile(r"^[\d\s./_A-Za-z]*$")
HAS_LETTER = re.compile(r"[^\W\d_]")
HAS_WORD_CHAR = re.compile(r"[^\W_]")


@dataclass
class Parsed:
    """One query read in every form it fits (``None``/empty: it does not fit that form)."""

    text: str
    #: an EGiB identifier or its beginning (map sheet in upper case)
    identifier: str | None = None
    #: a whole precinct identifier ``WWPPGG_R.XXXX``: (unit, code)
    precinct_id: tuple[str, str] | None = None
    #: ``obręb.numer``: (precinct code, map sheet or None, number or its beginning, may be "")
    precinct_number: tuple[str, str | None, str] | None = None
    #: a parcel number alone
    number: str | None = None
    #: a parcel number with a precinct or district name: (number, name)
    number_names: list[tuple[str, str]] = field(default_factory=list)
    #: a name (street, district, precinct, address without number), kind words dropped
    name: str | None = None
    #: a street and house number: (street, number in upper case)
    street_number: tuple[str, str] | None = None
    #: each name as districts are called: "os." spelled "osiedle", other kind words dropped
    full: dict[str, str] = field(default_factory=dict)


def clean(raw: str) -> str:
    """The query as text: NFC, no control characters or lone surrogates, blanks collapsed."""
    text = unicodedata.normalize("NFKC", raw or "")
    text = text.encode("utf-8", "replace").decode("utf-8")
    text = "".join(" " if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") else c for c in text)
    return " ".join(text.split())


def strip_kind(text: str) -> str:
    return KIND_WORDS.sub("", text).strip(" ,")


def full_name(text: str) -> str:
    """The name as an area is called: ``os. Słoneczne`` → ``osiedle Słoneczne``."""
    stripped = strip_kind(text)
    return "osiedle " + stripped if OSIEDLE.match(text) else stripped


def searchable(text: str) -> bool:
    """Whether the text has anything to search for: a letter or a digit."""
    return bool(HAS_WORD_CHAR.search(text))


def parse(text: str) -> Parsed:
    """Every reading of a cleaned query (see the module docstring)."""
    parsed = Parsed(text=text)
    compact = NUMERIC_BLANKS.sub(r"\1", text) if NUMERIC_ONLY.match(text) else text
    if IDENTIFIER_LIKE.match(compact):
        _parse_identifier(parsed, compact)
        return parsed  # no name or address looks like an identifier
    if match := PRECINCT_DOT.match(compact):
        code, sheet, number = match["code"].zfill(4), match["sheet"], match["number"] or ""
        parsed.precinct_number = (code, sheet.upper() if sheet else None, number)
    if match := PRECINCT_CODE.match(compact):
        parsed.precinct_number = (match["code"], None, "")
    if match := BARE_NUMBER.match(compact):
        parsed.number = match["number"]
    _parse_names(parsed, text)
    return parsed


def _parse_identifier(parsed: Parsed, text: str) -> None:
    parsed.identifier = re.sub(r"\.ar_", ".AR_", text, flags=re.I)
    if match := PRECINCT_ID.match(text):
        parsed.precinct_id = (match["unit"], match["code"])


def _parse_names(parsed: Parsed, text: str) -> None:
    if not HAS_LETTER.search(text):
        return
    for pattern in (NUMBER_THEN_NAME, NAME_THEN_NUMBER):
        if (match := pattern.match(text)) and HAS_LETTER.search(match["name"]):
            name = strip_kind(match["name"])
            if HAS_WORD_CHAR.search(name):
                parsed.number_names.append((match["number"], name))
                parsed.full[name] = full_name(match["name"])
    if (match := HOUSE_NUMBER.match(text)) and HAS_LETTER.search(match["street"]):
        street = strip_kind(match["street"])
        if HAS_WORD_CHAR.search(street):
            parsed.street_number = (street, match["number"].upper())
    name = strip_kind(text)
    if HAS_WORD_CHAR.search(name):
        parsed.name = name
        parsed.full[name] = full_name(text)

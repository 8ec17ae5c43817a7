"""Reading the pages an administrator edits: each row is made with the Polish defaults
(:mod:`miasto.web.defaults`) the first time it is read, and its text is split into blocks
(headings, paragraphs, lists) for the template — plain text only, never HTML from the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils import timezone

from miasto.territory.models import City
from miasto.web import defaults
from miasto.web.models import AccessibilityStatement, SitePage

STATEMENT_PK = 1
PAGE_TITLES = {
    SitePage.Key.CONTACT: defaults.CONTACT_TITLE,
    SitePage.Key.PRIVACY: defaults.PRIVACY_TITLE,
}


@dataclass(frozen=True)
class Block:
    """One block of a page's text: ``heading``, ``paragraph`` (``text``) or ``list`` (``items``)."""

    kind: str
    text: str = ""
    items: tuple[str, ...] = field(default_factory=tuple)


def text_blocks(text: str) -> list[Block]:
    """Split plain text into blocks: an empty line ends a paragraph, ``## `` starts a heading,
    ``- `` a list item."""
    blocks: list[Block] = []
    paragraph: list[str] = []
    items: list[str] = []

    def flush() -> None:
        if paragraph:
            blocks.append(Block("paragraph", " ".join(paragraph)))
            paragraph.clear()
        if items:
            blocks.append(Block("list", items=tuple(items)))
            items.clear()

    for raw in text.replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        if not line:
            flush()
        elif line.startswith("## "):
            flush()
            blocks.append(Block("heading", line[3:].strip()))
        elif line.startswith("- "):
            if paragraph:
                flush()
            items.append(line[2:].strip())
        else:
            if items:
                flush()
            paragraph.append(line)
    flush()
    return blocks


def _entity_name() -> str:
    city = City.objects.order_by("pk").only("name").first()
    return f"Urząd Miasta {city.name}" if city else "Urząd Miasta"


@transaction.atomic
def accessibility_statement() -> AccessibilityStatement:
    """The statement: the one row (primary key 1, so two first readers cannot make two), made
    with the defaults if there is none yet."""
    statement = AccessibilityStatement.objects.filter(pk=STATEMENT_PK).first()
    if statement is not None:
        return statement
    today = timezone.localdate()
    statement, _created = AccessibilityStatement.objects.get_or_create(
        pk=STATEMENT_PK, defaults=_statement_defaults(today)
    )
    return statement


def _statement_defaults(today: date) -> dict[str, object]:
    return dict(
        entity_name=_entity_name(),
        website_name="serwisu Miasto",
        published_on=today,
        updated_on=today,
        status=AccessibilityStatement.Status.PARTIAL,
        prepared_on=today,
        reviewed_on=today,
        method=AccessibilityStatement.Method.SELF,
        **{name: defaults.default_text(name) for name in defaults.STATEMENT_TEXTS},
    )


@transaction.atomic
def site_page(key: SitePage.Key) -> SitePage:
    """The page ``key`` (contact, privacy), made with its default text if there is none yet."""
    page, _created = SitePage.objects.get_or_create(
        key=key, defaults={"title": PAGE_TITLES[key], "body": defaults.default_text(key.value)}
    )
    return page


def site_pages_all() -> list[SitePage]:
    """Every site page, each made with its default text if missing."""
    return [site_page(key) for key in SitePage.Key]

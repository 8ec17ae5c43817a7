"""PDF documents: every PDF Miasto generates (the *wypis i wyrys* now; consultation reports,
notices and decisions later) is laid out and written here, so that each one is an accessible
document.

- **Tagged PDF/UA-1** (WeasyPrint's ``pdf_variant="pdf/ua-1"``): a structure tree in reading
  order (headings ``H1``–``H6``, paragraphs, lists, tables with their header cells, ``Figure``
  with ``/Alt``), ``/MarkInfo`` marked, the document's language (``/Lang`` from
  ``<html lang>``) and title (``/Title`` from ``<title>``, shown by the viewer).
- A document must say its language and title, and every inline ``<svg>`` (a figure in the
  structure tree) must carry a ``<title>`` — its text alternative, which WeasyPrint writes as
  the figure's ``/Alt``: :func:`check_html` refuses the HTML otherwise
  (:class:`InaccessibleDocument`), so a later document cannot forget them.
- Offline: the URL fetcher refuses every URL (no network, no files); fonts are local.
"""

from __future__ import annotations

import re
from typing import Any

#: WeasyPrint's variant for PDF/UA-1 (tagged, PDF 1.7, the UA identification in XMP).
PDF_VARIANT = "pdf/ua-1"

_LANG = re.compile(r"<html\b[^>]*\blang=\"[a-zA-Z]{2,3}(-[a-zA-Z0-9]+)*\"", re.IGNORECASE)
_TITLE = re.compile(r"<title>\s*[^<\s][^<]*</title>", re.IGNORECASE)
_SVG = re.compile(r"<svg\b[^>]*>\s*(<title\b)?", re.IGNORECASE)


class InaccessibleDocument(ValueError):
    """The HTML of a PDF lacks what an accessible document needs (language, title, text
    alternatives)."""


def check_html(html: str) -> None:
    """Raise :class:`InaccessibleDocument` unless ``html`` has ``<html lang>``, a non-empty
    ``<title>`` and a ``<title>`` as the first child of every ``<svg>``."""
    if not _LANG.search(html):
        raise InaccessibleDocument("a PDF document needs <html lang=...> (its language)")
    if not _TITLE.search(html):
        raise InaccessibleDocument("a PDF document needs a non-empty <title>")
    for match in _SVG.finditer(html):
        if match.group(1) is None:
            raise InaccessibleDocument(
                "every <svg> of a PDF document needs a <title> first (its text alternative): "
                + match.group(0)[:120]
            )


def _no_fetcher() -> Any:
    from weasyprint.urls import URLFetcher

    class NoFetcher(URLFetcher):  # type: ignore[misc]  # (WeasyPrint is untyped)
        """Refuses every URL: a PDF never reaches the network or the disk."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            raise ValueError(f"no external resources in a PDF document: {url[:80]}")

    return NoFetcher()


def lay_out(html: str) -> Any:
    """The laid-out WeasyPrint document of ``html`` (checked by :func:`check_html`), tagged for
    PDF/UA-1; its pages can be counted before :func:`write` writes it."""
    from weasyprint import HTML

    check_html(html)
    document = HTML(string=html, base_url="/nonexistent/", url_fetcher=_no_fetcher())
    return document.render(pdf_variant=PDF_VARIANT)


def write(document: Any) -> bytes:
    """The PDF/UA-1 bytes of a document laid out by :func:`lay_out`."""
    _cache_page_references()
    return bytes(document.write_pdf(pdf_variant=PDF_VARIANT))


def _cache_page_references() -> None:
    """Make pydyf's ``PDF.page_references`` (a new tuple of every page's reference on each
    access) computed once per number of pages. WeasyPrint's tagging reads it for every tagged
    element, so a long tagged document spent time in pages × elements: a 240-page report with
    2 000 comments, about 6 million string formats — a sixth of writing it. The value is the
    same as long as no page is added, so it is kept until the page count changes."""
    import pydyf  # type: ignore[import-untyped]  # (untyped, as WeasyPrint)

    if getattr(pydyf.PDF, "_miasto_cached_refs", False):
        return
    original = pydyf.PDF.page_references.fget

    def page_references(self: Any) -> tuple[bytes, ...]:
        kids = len(self.pages["Kids"])
        cached = self.__dict__.get("_miasto_refs")
        if cached is None or cached[0] != kids:
            cached = (kids, original(self))
            self.__dict__["_miasto_refs"] = cached
        refs: tuple[bytes, ...] = cached[1]
        return refs

    pydyf.PDF.page_references = property(page_references)
    pydyf.PDF._miasto_cached_refs = True


def render(html: str) -> bytes:
    """``html`` as a tagged PDF/UA-1 document (bytes)."""
    return write(lay_out(html))

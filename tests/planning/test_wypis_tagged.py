"""The wypis i wyrys PDF is a tagged PDF/UA-1 document: structure tree in reading order with
headings, tables and the map as a figure described in words; language and title."""

from __future__ import annotations

import io
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from miasto.core import pdf as documents
from tests.planning.test_report import site  # noqa: F401
from tests.planning.test_report_page import compile_planning_messages


@pytest.fixture(autouse=True)
def _messages():
    compile_planning_messages()


def _walk(node: Any, out: list[DictionaryObject]) -> None:
    """Structure elements depth first (reading order)."""
    if isinstance(node, IndirectObject):
        node = node.get_object()
    if isinstance(node, ArrayObject):
        for kid in node:
            _walk(kid, out)
    elif isinstance(node, DictionaryObject) and "/S" in node:
        out.append(node)
        if "/K" in node:
            _walk(node["/K"], out)


def _tree(reader: PdfReader) -> list[DictionaryObject]:
    root = reader.trailer["/Root"]
    elements: list[DictionaryObject] = []
    _walk(root["/StructTreeRoot"]["/K"], elements)
    return elements


def _text_of(element: DictionaryObject) -> str:
    """The /Alt or nothing."""
    return str(element.get("/Alt", ""))


def test_wypis_pdf_is_tagged_pdf_ua(client, site):  # noqa: F811
    response = client.get(
        f"/api/v1/parcels/{site.identifier}/planning.pdf", HTTP_ACCEPT_LANGUAGE="pl"
    )
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert str(root["/MarkInfo"]["/Marked"]).lower() == "true"
    assert str(root["/Lang"]) == "pl"
    assert str(root["/ViewerPreferences"]["/DisplayDocTitle"]).lower() == "true"
    title = str(reader.metadata.title)
    assert title.startswith("Wypis i wyrys") and site.identifier in title
    # the XMP metadata says PDF/UA-1
    xmp = root["/Metadata"].get_object().get_data()
    assert b"pdfuaid:part" in xmp and b"1" in xmp

    tags = _tree(reader)
    kinds = [str(e["/S"]) for e in tags]
    assert kinds.count("/H1") == 1
    assert "/H2" in kinds and "/Table" in kinds and "/TH" in kinds and "/TD" in kinds
    # reading order: the title first, the wypis (tables) before the map extract
    levels = [int(k[2:]) for k in kinds if k[:2] == "/H" and k[2:].isdigit()]
    assert levels[0] == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False))  # none skipped
    figures = [e for e in tags if str(e["/S"]) == "/Figure"]
    assert figures and all(_text_of(f) for f in figures)  # every figure has its /Alt
    assert kinds.index("/Table") < tags.index(figures[-1])
    (the_map,) = [f for f in figures if "Wyrys" in _text_of(f) or "wyrys" in _text_of(f)]
    alt = _text_of(the_map)
    # the map in words: parcel, zones with symbols, uses and areas, scale, north
    assert "12/3" in alt and "czerwon" in alt
    assert "1MN (MN:" in alt and "m² działki" in alt
    assert "1:" in alt and "północ" in alt.lower()


def test_every_pdf_needs_language_title_and_text_alternatives():
    good = '<html lang="pl"><head><title>Dokument</title></head><body><h1>A</h1></body></html>'
    assert documents.render(good).startswith(b"%PDF")
    for bad, what in (
        (good.replace(' lang="pl"', ""), "lang"),
        (good.replace("<title>Dokument</title>", "<title> </title>"), "title"),
        (good.replace("<h1>A</h1>", '<svg viewBox="0 0 1 1"><rect/></svg>'), "svg"),
    ):
        with pytest.raises(documents.InaccessibleDocument, match=what):
            documents.render(bad)
    with_alt = good.replace(
        "<h1>A</h1>",
        '<svg viewBox="0 0 1 1"><title>Kwadrat</title><rect width="1" height="1"/></svg>',
    )
    reader = PdfReader(io.BytesIO(documents.render(with_alt)))
    (figure,) = [e for e in _tree(reader) if str(e["/S"]) == "/Figure"]
    assert _text_of(figure) == "Kwadrat"

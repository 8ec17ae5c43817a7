"""The case documents: accessible PDFs whose text says what the case holds — the inspection's
measurements, the notice's deadline, and the decision's penalty with its derivation."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from pypdf import PdfReader

from miasto.advertising.documents import document_generate, documents_allowed
from miasto.advertising.enforcement import CaseError, Move, case_transition
from miasto.advertising.models.enforcement import Inspection
from miasto.core.statemachine import TransitionError
from tests.advertising.enforcement_fixtures import (
    carrier_fixture,  # noqa: F401 (a fixture)
    case_in,
    rates_fixture,  # noqa: F401 (a fixture)
    staff_fixture,  # noqa: F401 (a fixture)
)

pytestmark = pytest.mark.django_db


def _text(document: Any) -> str:
    with document.file.open("rb") as fh:
        reader = PdfReader(io.BytesIO(fh.read()))
    assert reader.trailer["/Root"]["/Lang"] == "pl"  # tagged, with its language (core.pdf)
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    return " ".join((page.extract_text() or "") for page in reader.pages)


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_decision_draft_shows_the_penalty_and_its_derivation(
    staff: Any, carrier: Any, rates: Any
) -> None:
    officer = staff("case_officer")
    start = timezone.localdate() - dt.timedelta(days=9)
    case = case_in(carrier, "proceedings", since=start, proceedings_started_on=start)
    case = case_transition(case, Move("decision"), officer)
    document = document_generate(case, "decision", officer)
    text = _flat(_text(document))
    assert case.penalty == Decimal("1280.00")  # 10 days × 128.00 zł
    assert "40 × 2,00 + 40 × 0,20 × 6,00 = 128,00 zł" in text
    assert "10 × 128,00 = 1280,00 zł" in text
    assert f"{start.isoformat()} – {timezone.localdate().isoformat()}" in text
    assert "art. 37d" in text and case.number in text and carrier.reference in text
    assert "14 dni" in text  # the appeal period
    assert document.sha256 and document.created_by == officer


def test_a_decision_draft_before_the_decision_counts_to_today(
    staff: Any, carrier: Any, rates: Any
) -> None:
    officer = staff("case_officer")
    start = timezone.localdate() - dt.timedelta(days=3)
    case = case_in(carrier, "proceedings", since=start, proceedings_started_on=start)
    text = _flat(_text(document_generate(case, "decision", officer)))
    assert "128,00 zł" in text and timezone.localdate().isoformat() in text
    case.refresh_from_db()
    assert case.penalty is None  # a draft decides nothing


def test_notice_names_the_violations_and_the_day_to_adjust_by(staff: Any, carrier: Any) -> None:
    officer = staff("case_officer")
    case = case_in(carrier, "inspected")
    text = _flat(_text(document_generate(case, "notice", officer)))
    assert "§ 10 ust. 1 uchwały krajobrazowej" in text
    assert "w terminie 14 dni" in text
    assert "art. 37d" in text


def test_inspection_protocol_has_the_measurements(staff: Any, carrier: Any) -> None:
    inspector = staff("inspector")
    case = case_in(carrier, "inspected")
    Inspection.objects.create(
        case=case, carrier=carrier, inspector=inspector,
        client_id="0b5c3c1e-4a4b-4c8e-9d5e-1d2f3a4b5c6d",
        taken_at=timezone.now(), width_m=3, height_m=2, sides=2, display_area_m2=12,
        notes="Baner na ogrodzeniu",
    )  # fmt: skip
    text = _flat(_text(document_generate(case, "protocol", inspector)))
    assert "12,00 m²" in text or "12 m²" in text
    assert "Baner na ogrodzeniu" in text


def test_who_may_generate_what_and_when(staff: Any, carrier: Any) -> None:
    inspector, officer = staff("inspector"), staff("case_officer")
    case = case_in(carrier, "inspected")
    assert documents_allowed(case, inspector) == []  # no inspection recorded yet
    assert documents_allowed(case, officer) == ["notice"]
    with pytest.raises(TransitionError):
        document_generate(case, "notice", inspector)
    with pytest.raises(TransitionError):
        document_generate(case, "notice", staff("planner"))
    with pytest.raises(CaseError):
        document_generate(case, "decision", officer)  # no proceedings yet
    with pytest.raises(CaseError):
        document_generate(case, "../../etc/passwd", officer)
    assert not case.documents.exists()

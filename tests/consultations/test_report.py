"""The summary report (art. 8k ust. 2) as a background job: its PDF's text (extracted) and its
CSV hold the course and every comment with its proposed handling and justification, and no
personal data; publishing it opens it to everyone."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from pypdf import PdfReader

from miasto.consultations.jobs import REPORT_JOB
from miasto.consultations.models import Status
from miasto.consultations.services import (
    ConsultationError,
    comment_handle,
    consultation_transition,
)
from miasto.core.jobs import job_enqueue, job_run
from tests.consultations.factories import add_comment, make_consultation


@pytest.fixture
def closed(plan: Any) -> Any:
    c = make_consultation(plan, Status.CLOSED)
    c.course = "Spotkanie otwarte 12 maja w szkole nr 3: przyszło 40 osób."
    c.save()
    add_comment(c, 1, text="Zachować park przy ul. Lipowej.", handling="accepted",
                justification="Park wpisano jako teren ZP.", part_label="1MN")  # fmt: skip
    add_comment(
        c, 2, text="Obniżyć zabudowę.", channel="paper", handling="partly",
        justification="Wysokość zmniejszono do 12 m.", parcel="106401_1.0001.7",
    )  # fmt: skip
    add_comment(c, 3, text="Wulgarny wpis", moderation="hidden", hidden_reason="wulgaryzmy",
                handling="not_accepted", justification="Uwaga nie dotyczy projektu.")  # fmt: skip
    return c


def _run_report(c: Any) -> Any:
    job = job_run(job_enqueue(kind=REPORT_JOB, payload={"consultation_id": c.pk}))
    assert job.status == "done", job.error
    assert job.progress == 100
    c.refresh_from_db()
    return c.report


def test_report_pdf_text_and_csv(closed: Any) -> None:
    report = _run_report(closed)
    reader = PdfReader(io.BytesIO(report.pdf.open("rb").read()))
    text = " ".join(page.extract_text() for page in reader.pages)
    flat = " ".join(text.split())
    for expected in (
        "Raport podsumowujący przebieg konsultacji społecznych", "art. 8k ust. 2",
        "Spotkanie otwarte 12 maja", "zbieranie uwag",
        "Zachować park przy ul. Lipowej.", "Park wpisano jako teren ZP.", "uwzględniona",
        "Wysokość zmniejszono do 12 m.", "106401_1.0001.7",
        "Treść ukryta przez moderatora: wulgaryzmy", "Uwaga nie dotyczy projektu.",
    ):  # fmt: skip
        assert expected in flat, expected
    for personal in ("Anna Nowak", "Krótka"):
        assert personal not in flat
    assert "Wulgarny wpis" not in flat
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "pl" and root["/MarkInfo"]["/Marked"]

    rows = list(csv.reader(io.StringIO(report.csv.open("rb").read().decode())))
    assert rows[0][0] == "nr" and len(rows) == 4
    assert rows[1][6] == "Zachować park przy ul. Lipowej." and rows[1][8].startswith("Park")
    assert "Anna Nowak" not in str(rows)


def test_publishing_needs_a_fresh_report(closed: Any, make_user: Any) -> None:
    planner = make_user("planner")
    _run_report(closed)
    comment_handle(
        comment=closed.comments.get(number=2), handling="accepted",
        justification="Uwzględniono w całości.", user=planner,
    )  # fmt: skip
    with pytest.raises(ConsultationError, match="generate it again"):
        consultation_transition(consultation=closed, target=Status.REPORT_PUBLISHED, user=planner)
    _run_report(closed)
    consultation_transition(consultation=closed, target=Status.REPORT_PUBLISHED, user=planner)
    closed.refresh_from_db()
    assert closed.status == Status.REPORT_PUBLISHED and closed.report.published_at is not None


def test_unhandled_comments_keep_the_report_unpublished(plan: Any, make_user: Any) -> None:
    c = make_consultation(plan, Status.CLOSED)
    add_comment(c, 1)
    _run_report(c)
    with pytest.raises(ConsultationError, match="no proposed handling"):
        consultation_transition(
            consultation=c, target=Status.REPORT_PUBLISHED, user=make_user("planner")
        )

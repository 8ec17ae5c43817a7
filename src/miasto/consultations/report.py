"""The summary report of a consultation (*raport podsumowujący*, u.p.z.p. art. 8k ust. 2):
the course of the consultation and the list of comments with the proposed handling and its
justification — as an accessible PDF (:mod:`miasto.core.pdf`) and as CSV. No personal data:
neither the authors' names nor their addresses; a hidden comment is listed with the
moderator's reason in place of its text. Always in Polish (it is an official document)."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Callable
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation

from miasto.consultations import selectors
from miasto.consultations.models import Category, Channel, Consultation, Handling, Moderation
from miasto.core import pdf

CSV_HEADER = (
    "nr", "data_wplywu", "forma_zlozenia", "kategoria", "dotyczy", "dzialka", "tresc",
    "proponowany_sposob_uwzglednienia", "uzasadnienie",
)  # fmt: skip

Progress = Callable[[float, str], None]


def _labelled(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    channels, categories, handlings = (
        dict(Channel.choices),
        dict(Category.choices),
        dict(Handling.choices),
    )
    out = []
    for r in rows:
        hidden = r["moderation"] == Moderation.HIDDEN
        out.append(
            {
                **r,
                "channel_label": str(channels.get(r["channel"], r["channel"])),
                "category_label": str(categories.get(r["category"], r["category"])),
                "handling_label": str(handlings.get(r["handling"], "")),
                "shown_text": (
                    f"Treść ukryta przez moderatora: {r['hidden_reason']}" if hidden else r["text"]
                ),
            }
        )
    return out


def _counts(rows: list[dict[str, Any]], key: str) -> list[tuple[str, int]]:
    return sorted(Counter(r[key] for r in rows).items(), key=lambda kv: (-kv[1], kv[0]))


def report_context(consultation: Consultation) -> dict[str, Any]:
    rows = _labelled(selectors.report_rows(consultation))
    return {
        "c": consultation,
        "act": selectors.act_info(consultation),
        "forms": selectors.forms_labels(consultation),
        "rows": rows,
        "by_handling": _counts(rows, "handling_label"),
        "by_channel": _counts(rows, "channel_label"),
        "by_category": _counts(rows, "category_label"),
        "generated": timezone.localtime(),
    }


def report_csv(context: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for r in context["rows"]:
        writer.writerow(
            [
                r["number"],
                r["received_on"].isoformat(),
                r["channel_label"],
                r["category_label"],
                r["part_label"],
                r["parcel"],
                r["shown_text"],
                r["handling_label"],
                r["justification"],
            ]  # fmt: skip
        )
    return out.getvalue()


def report_build(consultation: Consultation, progress: Progress) -> tuple[bytes, str, int]:
    """(PDF bytes, CSV text, number of comments) of the consultation's summary report."""
    with translation.override("pl"):
        progress(5, "Zbieranie uwag")
        context = report_context(consultation)
        progress(15, f"Składanie raportu ({len(context['rows'])} uwag)")
        html = render_to_string("consultations/report_pdf.html", context)
        csv_text = report_csv(context)
        progress(25, "Skład PDF")
        document = pdf.lay_out(html)
        progress(85, f"Zapis PDF ({len(document.pages)} stron)")
        data = pdf.write(document)
    return data, csv_text, len(context["rows"])

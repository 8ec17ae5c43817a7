"""Background work of consultations: the summary report (staff start it from a POST; progress
shown on the consultation's staff page) and the daily opening and closing by date."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from miasto.consultations.models import Consultation
from miasto.consultations.report import report_build
from miasto.consultations.services import ConsultationError, consultations_advance, report_file_save
from miasto.core.jobs import JobContext, JobError, job_registry, periodic

REPORT_JOB = "consultations.report"


def report_job(ctx: JobContext) -> dict[str, Any]:
    pk = ctx.payload.get("consultation_id")
    consultation = Consultation.objects.filter(pk=int(pk)).first() if pk else None
    if consultation is None:
        raise JobError("Nie ma takich konsultacji.")
    pdf_bytes, csv_text, count = report_build(
        consultation, lambda percent, message: ctx.progress(percent, message, force=True)
    )
    try:
        report_file_save(consultation, pdf_bytes, csv_text, count)
    except ConsultationError as exc:
        raise JobError(str(exc)) from None
    ctx.progress(100, "Raport gotowy", force=True)
    return {"comments": count, "pdf_bytes": len(pdf_bytes)}


job_registry.register(REPORT_JOB, report_job)

# opening on the first day and closing after the last: hourly, so a day is never missed
periodic("consultations.advance", every=timedelta(hours=1))(consultations_advance)

"""Background job ``datahub.import``: import an uploaded file as a new dataset version.

Payload: ``{dataset_id, path, source_name, crs, layer, user_id, mapping?}``. Progress goes to
the job (shown in the UI); a bad file fails the job with the Polish message of the
:class:`~miasto.core.jobs.JobError`. The uploaded file is removed when the job ends.

Periodic task ``datahub.cleanup``: the workers remove abandoned uploads and leftovers of
crashed imports once an hour (:func:`miasto.datahub.cleanup.periodic_cleanup`); an import job
whose worker died is failed by the next worker, which removes its work at once
(:func:`miasto.datahub.cleanup.abandoned_import_cleanup`).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

from miasto.core.jobs import (
    JobContext,
    JobError,
    abandoned_registry,
    job_registry,
    lock_registry,
    periodic,
)
from miasto.datahub import cleanup
from miasto.datahub.models import Dataset
from miasto.datahub.services import version_import


def import_job(ctx: JobContext) -> dict[str, Any]:
    payload = ctx.payload
    dataset = Dataset.objects.filter(pk=payload.get("dataset_id") or 0).first()
    if dataset is None:
        raise JobError("Zbiór danych nie istnieje (został usunięty?).")
    user = None
    if payload.get("user_id"):
        user = get_user_model().objects.filter(pk=payload["user_id"]).first()
    try:
        version = version_import(
            dataset=dataset,
            path=payload["path"],
            source_name=payload.get("source_name") or payload["path"],
            user=user,
            crs=payload.get("crs") or None,
            layer=payload.get("layer") or None,
            mapping=payload.get("mapping"),
            preset=payload.get("preset") or None,  # (the preset the steward confirmed)
            progress=lambda p, m: ctx.progress(p, m),
        )
    finally:
        # done or failed, the upload is not needed again (a new attempt uploads anew)
        cleanup.upload_remove(payload.get("path"))
    return {
        "version_id": version.pk,
        "number": version.number,
        "status": version.status,
        "feature_count": version.feature_count,
        "quality_score": version.quality_score,
        "blocking": [b["message"] for b in version.quality.get("blocking", [])],
    }


def import_lock(payload: dict[str, Any]) -> str:
    """Imports of one dataset run one at a time (in the order they were asked for); imports
    of different datasets may run side by side on several workers."""
    return f"datahub.import:{payload.get('dataset_id')}"


job_registry.register("datahub.import", import_job)
lock_registry.register("datahub.import", import_lock)
abandoned_registry.register("datahub.import", cleanup.abandoned_import_cleanup)
periodic("datahub.cleanup", every=cleanup.CLEANUP_EVERY_SECONDS)(cleanup.periodic_cleanup)

"""Inspect an uploaded file for the field-mapping step: layers, fields, geometry type, CRS, count.

The same guards as an import (:func:`miasto.datahub.files.inspect_upload`: size, content
matching the extension, ZIP traversal and bombs, XML entities), then GDAL's description of the
layers (:func:`miasto.datahub.gdal.describe`). Temporary extraction is removed afterwards.
Raises :class:`~miasto.core.jobs.JobError` (Polish message) for a bad file.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from pathlib import Path

from miasto.datahub import files, gdal


@dataclass
class UploadInspection:
    format: str
    format_name: str
    size: int
    sha256: str
    layers: list[gdal.LayerInfo] = field(default_factory=list)

    def layer(self, name: str | None) -> gdal.LayerInfo:
        return gdal.SourceInfo(self.layers).layer(name)


def upload_inspect(path: Path, name: str) -> UploadInspection:
    """Check ``path`` (uploaded as ``name``) and describe its layers."""
    workdir = path.parent / f"inspect-{uuid.uuid4().hex[:8]}"
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        src = files.inspect_upload(path, name, workdir)
        info = gdal.describe(src.path, src.driver)
        if not info.layers:
            raise gdal.GdalError("Plik nie zawiera żadnej warstwy danych.")
        return UploadInspection(
            format=src.format,
            format_name=files.FORMAT_NAMES.get(src.format, src.format),
            size=src.size,
            sha256=src.sha256,
            layers=info.layers,
        )
    finally:
        files.cleanup(workdir)

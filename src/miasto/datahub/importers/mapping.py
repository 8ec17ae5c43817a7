"""A field mapping read from a file (``miasto import --mapping``)."""

from __future__ import annotations

import json
from pathlib import Path

from miasto.core.jobs import JobError


def load_mapping(path: str | Path) -> dict[str, str]:
    """Read a field mapping ``{"target_field": "source_column"}`` from a JSON file."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise JobError(f"Nie można odczytać pliku mapowania pól {path}: {exc}.") from None
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in data.items()
    ):
        raise JobError('Plik mapowania pól musi zawierać obiekt JSON {"pole": "atrybut"}.')
    return data

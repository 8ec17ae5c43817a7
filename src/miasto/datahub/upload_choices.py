"""What the upload page shows a steward to choose before an import: the layers of a file with
several, the import preset found for a GML file (to confirm) and each attribute's detected
type (to override)."""

from __future__ import annotations

import re
import secrets
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

from django.utils.text import slugify

from miasto.core.jobs import JobError
from miasto.datahub import gdal, presets
from miasto.datahub.cleanup import upload_dir_root
from miasto.datahub.models import Dataset
from miasto.datahub.presets.base import describe_match
from miasto.datahub.services import dataset_create
from miasto.datahub.services.sources import with_geometry

_INTEGER = re.compile(r"^\s*[+-]?\d+\s*$")
_DECIMAL = re.compile(r"^\s*[+-]?\d+[.,]\d+\s*$")
_DATE = re.compile(r"^\s*\d{4}-\d{2}-\d{2}\s*$")


def several_layers(layers: list[gdal.LayerInfo]) -> bool:
    """Must the steward choose the layers (more than one has a geometry)?"""
    return len(with_geometry(layers)) > 1


def _ogr_kind(ogr_type: str) -> str:
    if ogr_type.startswith("Integer"):
        return "integer"
    if ogr_type.startswith("Real"):
        return "decimal"
    if ogr_type.startswith("Date") and ogr_type != "DateTime":
        return "date"
    return "text"


def _sample_kind(values: list[str]) -> str:
    """The type GDAL's CSV autodetection would give these values."""
    filled = [v for v in values if v.strip()]
    if not filled:
        return "text"
    for kind, pattern in (("integer", _INTEGER), ("decimal", _DECIMAL), ("date", _DATE)):
        if all(pattern.match(v) or (kind == "decimal" and _INTEGER.match(v)) for v in filled):
            return kind
    return "text"


def detected_types(
    layer: gdal.LayerInfo, path: Path | None = None, csv: bool = False
) -> list[tuple[str, str]]:
    """``(attribute, type)`` of each attribute as the import reads it (``text``, ``integer``,
    ``decimal``, ``date``): a CSV's from a sample of its rows, others' from GDAL; codes and
    identifiers (and values with leading zeros) as text."""
    sample: dict[str, list[str]] = {}
    if csv and path is not None:
        header, rows = gdal.csv_sample(path, limit=64 * 1024)
        sample = {name: [r[i] for r in rows if i < len(r)] for i, name in enumerate(header)}
    types = layer.field_types or ["String"] * len(layer.fields)
    out = []
    for name, ogr_type in zip(layer.fields, types, strict=False):
        values = sample.get(name, [])
        kind = _sample_kind(values) if csv else _ogr_kind(ogr_type)
        if gdal.is_code_column(name, values):
            kind = "text"
        out.append((name, kind))
    return out


def preset_for(path: Path, fmt: str, layer: gdal.LayerInfo) -> dict[str, Any] | None:
    """The import preset a GML file matches (the surest), as the page shows it for
    confirmation: its label, key, targets, feature types, and what it maps for ``layer``
    (``mapping`` ``[(target field, source column)]``, or ``error`` when the layer does not
    fit it). ``None``: not a GML file, or of no known schema."""
    if fmt != "gml" or path.suffix.lower() != ".gml":
        return None
    try:
        matches = presets.detect(path)
    except (JobError, OSError):
        return None
    if not matches:
        return None
    shown = describe_match(matches[0])
    try:
        found = matches[0].preset.mapping_for(layer)
    except JobError as exc:
        shown["error"] = str(exc)
    else:
        shown["target"] = found.target
        shown["mapping"] = sorted(found.mapping.items())
    return shown


# --------------------------------------------------------------------------- several datasets

_POLISH = str.maketrans("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ", "acelnoszzACELNOSZZ")


def merged_layer(layers: list[gdal.LayerInfo]) -> gdal.LayerInfo:
    """Several layers as the one dataset they become: every attribute of each (the first
    layer's type of each), their features together."""
    fields: dict[str, str] = {}
    for lyr in layers:
        types = lyr.field_types or ["String"] * len(lyr.fields)
        for name, kind in zip(lyr.fields, types, strict=False):
            fields.setdefault(name, kind)
    return replace(
        layers[0],
        name=", ".join(lyr.name for lyr in layers),
        fields=list(fields),
        field_types=list(fields.values()),
        feature_count=sum(max(lyr.feature_count, 0) for lyr in layers),
    )


def layer_dataset(dataset: Dataset, layer: str, user: Any, mapping: dict[str, Any]) -> Dataset:
    """A new dataset for one more layer of a file imported as separate datasets: the first
    dataset's owner, target, mapping and key; its slug and title with the layer's name."""
    base = slugify(layer.translate(_POLISH)) or "warstwa"
    stem = f"{dataset.slug}-{base}"[:70]
    slug, n = stem, 1
    while Dataset.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{stem}-{n}"
    return dataset_create(
        user=user,
        slug=slug,
        title_pl=f"{dataset.title_pl} — {layer}"[:200],
        owner=dataset.owner,
        target=dataset.target,
        field_mapping=mapping,
        key_field=dataset.key_field,
    )


def copy_upload(path: Path) -> Path:
    """A copy of an upload in a folder of its own (each import job removes its upload when
    it ends)."""
    folder = upload_dir_root() / secrets.token_hex(16)
    folder.mkdir(parents=True)
    copy = folder / path.name
    shutil.copyfile(path, copy)
    return copy

"""The import steps of a national schema's preset (:mod:`miasto.datahub.presets`).

``preset`` (after ``describe``) recognises a GML file's schema — or takes the preset the import
names — reads the file again with the preset's options and picks the layer whose feature type
the preset maps onto the dataset's target. ``preset_fields`` (after ``load``) loads the layers
the preset's lookups read and adds a computed column per transform, the preset's mapping
pointing at it. Both reads of the file (``describe`` and ``load``) use the same options: GDAL
writes the columns it found into a ``.gfs`` beside the file and reads them from it afterwards.
"""

from __future__ import annotations

from pathlib import Path

from psycopg import sql

from miasto.core import db
from miasto.core.jobs import JobError
from miasto.datahub import gdal
from miasto.datahub.presets import Lookup, Preset, Scale, detect, presets
from miasto.datahub.presets.base import LayerMapping, Transform
from miasto.datahub.services.run import ImportRun
from miasto.datahub.services.steps import use_layer
from miasto.datahub.services.tables import table_columns

#: the ``--preset`` value that turns recognition off
NO_PRESET = "none"


def choose_preset(run: ImportRun) -> None:
    """The preset of a GML file (the one named with the import, else the surest match whose
    features reach the dataset's target), the layer it maps onto that target, re-read with the
    preset's options; the mapping, the ``-where`` keeping current versions."""
    assert run.source is not None and run.open_path is not None, "inspect runs first"
    key = run.request.preset
    if key == NO_PRESET or run.source.driver != "GML":
        if key not in (None, NO_PRESET):
            raise JobError(f"Szablon importu „{key}” dotyczy tylko plików GML.")
        return
    preset = _named_preset(key) if key else _detected_preset(run.open_path, run.target.key)
    if preset is None:
        return
    if run.target.key not in preset.targets():
        raise JobError(
            f"Szablon „{preset.label}” nie zasila warstwy „{run.target.label}”; zasila: "
            f"{', '.join(sorted(preset.targets()))}."
        )
    _forget_columns(run.open_path)
    info = gdal.describe(run.open_path, "GML", options=preset.options)
    layer = _preset_layer(preset, info, run)
    run.preset = preset.mapping_for(layer)
    run.options = []
    run.layers, run.layer_column = [layer], None
    run.skipped_layers = [lyr for lyr in info.layers if lyr.name != layer.name]
    use_layer(run, layer)
    run.options += run.preset.ogr_args()


def _named_preset(key: str) -> Preset:
    found = presets.get(key)
    if found is None:
        known = ", ".join(sorted(presets.keys()))
        raise JobError(f"Nieznany szablon importu „{key}”. Dostępne: {known}, {NO_PRESET}.")
    return found


def _detected_preset(path: Path, target: str) -> Preset | None:
    """The surest preset the file matches that maps something onto ``target``."""
    return next((m.preset for m in detect(path) if target in m.preset.targets()), None)


def _forget_columns(path: Path) -> None:
    """Remove the ``.gfs`` GDAL wrote beside the file in the work folder when ``describe``
    read it without the preset's options (it would fix the columns of every later read)."""
    path.with_suffix(".gfs").unlink(missing_ok=True)


def _preset_layer(preset: Preset, info: gdal.SourceInfo, run: ImportRun) -> gdal.LayerInfo:
    """The layer asked for, else the one whose feature type the preset maps onto the target."""
    if run.request.chosen_layers:
        return info.layer(run.request.chosen_layers[0])
    wanted = [f.layer for f in preset.features if f.target == run.target.key]
    for layer in info.layers:
        if layer.name in wanted:
            return layer
    raise JobError(
        f"Plik wygląda na {preset.label}, ale nie ma obiektów {', '.join(wanted)} "
        f"(warstwa „{run.target.label}”). Warstwy pliku: "
        f"{', '.join(lyr.name for lyr in info.layers) or '—'}."
    )


# --------------------------------------------------------------------------- preset_fields


def preset_fields(run: ImportRun) -> None:
    """The layers the lookups read, loaded beside; a computed column per transform, and the
    preset's mapping pointing at it (used when the dataset has no mapping of its own)."""
    mapped = run.preset
    if mapped is None:
        return
    for n, layer in enumerate(mapped.lookup_layers(), start=1):
        run.lookup_tables[layer] = f"{run.staging}_ref{n}"
        _load_lookup(run, mapped, layer, run.lookup_tables[layer])
    _index_lookups(run, mapped)
    columns = {c.lower(): c for c, _t in table_columns(run.staging)}
    mapping = dict(mapped.mapping)
    for target_field, transform in mapped.transforms.items():
        source = columns.get(mapped.mapping[target_field].lower())
        if source is None:
            continue
        computed = _free_name(target_field, columns)
        columns[computed] = computed
        _add_computed(run, computed, transform, source)
        mapping[target_field] = computed
    run.preset_mapping = mapping


def _load_lookup(run: ImportRun, mapped: LayerMapping, layer: str, table: str) -> None:
    """``layer`` of the file (attributes only) into ``table``."""
    assert run.open_path is not None
    pg, env = gdal.pg_connection()
    gdal.ogr2ogr(
        [
            *("-f", "PostgreSQL", pg, str(run.open_path), layer),
            *("--config", "PG_USE_COPY", "YES", "-nln", table, "-nlt", "NONE"),
            *("-lco", "FID=fid", "-lco", "SPATIAL_INDEX=NONE", "-lco", "PRECISION=NO"),
        ],
        env=env,
        source=mapped.source_file(run.open_path),
    )


def _index_lookups(run: ImportRun, mapped: LayerMapping) -> None:
    """An index on the key each lookup finds its feature by: every row of the loaded layer
    looks one up (a county's address points, thousands of streets)."""
    keys = {(t.layer, t.key.lower()) for t in mapped.transforms.values() if isinstance(t, Lookup)}
    for layer, key in sorted(keys):
        table = sql.Identifier(*run.lookup_tables[layer].split(".", 1))
        db.execute(sql.SQL("CREATE INDEX ON {} ({})").format(table, sql.Identifier(key)))
        db.execute(sql.SQL("ANALYZE {}").format(table))


def _free_name(name: str, columns: dict[str, str]) -> str:
    """``name``, or ``name_2``… if the table has a column so called."""
    candidate, n = name, 1
    while candidate.lower() in columns:
        n += 1
        candidate = f"{name}_{n}"
    return candidate


def _add_computed(run: ImportRun, column: str, transform: Transform, source: str) -> None:
    value = sql.Identifier(source)
    if isinstance(transform, Lookup):
        table = run.lookup_tables[transform.layer]
        expression = transform.expression_from(value, sql.Identifier(*table.split(".", 1)))
    else:
        expression = transform.expression(value)
    kind = sql.SQL("numeric" if isinstance(transform, Scale) else "text")
    db.execute(
        sql.SQL("ALTER TABLE {t} ADD COLUMN {c} {k}").format(
            t=run.work_table(), c=sql.Identifier(column), k=kind
        )
    )
    db.execute(
        sql.SQL("UPDATE {t} SET {c} = {e}").format(
            t=run.work_table(), c=sql.Identifier(column), e=expression
        )
    )

"""Import presets for national schemas, one module per schema (see :mod:`.base`).

Imported by the registry's autodiscovery (``miasto.core.registry``: every app's ``presets``);
a new schema is one new module here, imported below.
"""

from miasto.datahub.presets import bdot10k, egib, prg
from miasto.datahub.presets.base import (
    FeatureMapping,
    JoinList,
    LayerMapping,
    Lookup,
    Preset,
    PresetMatch,
    Scale,
    Source,
    Transform,
    ValueMap,
    detect,
    presets,
    register,
)

__all__ = [
    "FeatureMapping",
    "JoinList",
    "LayerMapping",
    "Lookup",
    "Preset",
    "PresetMatch",
    "Scale",
    "Source",
    "Transform",
    "ValueMap",
    "bdot10k",
    "detect",
    "egib",
    "presets",
    "prg",
    "register",
]

"""Import targets of the data hub: ``generic`` plus the spine layers, each declared once
(:mod:`~miasto.datahub.importers.targets`) in the registry of :mod:`miasto.core.importing`
(which holds the base classes and the expression vocabulary).

A spine target declares its fields (name, type, required, how it is derived) and its spine
columns, and publishes a version's table into its spine table with set-based SQL inside one
transaction (:mod:`~miasto.datahub.importers.spine`): update what changed (by key), insert what
is new, delete what disappeared (detaching or refusing rows of other tables that still refer
to it, as the Django ``on_delete`` of each relation says,
:mod:`~miasto.datahub.importers.references`). The statements are composed from the declaration
(:mod:`~miasto.datahub.importers.statements`).

Field mapping: ``{target_field: source_column}``, saved on the dataset; a target field whose
name equals a source column (case-insensitive) is mapped automatically.
"""

from miasto.core.importing import ImportTarget as ImportTarget
from miasto.core.importing import PublishOptions as PublishOptions
from miasto.core.importing import PublishPlan as PublishPlan
from miasto.core.importing import TargetField as TargetField
from miasto.core.importing import get_target as get_target
from miasto.core.importing import import_targets as import_targets
from miasto.datahub.importers.mapping import load_mapping as load_mapping
from miasto.datahub.importers.spine import BULK_MIN_ROWS as BULK_MIN_ROWS
from miasto.datahub.importers.spine import SpineTarget as SpineTarget
from miasto.datahub.importers.targets import PARCEL_ID_SQL as PARCEL_ID_SQL

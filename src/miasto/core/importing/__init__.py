"""Import targets: what a file loaded by the data hub is published into, declared in a registry.

A target declares its fields (name, type, required, how it is derived — with the expression
vocabulary of :mod:`miasto.core.importing.expressions`, never SQL text) and publishes a
version's table with set-based SQL inside one transaction. The base classes and the registry
live in core so that any module declares its targets in its own ``importers.py`` (the data hub
the generic layer and the spine layers: :mod:`miasto.datahub.importers`; planning the plan
zones: :mod:`miasto.planning.importers`) without importing another module.

Field mapping: ``{target_field: source_column}``, saved on the dataset; a target field whose
name equals a source column (case-insensitive) is mapped automatically.
"""

from miasto.core.importing.targets import ImportTarget as ImportTarget
from miasto.core.importing.targets import PublishOptions as PublishOptions
from miasto.core.importing.targets import PublishPlan as PublishPlan
from miasto.core.importing.targets import TargetField as TargetField
from miasto.core.importing.targets import get_target as get_target
from miasto.core.importing.targets import import_targets as import_targets
from miasto.core.importing.targets import qualified as qualified

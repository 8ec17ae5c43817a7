"""Permissions each role holds in the data hub (object-level checks in permissions.py)."""

from miasto.core.roles import grant

_ALL = [
    f"datahub.{action}_{model}"
    for model in ("dataset", "datasetversion")
    for action in ("view", "add", "change", "delete")
]
grant("data_steward", *_ALL)
grant("administrator", *_ALL, "core.view_job")
for _role in ("planner", "inspector", "case_officer", "moderator"):
    grant(_role, "datahub.view_dataset", "datahub.view_datasetversion")

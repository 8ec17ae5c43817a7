"""Permissions each role holds on the spine."""

from miasto.core.roles import grant

SPINE_MODELS = [
    "city", "district", "precinct", "block", "parcel", "building", "street", "roadsegment",
    "address", "orgunit", "publicservice", "constraint",
]  # fmt: skip

for _role in ("planner", "inspector", "case_officer", "moderator"):
    grant(_role, *(f"territory.view_{m}" for m in SPINE_MODELS))

for _role in ("data_steward", "administrator"):
    grant(
        _role,
        *(f"territory.{a}_{m}" for m in SPINE_MODELS for a in ("view", "add", "change", "delete")),
    )

grant("administrator", "core.view_auditentry", "auth.view_user", "auth.add_user",
      "auth.change_user", "auth.view_group")  # fmt: skip

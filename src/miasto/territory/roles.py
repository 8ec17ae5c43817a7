"""Permissions each role holds on the spine."""

from miasto.core.roles import grant

SPINE_MODELS = [
    "city", "district", "precinct", "block", "parcel", "building", "street", "roadsegment",
    "address", "orgunit", "publicservice", "constraint",
]  # fmt: skip

for _role in ("planner", "inspector", "case_officer", "moderator"):
    grant(_role, *(f"territory.view_{m}" for m in SPINE_MODELS))

#: Organisational units are the city's structure (set by the mayor's organisational
#: regulation), and their members see the units' restricted datasets: administrators alone
#: change them. Data stewards keep the rest of the spine, which they load and correct.
ADMIN_ONLY_MODELS = ["orgunit"]

grant("data_steward", "territory.view_orgunit")
grant(
    "data_steward",
    *(f"territory.{a}_{m}" for m in SPINE_MODELS if m not in ADMIN_ONLY_MODELS
      for a in ("view", "add", "change", "delete")),
)  # fmt: skip
grant(
    "administrator",
    *(f"territory.{a}_{m}" for m in SPINE_MODELS for a in ("view", "add", "change", "delete")),
)

grant("administrator", "core.view_auditentry", "auth.view_user", "auth.add_user",
      "auth.change_user", "auth.view_group")  # fmt: skip

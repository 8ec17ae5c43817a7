"""Permissions each role holds on plans."""

from miasto.core.roles import grant

PLANNING_MODELS = [
    "plan", "legalact", "planstatuschange", "zone", "specialarea", "buildingline", "scenario",
]  # fmt: skip

for _role in ("inspector", "case_officer", "moderator", "data_steward"):
    grant(_role, *(f"planning.view_{m}" for m in PLANNING_MODELS))

for _role in ("planner", "administrator"):
    grant(
        _role,
        *(f"planning.{a}_{m}" for m in PLANNING_MODELS for a in ("view", "add", "change", "delete")
          if not (m == "planstatuschange" and a != "view")),
    )  # fmt: skip

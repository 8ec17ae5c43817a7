"""Who may do what with problem reports in the admin: case officers keep the catalogue (the
categories, their attributes, routing, answer templates); status changes happen on the
queue's pages (the state machine in statuses.py)."""

from miasto.core.roles import grant

CATALOGUE = ("service", "serviceattribute", "routingrule", "answertemplate")

for _model in CATALOGUE:
    for _action in ("view", "add", "change", "delete"):
        grant("case_officer", f"problems.{_action}_{_model}")
        grant("administrator", f"problems.{_action}_{_model}")

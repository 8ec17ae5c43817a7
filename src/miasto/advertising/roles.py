"""Permissions each role holds in the advertising module.

Inspectors and case officers work with the register (carriers, owners, permits, photos);
planners and administrators also edit the landscape resolution's rules and the fee
configuration. Violations are written only by the compliance engine (view only).
"""

from miasto.core.roles import grant

REGISTER = ["carrier", "owner", "permit", "carrierphoto", "feeexemption"]
RULES = ["landscaperesolution", "ruleset", "zone", "zonerule", "feerate", "feecap"]
READ_ONLY = ["violation", "complianceresult", "compliancerun", "resolutionstatuschange"]
ALL = REGISTER + RULES + READ_ONLY


def _perms(models: list[str], actions: tuple[str, ...]) -> list[str]:
    return [f"advertising.{a}_{m}" for m in models for a in actions]


for _role in ("inspector", "case_officer", "planner", "administrator"):
    grant(_role, *_perms(ALL, ("view",)))
    grant(_role, *_perms(REGISTER, ("add", "change")))

for _role in ("planner", "administrator"):
    grant(_role, *_perms(RULES, ("add", "change", "delete")))
    grant(_role, *_perms(REGISTER, ("delete",)))

grant("data_steward", *_perms(["carrier", "zone", "landscaperesolution", "ruleset"], ("view",)))

"""Which illumination is allowed (e.g. no LED and no backlight in the old town). Setting
``{"allowed": [...]}``: the allowed kinds of illumination (``none``, ``external``,
``internal``, ``led``)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from miasto.advertising.kinds import Illumination
from miasto.advertising.rules.base import RuleInput, RuleKind, register, unknown_params


def _check(rule: RuleInput) -> list[str]:
    errors = unknown_params(rule, {"allowed"})
    allowed = rule.params.get("allowed")
    if not isinstance(allowed, list) or not set(allowed) <= set(Illumination.values):
        errors.append(_("List the allowed kinds of illumination."))
    return errors


register(
    RuleKind(
        key="illumination",
        label=gettext_lazy("allowed illumination"),
        unit="",
        needs="none",
        message=gettext_lazy("this illumination is not allowed in the zone"),
        check_params=_check,
        findings="""
SELECT cr.carrier_id, cr.rule_id, cr.zone_id, 0::bigint, cr.illumination, NULL::numeric,
       NULL::numeric
  FROM cr
 WHERE cr.rule_kind = 'illumination'
   AND NOT coalesce(cr.params -> 'allowed' ? cr.illumination, false)
""",
    )
)

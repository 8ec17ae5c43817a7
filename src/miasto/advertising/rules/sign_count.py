"""The largest number of signs (*szyldy*) per business, or per building when the setting
``{"per": "building"}`` is given. Only signs may be counted: a resolution may not cap the
number of other carriers on a property (NSA II OSK 1005/21, WSA IV SA/Wa 899/20), so the rule
is refused for any other kind. Every sign of a business over the cap violates, the count
being the measured value."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from miasto.advertising.kinds import CarrierKind
from miasto.advertising.rules.base import RuleInput, RuleKind, register, unknown_params


def _check(rule: RuleInput) -> list[str]:
    errors = unknown_params(rule, {"per"})
    if rule.params.get("per", "business") not in ("business", "building"):
        errors.append(_("Signs are counted per business or per building."))
    return errors


register(
    RuleKind(
        key="sign_count",
        label=gettext_lazy("maximum number of signs"),
        unit="",
        needs="max",
        message=gettext_lazy("%1$s signs where at most %2$s are allowed"),
        only_kinds=frozenset({CarrierKind.SIGN}),
        check_params=_check,
        findings="""
SELECT s.carrier_id, s.rule_id, s.zone_id, 0::bigint, s.grp, s.n::numeric, s.max_value
  FROM (
    SELECT cr.carrier_id, cr.rule_id, cr.zone_id, cr.max_value,
           CASE WHEN cr.params ->> 'per' = 'building' THEN coalesce(cr.building_id::text, '')
                ELSE cr.business END AS grp,
           count(*) OVER (PARTITION BY cr.rule_id,
               CASE WHEN cr.params ->> 'per' = 'building' THEN coalesce(cr.building_id::text, '')
                    ELSE cr.business END) AS n
      FROM cr
     WHERE cr.rule_kind = 'sign_count' AND cr.kind = 'sign'
       AND CASE WHEN cr.params ->> 'per' = 'building' THEN cr.building_id IS NOT NULL
                ELSE cr.business <> '' END
  ) s
 WHERE s.n > s.max_value
""",
    )
)

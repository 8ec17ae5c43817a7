"""The smallest distance to another carrier (m), e.g. 80 m between freestanding boards.
Setting ``{"other_kinds": [...]}`` counts only carriers of those kinds (default: any). Both
carriers of a pair too close violate, each naming the other."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from miasto.advertising.kinds import KIND_VALUES
from miasto.advertising.rules.base import RuleInput, RuleKind, register, unknown_params


def _check(rule: RuleInput) -> list[str]:
    errors = unknown_params(rule, {"other_kinds"})
    others = rule.params.get("other_kinds", [])
    if not isinstance(others, list) or not set(others) <= KIND_VALUES:
        errors.append(_("Unknown carrier kind among the other carriers."))
    return errors


register(
    RuleKind(
        key="distance_carrier",
        label=gettext_lazy("minimum distance to other carriers"),
        unit="m",
        needs="min",
        message=gettext_lazy("%1$s m from carrier %3$s, at least %2$s m required"),
        reaches_carriers=True,
        check_params=_check,
        findings="""
SELECT cr.carrier_id, cr.rule_id, cr.zone_id, o.id, o.reference,
       round(ST_Distance(o.location, cr.location)::numeric, 2), cr.min_value
  FROM cr
  JOIN advertising_carrier o
    ON ST_DWithin(o.location, cr.location, cr.min_value::float8)
   AND o.id <> cr.carrier_id
   AND ST_Distance(o.location, cr.location) < cr.min_value::float8
   AND o.status = 'active'
   AND (o.installed_on IS NULL OR o.installed_on <= cr.on_date)
   AND (o.removed_on IS NULL OR o.removed_on > cr.on_date)
   AND (NOT cr.params ? 'other_kinds'
        OR cr.params -> 'other_kinds' ? o.kind)
 WHERE cr.rule_kind = 'distance_carrier'
""",
    )
)

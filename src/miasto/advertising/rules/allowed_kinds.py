"""Which carrier kinds may stand in the zone at all (e.g. no freestanding boards in the old
town). Settings: ``{"kinds": [...]}`` — the allowed kinds; any other kind violates."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from miasto.advertising.kinds import KIND_VALUES
from miasto.advertising.rules.base import RuleInput, RuleKind, register, unknown_params


def _check(rule: RuleInput) -> list[str]:
    errors = unknown_params(rule, {"kinds"})
    kinds = rule.params.get("kinds")
    if not isinstance(kinds, list) or not all(isinstance(k, str) for k in kinds):
        errors.append(_("List the allowed carrier kinds."))
    elif set(kinds) - KIND_VALUES:
        errors.append(_("Unknown carrier kind: %s.") % ", ".join(sorted(set(kinds) - KIND_VALUES)))
    return errors


register(
    RuleKind(
        key="allowed_kinds",
        label=gettext_lazy("allowed carrier kinds"),
        unit="",
        needs="none",
        message=gettext_lazy("this kind of carrier is not allowed in the zone"),
        check_params=_check,
        findings="""
SELECT cr.carrier_id, cr.rule_id, cr.zone_id, 0::bigint, ''::text, NULL::numeric, NULL::numeric
  FROM cr
 WHERE cr.rule_kind = 'allowed_kinds'
   AND NOT coalesce(cr.params -> 'kinds' ? cr.kind, false)
""",
    )
)

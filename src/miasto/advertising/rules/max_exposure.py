"""The longest exposure of a temporary carrier — a building or scaffolding wrap, a banner —
in days: from its installation to its planned end (or to the date judged, if later)."""

from django.utils.translation import gettext_lazy

from miasto.advertising.rules.base import RuleKind, register

register(
    RuleKind(
        key="max_exposure",
        label=gettext_lazy("maximum exposure time"),
        unit="d",
        needs="max",
        message=gettext_lazy("exposed for %1$s days, at most %2$s days allowed"),
        findings="""
SELECT e.carrier_id, e.rule_id, e.zone_id, 0::bigint, ''::text, e.days, e.max_value
  FROM (
    SELECT cr.*, (greatest(coalesce(cr.exposure_until, cr.on_date), cr.on_date)
                  - cr.installed_on)::numeric AS days
      FROM cr
     WHERE cr.rule_kind = 'max_exposure' AND cr.installed_on IS NOT NULL) e
 WHERE e.days > e.max_value
""",
    )
)

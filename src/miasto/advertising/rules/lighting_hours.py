"""The latest hour a lit carrier may shine (0–24; e.g. 23). A carrier lit past midnight
(``lit_until`` before ``lit_from``) counts as lit until 24 + that hour; carriers whose hours
are not known are not judged."""

from django.utils.translation import gettext_lazy

from miasto.advertising.rules.base import RuleKind, register

register(
    RuleKind(
        key="lighting_hours",
        label=gettext_lazy("latest lighting hour"),
        unit="h",
        needs="max",
        message=gettext_lazy("lit until %1$s h, at most until %2$s h allowed"),
        findings="""
SELECT l.carrier_id, l.rule_id, l.zone_id, 0::bigint, ''::text, l.until, l.max_value
  FROM (
    SELECT cr.*, (CASE WHEN cr.lit_until < cr.lit_from THEN cr.lit_until + 24
                       ELSE cr.lit_until END)::numeric AS until
      FROM cr
     WHERE cr.rule_kind = 'lighting_hours' AND cr.illumination <> 'none'
       AND cr.lit_until IS NOT NULL AND cr.lit_from IS NOT NULL) l
 WHERE l.until > l.max_value
""",
    )
)

"""The compliance engine: every carrier against the rules in force at a date, set-based.

The engine builds a few work relations — the rule versions judged, their zones, the zone each
carrier stands in (a spatial join), one row per carrier and rule of its zone, and the
*findings* of every rule kind (:mod:`miasto.advertising.rules`) in one statement, distances
measured through GiST indexes (``ST_DWithin``) — and merges the findings into the violation
history: a violation still found is refreshed, a new one is inserted, one no longer found is
resolved (never deleted), and each carrier's verdict (:class:`ComplianceResult`) is
rewritten. Over the whole register the relations are indexed temporary tables; over a few
carriers (the incremental re-check) they are common table expressions of a single statement
that also does the writes, so a re-check creates no tables.

The adjustment provisions (u.p.z.p. art. 37a ust. 1; NSA II OSK 1602/23): a carrier that
stood before the resolution took effect is judged under its zone's adjustment period — within
the period its violations are recorded as *under adjustment* and do not make it
non-compliant; after the period they do. If the resolution lacks proper adjustment provisions
(or the zone sets no period) such a carrier's violations may never be penalised.

The incremental re-check (:func:`recheck_carrier`) judges one carrier, the carriers near it
that distance rules could pair it with, and the signs it is counted with.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from miasto.advertising.models import Carrier, ComplianceRun, RuleSet
from miasto.advertising.rules import rule_kinds
from miasto.core import db

#: the rule versions that judge the register on %(on)s: applied, in force, of a binding act
RULESETS_IN_FORCE = """
SELECT r.id, res.valid_from AS res_from, res.has_adjustment_provisions, res.number,
       res.journal_position
  FROM advertising_ruleset r
  JOIN advertising_landscaperesolution res ON res.id = r.resolution_id
 WHERE r.applied AND r.valid_from <= %(on)s AND (r.valid_to IS NULL OR r.valid_to > %(on)s)
   AND res.status IN ('in_force', 'repealed') AND res.valid_from <= %(on)s
   AND (res.valid_to IS NULL OR res.valid_to > %(on)s)
"""

#: one rule version, whatever its state (a preview of a draft)
RULESET_PREVIEW = """
SELECT r.id, coalesce(res.valid_from, r.valid_from) AS res_from,
       res.has_adjustment_provisions, res.number, res.journal_position
  FROM advertising_ruleset r
  JOIN advertising_landscaperesolution res ON res.id = r.resolution_id
 WHERE r.id = %(ruleset)s
"""

ACTIVE_ON = """c.status = 'active' AND (c.installed_on IS NULL OR c.installed_on <= %(on)s)
   AND (c.removed_on IS NULL OR c.removed_on > %(on)s)"""

#: the zones of the rule versions judged, cut into small parts (``ST_Subdivide``) so that a
#: point-in-zone test touches a few hundred vertices, not a city boundary's thousands
ZONE_PARTS = """
SELECT z.id AS zone_id, ST_Subdivide(z.geom, 128) AS geom
  FROM advertising_zone z JOIN adv_rs rs ON rs.id = z.ruleset_id
"""

#: a few carriers: the zones they touch, whole (cutting them costs more than it saves)
ZONE_PARTS_FEW = """
SELECT z.id AS zone_id, z.geom
  FROM advertising_zone z JOIN adv_rs rs ON rs.id = z.ruleset_id
 WHERE EXISTS (SELECT 1 FROM advertising_carrier c
                WHERE c.id = ANY (%(ids)s) AND c.location && z.geom)
"""

#: the carriers in scope and the zone each stands in
CARRIER_ZONES = """
SELECT DISTINCT ON (c.id) c.id AS carrier_id, p.zone_id
  FROM advertising_carrier c JOIN adv_zone_parts p ON ST_Intersects(p.geom, c.location)
 WHERE {active} {scope}
 ORDER BY c.id, p.zone_id
"""

#: one row per carrier and rule of its zone that applies to its kind (``cr`` of the rules)
CARRIER_RULES = """
SELECT c.id AS carrier_id, c.kind, c.location, c.area, c.width, c.height, c.sides,
       c.bottom_edge, c.facade_share, c.window_share, c.window_distance, c.illumination,
       c.lit_from, c.lit_until, c.installed_on, c.exposure_until, c.business,
       c.building_id, c.parcel_id, ru.id AS rule_id, ru.kind AS rule_kind, cz.zone_id,
       ru.min_value, ru.max_value, ru.params, %(on)s::date AS on_date
  FROM adv_cz cz
  JOIN advertising_carrier c ON c.id = cz.carrier_id
  JOIN advertising_zonerule ru ON ru.zone_id = cz.zone_id
   AND (cardinality(ru.carrier_kinds) = 0 OR c.kind = ANY (ru.carrier_kinds))
"""

#: every rule kind's findings, described: the message, the legal basis, and whether the
#: adjustment provisions hold the violation back
FINDINGS = """
WITH cr AS NOT MATERIALIZED (SELECT * FROM adv_cr),
f (carrier_id, rule_id, zone_id, other_id, other_label, measured, allowed) AS (
{findings}
),
d AS (
SELECT f.*, k.unit,
       left(format(k.message, f.measured, f.allowed, f.other_label), 500) AS message,
       left(format(%(basis)s, coalesce(nullif(ru.provision, ''), '§'), rs.number)
            || coalesce(' (' || nullif(rs.journal_position, '') || ')', ''), 500) AS legal_basis,
       ru.kind AS rule_kind,
       (c.installed_on IS NOT NULL AND c.installed_on < rs.res_from) AS pre_existing,
       CASE WHEN rs.has_adjustment_provisions AND z.adjustment_months IS NOT NULL
            THEN (rs.res_from + make_interval(months => z.adjustment_months))::date END
         AS adjustment_until,
       rs.has_adjustment_provisions AND z.adjustment_months IS NOT NULL AS has_provisions
  FROM f
  JOIN advertising_zonerule ru ON ru.id = f.rule_id
  JOIN advertising_zone z ON z.id = f.zone_id
  JOIN adv_rs rs ON rs.id = z.ruleset_id
  JOIN advertising_carrier c ON c.id = f.carrier_id
  JOIN unnest(%(kind_keys)s::text[], %(kind_units)s::text[], %(kind_messages)s::text[])
       AS k(key, unit, message) ON k.key = ru.kind
)
SELECT d.*,
       d.pre_existing AND (NOT d.has_provisions OR d.adjustment_until > %(on)s)
         AS under_adjustment,
       NOT d.pre_existing OR (d.has_provisions AND d.adjustment_until <= %(on)s) AS penalisable
  FROM d
"""

REFRESH = """
UPDATE advertising_violation v
   SET measured = f.measured, allowed = f.allowed, message = f.message,
       legal_basis = f.legal_basis, other_label = left(f.other_label, 250), unit = f.unit,
       adjustment_until = f.adjustment_until, penalisable = f.penalisable
  FROM adv_findings f
 WHERE v.resolved_on IS NULL AND v.carrier_id = f.carrier_id AND v.rule_id = f.rule_id
   AND v.other_id = f.other_id
   AND (v.measured, v.allowed, v.message, v.legal_basis, v.other_label, v.unit,
        v.adjustment_until, v.penalisable)
       IS DISTINCT FROM (f.measured, f.allowed, f.message, f.legal_basis,
                         left(f.other_label, 250), f.unit, f.adjustment_until, f.penalisable)
"""

INSERT = """
INSERT INTO advertising_violation
       (carrier_id, rule_id, zone_id, rule_kind, other_id, other_label, legal_basis, measured,
        allowed, unit, message, detected_on, adjustment_until, penalisable, created_at)
SELECT f.carrier_id, f.rule_id, f.zone_id, f.rule_kind, f.other_id, left(f.other_label, 250),
       f.legal_basis, f.measured, f.allowed, f.unit, f.message, %(on)s, f.adjustment_until,
       f.penalisable, now()
  FROM adv_findings f
 WHERE NOT EXISTS (SELECT 1 FROM advertising_violation v
                    WHERE v.resolved_on IS NULL AND v.carrier_id = f.carrier_id
                      AND v.rule_id = f.rule_id AND v.other_id = f.other_id)
"""

RESOLVE = """
UPDATE advertising_violation v SET resolved_on = greatest(%(on)s::date, v.detected_on)
 WHERE v.resolved_on IS NULL {scope}
   AND NOT EXISTS (SELECT 1 FROM adv_findings f
                    WHERE f.carrier_id = v.carrier_id AND f.rule_id = v.rule_id
                      AND f.other_id = v.other_id)
"""

#: verdicts of carriers no longer in the register (removed, not yet installed)
VERDICTS_GONE = """
DELETE FROM advertising_complianceresult r
 USING advertising_carrier c
 WHERE c.id = r.carrier_id AND NOT ({active}) {scope}
"""

VERDICTS = """
INSERT INTO advertising_complianceresult
       (carrier_id, zone_id, compliant, open_violations, under_adjustment, checked_on,
        checked_at)
SELECT c.id, zc.zone_id,
       coalesce(v.blocking, 0) = 0, least(coalesce(v.n, 0), 32767),
       coalesce(v.adjusting, false), %(on)s, now()
  FROM advertising_carrier c
  LEFT JOIN adv_cz zc ON zc.carrier_id = c.id
  LEFT JOIN (
    SELECT carrier_id, count(*) AS n,
           count(*) FILTER (WHERE NOT under_adjustment) AS blocking,
           bool_or(under_adjustment) AS adjusting
      FROM adv_findings GROUP BY carrier_id) v ON v.carrier_id = c.id
 WHERE {active} {scope}
ON CONFLICT (carrier_id) DO UPDATE SET
   zone_id = EXCLUDED.zone_id, compliant = EXCLUDED.compliant,
   open_violations = EXCLUDED.open_violations, under_adjustment = EXCLUDED.under_adjustment,
   checked_on = EXCLUDED.checked_on, checked_at = EXCLUDED.checked_at
 WHERE (advertising_complianceresult.zone_id, advertising_complianceresult.compliant,
        advertising_complianceresult.open_violations,
        advertising_complianceresult.under_adjustment, advertising_complianceresult.checked_on)
       IS DISTINCT FROM (EXCLUDED.zone_id, EXCLUDED.compliant, EXCLUDED.open_violations,
                         EXCLUDED.under_adjustment, EXCLUDED.checked_on)
"""

#: carriers a re-check of one carrier must include: itself, those a distance rule could pair
#: it with (around its new and old place), and the signs it is counted with
NEIGHBOURS = """
SELECT %(id)s::bigint
UNION
SELECT o.id FROM advertising_carrier c JOIN advertising_carrier o
    ON ST_DWithin(o.location, c.location, %(reach)s)
 WHERE c.id = %(id)s AND %(reach)s > 0
UNION
SELECT o.id FROM advertising_carrier o
 WHERE %(old)s::geometry IS NOT NULL AND %(reach)s > 0
   AND ST_DWithin(o.location, %(old)s::geometry, %(reach)s)
UNION
SELECT o.id FROM advertising_carrier c JOIN advertising_carrier o
    ON o.kind = 'sign' AND o.business = c.business
 WHERE c.id = %(id)s AND c.kind = 'sign' AND c.business <> ''
UNION
SELECT o.id FROM advertising_carrier c JOIN advertising_carrier o
    ON o.kind = 'sign' AND o.building_id = c.building_id
 WHERE c.id = %(id)s AND c.kind = 'sign'
"""

CARRIER_REACH = """
SELECT coalesce(max(ru.min_value), 0)::float8
  FROM advertising_zonerule ru
  JOIN advertising_zone z ON z.id = ru.zone_id
  JOIN ({rulesets}) rs ON rs.id = z.ruleset_id
 WHERE ru.kind = ANY (%(kinds)s)
"""


@dataclass(frozen=True)
class RunSummary:
    carriers: int
    violations: int
    new: int
    resolved: int
    duration_ms: int


def _kinds_params() -> dict[str, Any]:
    kinds = list(rule_kinds().values())
    with translation.override(settings.LANGUAGE_CODE):
        return {
            "kind_keys": [k.key for k in kinds],
            "kind_units": [k.unit for k in kinds],
            "kind_messages": [str(k.message) for k in kinds],
            # xgettext:no-python-format
            "basis": _("%1$s of resolution no. %2$s"),
        }


def _work_relations(rulesets: str, ids: list[int] | None) -> list[tuple[str, str, list[str]]]:
    """The work relations of a run, in order: name, ``SELECT``, and the statements that index
    and analyse its temporary table in a run over the whole register."""
    union = "\nUNION ALL\n".join(k.findings.strip() for k in rule_kinds().values())
    scope = _scope_sql(ids, "c.id")
    return [
        ("adv_rs", rulesets, []),
        (
            "adv_zone_parts",
            ZONE_PARTS if ids is None else ZONE_PARTS_FEW,
            ["CREATE INDEX ON adv_zone_parts USING gist (geom)", "ANALYZE adv_zone_parts"],
        ),
        (
            "adv_cz",
            CARRIER_ZONES.format(active=ACTIVE_ON, scope=scope),
            ["CREATE INDEX ON adv_cz (carrier_id)", "ANALYZE adv_cz"],
        ),
        (
            "adv_cr",
            # each rule kind reads its own rows (seventeen scans of the whole table otherwise)
            CARRIER_RULES + ("" if ids else " ORDER BY ru.kind"),
            ["CREATE INDEX ON adv_cr (rule_kind)", "ANALYZE adv_cr (rule_kind, zone_id)"],
        ),
        (
            "adv_findings",
            FINDINGS.format(findings=union),
            [
                "CREATE INDEX ON adv_findings (carrier_id, rule_id, other_id)",
                "ANALYZE adv_findings",
            ],
        ),
    ]


def _scope_sql(ids: list[int] | None, column: str) -> str:
    return "" if ids is None else f"AND {column} = ANY (%(ids)s)"


def collect_findings(
    on: dt.date, *, ids: list[int] | None = None, ruleset: RuleSet | None = None
) -> None:
    """Fill the session's temporary tables ``adv_*``, ``adv_findings`` last (see
    :data:`FINDINGS`)."""
    rulesets = RULESETS_IN_FORCE if ruleset is None else RULESET_PREVIEW
    params = {"on": on, "ids": ids, "ruleset": ruleset.pk if ruleset else None}
    statements = ["DROP TABLE IF EXISTS " + ", ".join(WORK_TABLES)]
    for name, select, extra in _work_relations(rulesets, ids):
        statements.append("CREATE TEMP TABLE " + name + " AS " + select)
        statements.extend(extra)
    db.execute(";\n".join(statements), params | _kinds_params())


WORK_TABLES = ("adv_findings", "adv_rs", "adv_zone_parts", "adv_cz", "adv_cr")

#: the counts of a run over a few carriers, after its writes (the ``WITH`` of
#: :func:`_check_few`)
FEW_COUNTS = """
SELECT (SELECT count(*) FROM inserted), (SELECT count(*) FROM adv_findings),
       (SELECT count(*) FROM resolved),
       (SELECT count(*) FROM advertising_carrier c WHERE {active} {scope})
"""


def _check_all(params: dict[str, Any]) -> tuple[int, int, int, int]:
    """The whole register: work tables, indexed and analysed, then the writes."""
    collect_findings(params["on"])
    db.execute(REFRESH, params)
    new = max(db.execute(INSERT, params), 0)
    found = int(db.fetch_value("SELECT count(*) FROM adv_findings", []) or 0)
    resolved = max(db.execute(RESOLVE.format(scope=""), params), 0)
    db.execute(VERDICTS_GONE.format(active=ACTIVE_ON, scope=""), params)
    db.execute(VERDICTS.format(active=ACTIVE_ON, scope=""), params)
    carriers = int(
        db.fetch_value("SELECT count(*) FROM advertising_carrier c WHERE " + ACTIVE_ON, params) or 0
    )
    db.execute("DROP TABLE IF EXISTS " + ", ".join(WORK_TABLES), [])
    return carriers, found, new, resolved


def _check_few(params: dict[str, Any]) -> tuple[int, int, int, int]:
    """A few carriers: the same relations as common table expressions and the writes as
    data-modifying ones, in one statement — no temporary tables to create and drop."""
    ids = params["ids"]
    relations = [
        name + " AS MATERIALIZED (" + select + ")"
        for name, select, _extra in _work_relations(RULESETS_IN_FORCE, ids)
    ]
    writes = [
        ("refreshed", REFRESH),
        ("inserted", INSERT),
        ("resolved", RESOLVE.format(scope=_scope_sql(ids, "v.carrier_id"))),
        ("gone", VERDICTS_GONE.format(active=ACTIVE_ON, scope=_scope_sql(ids, "c.id"))),
        ("judged", VERDICTS.format(active=ACTIVE_ON, scope=_scope_sql(ids, "c.id"))),
    ]
    relations += [name + " AS (" + text + " RETURNING 1)" for name, text in writes]
    counts = FEW_COUNTS.format(active=ACTIVE_ON, scope=_scope_sql(ids, "c.id"))
    row = db.fetch_one("WITH " + ",\n".join(relations) + counts, params | _kinds_params())
    assert row is not None
    new, found, resolved, carriers = (int(v) for v in row)
    return carriers, found, new, resolved


def check(
    on: dt.date | None = None, *, ids: list[int] | None = None, scope: str = "full"
) -> RunSummary:
    """Judge the carriers ``ids`` (all when None) under the rules in force on ``on`` and
    record the outcome (violation history, verdicts, a :class:`ComplianceRun`)."""
    day = on or dt.date.today()
    started = time.perf_counter()
    params = {"on": day, "ids": ids}
    with transaction.atomic():
        if ids is None:
            carriers, found, new, resolved = _check_all(params)
        else:
            carriers, found, new, resolved = _check_few(params)
        duration = int((time.perf_counter() - started) * 1000)
        ComplianceRun.objects.create(
            scope=scope,
            on_date=day,
            carriers_checked=carriers,
            violations_found=found,
            new_violations=new,
            resolved_violations=resolved,
            duration_ms=duration,
        )
    return RunSummary(carriers, found, new, resolved, duration)


def recheck_carrier(
    carrier: Carrier, *, old_location: Any = None, on: dt.date | None = None
) -> RunSummary:
    """Re-check one carrier after a change, with the carriers its change may affect."""
    return check(on, ids=affected_carriers(carrier, old_location, on), scope="carrier")


def affected_carriers(
    carrier: Carrier, old_location: Any = None, on: dt.date | None = None
) -> list[int]:
    day = on or dt.date.today()
    reaching = [k.key for k in rule_kinds().values() if k.reaches_carriers]
    reach = db.fetch_value(
        CARRIER_REACH.format(rulesets=RULESETS_IN_FORCE), {"on": day, "kinds": reaching}
    )
    old = old_location.ewkt if old_location is not None else None
    rows = db.fetch_all(NEIGHBOURS, {"id": carrier.pk, "reach": float(reach or 0), "old": old})
    return sorted(int(r[0]) for r in rows)


def ids_of(carriers: Iterable[Carrier]) -> list[int]:
    return [c.pk for c in carriers]


PREVIEW_SUMMARY = """
WITH would AS (SELECT DISTINCT carrier_id FROM adv_findings WHERE NOT under_adjustment),
now_bad AS (SELECT carrier_id FROM advertising_complianceresult WHERE NOT compliant)
SELECT (SELECT count(*) FROM would) AS non_compliant,
       (SELECT count(*) FROM now_bad) AS non_compliant_now,
       (SELECT count(*) FROM would WHERE carrier_id NOT IN (SELECT carrier_id FROM now_bad))
         AS newly_non_compliant,
       (SELECT count(*) FROM now_bad WHERE carrier_id NOT IN (SELECT carrier_id FROM would))
         AS no_longer_non_compliant,
       (SELECT count(DISTINCT carrier_id) FROM adv_findings WHERE under_adjustment)
         AS under_adjustment
"""

PREVIEW_BY_RULE = """
SELECT z.code AS zone, f.rule_kind, count(*) AS violations,
       count(DISTINCT f.carrier_id) AS carriers
  FROM adv_findings f JOIN advertising_zone z ON z.id = f.zone_id
 GROUP BY z.code, f.rule_kind ORDER BY z.code, f.rule_kind
"""


#: per zone (by code: a draft's zones are copies of the applied ones) and rule kind, the
#: carriers against it now (open violations) and under the previewed version
PREVIEW_COMPARE = """
WITH now AS (
  SELECT DISTINCT z.code AS zone, v.rule_kind, v.carrier_id
    FROM advertising_violation v JOIN advertising_zone z ON z.id = v.zone_id
   WHERE v.resolved_on IS NULL),
would AS (
  SELECT DISTINCT z.code AS zone, f.rule_kind, f.carrier_id
    FROM adv_findings f JOIN advertising_zone z ON z.id = f.zone_id),
j AS (
  SELECT coalesce(n.zone, w.zone) AS zone, coalesce(n.rule_kind, w.rule_kind) AS rule_kind,
         n.carrier_id IS NOT NULL AS was, w.carrier_id IS NOT NULL AS will
    FROM now n FULL JOIN would w
      ON n.zone = w.zone AND n.rule_kind = w.rule_kind AND n.carrier_id = w.carrier_id)
SELECT zone, rule_kind, count(*) FILTER (WHERE was) AS now,
       count(*) FILTER (WHERE will) AS would, count(*) FILTER (WHERE will AND NOT was) AS newly,
       count(*) FILTER (WHERE was AND NOT will) AS no_longer
  FROM j GROUP BY zone, rule_kind ORDER BY zone, rule_kind
"""


def preview(ruleset: RuleSet, on: dt.date | None = None) -> dict[str, Any]:
    """What the register would look like under ``ruleset`` (any version, draft or not) on
    ``on``, compared with the verdicts now — nothing is written."""
    day = on or max(dt.date.today(), ruleset.valid_from)
    with transaction.atomic():
        collect_findings(day, ruleset=ruleset)
        summary = db.fetch_dicts(PREVIEW_SUMMARY, [])[0]
        by_rule = db.fetch_dicts(PREVIEW_BY_RULE, [])
        compare = db.fetch_dicts(PREVIEW_COMPARE, [])
        db.execute("DROP TABLE IF EXISTS " + ", ".join(WORK_TABLES), [])
    kinds = rule_kinds()
    for row in [*by_rule, *compare]:
        kind = kinds.get(row["rule_kind"])
        row["label"] = str(kind.label) if kind else row["rule_kind"]
    return {"on": day, **summary, "by_rule": by_rule, "compare": compare}

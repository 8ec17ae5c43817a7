"""Search over parcels, addresses, streets, precincts and districts, for the map's autocomplete.

A query is read in every form it fits (:mod:`miasto.territory.search_parse`); each reading adds
its branches to one statement (``territory/sql/search.sql``), which answers every object at its
best rank with what the map needs. Ranks: 0 an exact identifier (a full EGiB identifier,
``obręb.numer``, a number with the name of its precinct or district), 1 an exact name or
address, 2 a beginning (of a name, of a word of a name, of a number), 3 similar (a typo). Only
when nothing matches exactly or by its beginning does a second statement look for similar
names (pg_trgm similarity on the normalised names).

Every branch reads an index in index order with a ``LIMIT``, so a query reads a handful of
entries however many rows match: ``text_pattern_ops`` b-trees on identifiers, parcel numbers
(per precinct), house numbers (per street) and normalised names (``miasto_norm``: lower case,
no diacritics — an immutable wrapper of ``unaccent``; stored as the generated column
``name_norm`` of streets, precincts and districts), a trigram GIN index on the streets'
``name_norm`` for words inside a name and for typos. Districts and precincts are a few dozen
rows, read whole. Measured per form of query: ``bench/RESULTS.md`` (``make bench``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext, pgettext
from psycopg import sql

from miasto.core.db import fetch_dicts, load_sql
from miasto.core.errors import InvalidParameter
from miasto.core.sql import case_of_choices
from miasto.territory.models import Street
from miasto.territory.search_parse import Parsed, clean, parse, searchable

MIN_LENGTH = 2
MAX_LIMIT = 50
#: a street name at least this long is also looked for inside other names (``kopernika``)
WORD_MIN = 3


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _p(name: str) -> sql.Placeholder:
    return sql.Placeholder(name)


#: a name typed, normalised in SQL: ``miasto_norm`` is immutable, so PostgreSQL folds it (and
#: the patterns made of it) into a constant while planning — the LIKE prefixes use the indexes
#: as if the normalised text had been sent, without a round trip to normalise it first
NAME_FORMS = {
    "key": "public.miasto_norm({text})",
    "full": "public.miasto_norm({full})",
    "prefix": "(public.miasto_norm({escaped}) || '%%')",
    "word": "('%% ' || public.miasto_norm({escaped}) || '%%')",
}


def _name(key: str, form: str) -> sql.Composed:
    """The normalised name under ``key`` as SQL (see :data:`NAME_FORMS`)."""
    return sql.SQL(NAME_FORMS[form]).format(
        text=_p(f"{key}_text"), full=_p(f"{key}_full"), escaped=_p(f"{key}_escaped")
    )


# --- parcels ----------------------------------------------------------------------------------

#: an EGiB identifier: the exact one, then those it begins
PARCEL_IDENTIFIER = sql.SQL("""
    (SELECT id, 0 AS rank, 0::float AS ord FROM territory_parcel WHERE identifier = %(ident)s)
    UNION ALL
    (SELECT id, 2, 0 FROM territory_parcel WHERE identifier LIKE %(ident_prefix)s
     ORDER BY identifier USING ~<~ LIMIT %(cap)s)
""")
#: ``obręb.numer``: parcels of the precincts with that code, by number (index per precinct)
PARCEL_IN_PRECINCT = sql.SQL("""
    SELECT p.id, CASE WHEN p.number = %(pn_number)s THEN 0 ELSE 2 END AS rank, 0::float AS ord
    FROM territory_precinct pr
    CROSS JOIN LATERAL (
        SELECT id, number FROM territory_parcel
        WHERE precinct_id = pr.id AND number LIKE %(pn_prefix)s
          AND (%(pn_sheet)s::text IS NULL OR strpos(identifier, %(pn_sheet)s) > 0)
        ORDER BY number USING ~<~ LIMIT %(cap)s
    ) p
    WHERE pr.code = %(pn_code)s
""")
#: a parcel number alone: that number in every precinct, then numbers it begins
PARCEL_NUMBER = sql.SQL("""
    (SELECT id, 1 AS rank, 0::float AS ord FROM territory_parcel WHERE number = %(num)s
     ORDER BY identifier LIMIT %(cap)s)
    UNION ALL
    (SELECT id, 2, 0 FROM territory_parcel WHERE number LIKE %(num_prefix)s AND number <> %(num)s
     ORDER BY number USING ~<~ LIMIT %(cap)s)
""")
#: a parcel number in the precincts named so, or in the precincts of the districts named so
PARCEL_NUMBER_IN_AREA = sql.SQL("""
    SELECT p.id,
           CASE WHEN a.rank = 1 AND p.number = {number} THEN a.exact
                WHEN a.rank < 3 THEN 2 ELSE 3 END AS rank,
           a.ord
    FROM (
        SELECT pr.id, {rank} AS rank, {ord} AS ord,
               CASE WHEN n = {full} THEN 0 ELSE 1 END AS exact
        FROM (SELECT pr.id, {precinct_key} AS k, pr.name_norm AS n,
                     {district_key} AS dk, d.name_norm AS dn
              FROM territory_precinct pr
              LEFT JOIN territory_district d ON d.id = pr.district_id) pr
    ) a
    CROSS JOIN LATERAL (
        SELECT id, number FROM territory_parcel
        WHERE precinct_id = a.id AND number LIKE {number_prefix}
        ORDER BY number USING ~<~ LIMIT %(cap)s
    ) p
    WHERE a.rank IS NOT NULL
""")

# --- names: precincts, districts ---------------------------------------------------------------

#: a district's or precinct's normalised name (``name_norm``, a stored generated column) without
#: "osiedle" in front, for comparing with a query
AREA_KEY = sql.SQL("regexp_replace({}, '^osiedle ', '')")
AREA_RANK = sql.SQL(
    "CASE WHEN n = {full} OR dn = {full} THEN 1 "
    "WHEN k LIKE {prefix} OR dk LIKE {prefix} OR n LIKE {word} OR dn LIKE {word} THEN 2 END"
)
AREA_RANK_FUZZY = sql.SQL(
    "CASE WHEN greatest(similarity(k, {key}), similarity(coalesce(dk, ''), {key})) >= 0.3 "
    "OR greatest(word_similarity({key}, n), word_similarity({key}, coalesce(dn, ''))) >= 0.6 "
    "THEN 3 END"
)
AREA_ORD_FUZZY = sql.SQL(
    "1 - greatest(similarity(k, {key}), similarity(coalesce(dk, ''), {key}), "
    "word_similarity({key}, n), word_similarity({key}, coalesce(dn, '')))"
)
AREA_NAMES = sql.SQL("""
    SELECT id, rank, ord FROM (
        SELECT id, {rank} AS rank, {ord} AS ord
        FROM (SELECT id, {area_key} AS k, name_norm AS n,
                     NULL::text AS dk, NULL::text AS dn FROM {table}) t
    ) a
    WHERE rank IS NOT NULL
""")

# --- streets and addresses ---------------------------------------------------------------------

#: streets named so, whose name begins so, or with a word of the name beginning so
STREETS = sql.SQL("""
    (SELECT id, CASE WHEN name_norm = {key} THEN 1 ELSE 2 END AS rank, 0::float AS ord
     FROM territory_street WHERE name_norm LIKE {prefix}
     ORDER BY name_norm USING ~<~ LIMIT %(cap)s)
    UNION ALL
    (SELECT id, 2, 0.5 FROM territory_street
     WHERE {long_enough} AND name_norm LIKE {word}
     ORDER BY length(name), name LIMIT %(cap)s)
""")
#: streets with a similar name (a typo), or a word of it similar (or the query inside it)
STREETS_FUZZY = sql.SQL("""
    SELECT id, 3 AS rank, 1 - greatest(similarity(n, {key}), word_similarity({key}, n)) AS ord
    FROM (SELECT id, name_norm AS n FROM territory_street
          WHERE name_norm %% {key} {or_a_word}) s
    ORDER BY ord LIMIT %(cap)s
""")
#: addresses whose normalised label without the street kind begins with the query
ADDRESS_KEY_SQL = sql.SQL("""
    SELECT id, CASE WHEN miasto_address_key(label) = {key} THEN 1 ELSE 2 END AS rank,
           0::float AS ord
    FROM (SELECT id, label FROM territory_address
          WHERE miasto_address_key(label) LIKE {prefix}
          ORDER BY miasto_address_key(label) USING ~<~ LIMIT %(cap)s) a
""")
#: a house number on the streets found for the street part
ADDRESS_ON_STREETS = sql.SQL("""
    SELECT a.id,
           CASE WHEN s.rank = 1 AND upper(a.number) = %(house)s THEN 1
                WHEN s.rank = 3 THEN 3 ELSE 2 END AS rank,
           s.ord
    FROM ({streets}) s
    CROSS JOIN LATERAL (
        SELECT id, number FROM territory_address
        WHERE street_id = s.id AND upper(number) LIKE %(house_prefix)s
        ORDER BY upper(number) USING ~<~ LIMIT %(cap)s
    ) a
""")


def _streets(key: str, fuzzy: bool, long_enough: bool, single_word: bool) -> sql.Composed:
    names = {
        "key": _name(key, "key"),
        "prefix": _name(key, "prefix"),
        "word": _name(key, "word"),
    }
    if fuzzy:
        # a word of the name similar (word_similarity): for a single word only — for several
        # it would be computed for every street (the trigram index does not narrow it enough)
        or_a_word = sql.SQL("OR {key} <%% name_norm").format(key=names["key"])
        return STREETS_FUZZY.format(
            key=names["key"], or_a_word=or_a_word if single_word else sql.SQL("")
        )
    return STREETS.format(
        key=names["key"],
        prefix=names["prefix"],
        word=names["word"],
        long_enough=sql.SQL("true" if long_enough else "false"),
    )


def _area_rank(key: str, fuzzy: bool) -> tuple[sql.Composed, sql.Composable]:
    k = _name(key, "key")
    if fuzzy:
        return AREA_RANK_FUZZY.format(key=k), AREA_ORD_FUZZY.format(key=k)
    return (
        AREA_RANK.format(
            full=_name(key, "full"), prefix=_name(key, "prefix"), word=_name(key, "word")
        ),
        sql.SQL("CASE WHEN n = {full} OR dn = {full} THEN 0 ELSE 0.5 END").format(
            full=_name(key, "full")
        ),
    )


def _areas(table: str, fuzzy: bool) -> sql.Composed:
    rank, ord_ = _area_rank("name", fuzzy)
    return AREA_NAMES.format(
        rank=rank,
        ord=ord_,
        area_key=AREA_KEY.format(sql.Identifier("name_norm")),
        table=sql.Identifier(table),
    )


def _parcels_in_areas(index: int, fuzzy: bool) -> sql.Composed:
    rank, ord_ = _area_rank(f"area{index}", fuzzy)
    return PARCEL_NUMBER_IN_AREA.format(
        rank=rank,
        ord=ord_,
        precinct_key=AREA_KEY.format(sql.Identifier("pr", "name_norm")),
        district_key=AREA_KEY.format(sql.Identifier("d", "name_norm")),
        number=_p(f"area{index}_number"),
        number_prefix=_p(f"area{index}_number_prefix"),
        full=_name(f"area{index}", "full"),
    )


# --- the statement ----------------------------------------------------------------------------

#: the hits of one kind (its branches' rows of id, rank, ord), each object once at its best
HITS = sql.SQL("SELECT DISTINCT ON (id) id, rank, ord FROM ({branches}) b ORDER BY id, rank, ord")
#: per kind: its hits ``h`` as the rows the statement sorts (kind, rank, ord, label, detail,
#: parcel, a point ``pt`` and a box ``bb`` in the storage SRID)
FOUND = {
    "parcels": sql.SQL("""
        SELECT 'parcel' AS kind, h.rank, h.ord, p.identifier AS label,
               concat_ws(', ', pr.name, d.name, round(p.area)::text || ' m²') AS detail,
               p.identifier AS parcel, ST_PointOnSurface(p.geom) AS pt,
               ST_Envelope(p.geom) AS bb
        FROM ({hits}) h
        JOIN territory_parcel p ON p.id = h.id
        JOIN territory_precinct pr ON pr.id = p.precinct_id
        LEFT JOIN territory_district d ON d.id = pr.district_id
    """),
    "addresses": sql.SQL("""
        SELECT 'address' AS kind, h.rank, h.ord, a.label, concat_ws(', ', a.postcode, d.name),
               p.identifier, a.geom, NULL::geometry
        FROM ({hits}) h
        JOIN territory_address a ON a.id = h.id
        LEFT JOIN territory_parcel p ON p.id = a.parcel_id
        LEFT JOIN territory_precinct pr ON pr.id = p.precinct_id
        LEFT JOIN territory_district d ON d.id = pr.district_id
    """),
    "streets": sql.SQL("""
        SELECT 'street' AS kind, h.rank, h.ord, s.kind || ' ' || s.name, {road_class},
               NULL, ST_ClosestPoint(s.geom, ST_Centroid(s.geom)), ST_Envelope(s.geom)
        FROM ({hits}) h
        JOIN territory_street s ON s.id = h.id
    """),
    "precincts": sql.SQL("""
        SELECT 'precinct' AS kind, h.rank, h.ord, pr.name,
               concat_ws(', ', %(precinct_word)s || ' ' || pr.unit || '.' || pr.code, d.name),
               NULL, ST_PointOnSurface(pr.geom), ST_Envelope(pr.geom)
        FROM ({hits}) h
        JOIN territory_precinct pr ON pr.id = h.id
        LEFT JOIN territory_district d ON d.id = pr.district_id
    """),
    "districts": sql.SQL("""
        SELECT 'district' AS kind, h.rank, h.ord, d.name, NULL::text, NULL,
               ST_PointOnSurface(d.geom), ST_Envelope(d.geom)
        FROM ({hits}) h
        JOIN territory_district d ON d.id = h.id
    """),
}


class Plan:
    """The branches of one statement for one query, and their parameters."""

    def __init__(self, limit: int) -> None:
        self.branches: dict[str, list[sql.Composable]] = {
            "parcels": [],
            "addresses": [],
            "streets": [],
            "precincts": [],
            "districts": [],
        }
        self.params: dict[str, Any] = {
            "cap": limit,
            "limit": limit,
            "precinct_word": pgettext("search result detail", "precinct"),
        }

    def add(self, kind: str, branch: sql.Composable, **params: Any) -> None:
        self.branches[kind].append(branch)
        self.params.update(params)

    def name(self, key: str, text: str, full: str) -> None:
        """A name typed, under ``key`` (``full``: as areas are called, "osiedle" spelled
        out); normalised in SQL (:func:`_name`)."""
        self.params.update(
            {
                f"{key}_text": text,
                f"{key}_full": full,
                f"{key}_escaped": _like_escape(text),
            }
        )

    @property
    def empty(self) -> bool:
        return not any(self.branches.values())

    def statement(self) -> sql.Composed:
        road_class = case_of_choices(sql.SQL("s.road_class"), list(Street.RoadClass.choices))
        found = [
            FOUND[kind].format(
                hits=HITS.format(
                    branches=sql.SQL(" UNION ALL ").join(
                        sql.SQL("({})").format(b) for b in branches
                    )
                ),
                road_class=road_class,
            )
            for kind, branches in self.branches.items()
            if branches
        ]
        return sql.SQL(load_sql("miasto.territory", "search")).format(
            found=sql.SQL(" UNION ALL ").join(found)
        )


def _plan_parcels(plan: Plan, parsed: Parsed) -> None:
    if parsed.identifier:
        plan.add(
            "parcels",
            PARCEL_IDENTIFIER,
            ident=parsed.identifier,
            ident_prefix=_like_escape(parsed.identifier) + "%",
        )
    if parsed.precinct_id:
        unit, code = parsed.precinct_id
        plan.add("precincts", PRECINCT_BY_ID, pr_unit=unit, pr_code=code)
    if parsed.precinct_number:
        code, sheet, number = parsed.precinct_number
        plan.add(
            "parcels",
            PARCEL_IN_PRECINCT,
            pn_code=code,
            pn_number=number,
            pn_prefix=number + "%",
            pn_sheet=f".{sheet}." if sheet else None,
        )
        if not number:
            plan.add("precincts", PRECINCT_BY_CODE, pn_code=code)
    if parsed.number:
        plan.add("parcels", PARCEL_NUMBER, num=parsed.number, num_prefix=parsed.number + "%")


PRECINCT_BY_ID = sql.SQL(
    "SELECT id, 0 AS rank, 0::float AS ord FROM territory_precinct "
    "WHERE unit = %(pr_unit)s AND code = %(pr_code)s"
)
PRECINCT_BY_CODE = sql.SQL(
    "SELECT id, 1 AS rank, 0::float AS ord FROM territory_precinct WHERE code = %(pn_code)s"
)


def _plan_names(plan: Plan, parsed: Parsed, fuzzy: bool) -> None:
    """The branches for names: streets, addresses, districts, precincts, numbers in areas.
    Similar names (``fuzzy``) only for names of at least :data:`WORD_MIN` letters."""

    def usable(name: str) -> bool:
        return len(name) >= (WORD_MIN if fuzzy else MIN_LENGTH)

    if parsed.name and usable(parsed.name) and not (fuzzy and parsed.street_number):
        # (a typo is looked for in the street's name, not in the street and number together)
        plan.name("name", parsed.name, parsed.full.get(parsed.name, parsed.name))
        long_enough = len(parsed.name) >= WORD_MIN
        single = " " not in parsed.name
        plan.add("streets", _streets("name", fuzzy, long_enough, single))
        plan.add("precincts", _areas("territory_precinct", fuzzy))
        plan.add("districts", _areas("territory_district", fuzzy))
        if not fuzzy and long_enough:
            plan.add("addresses", ADDRESS_KEY_SQL.format(**_names("name")))
    if parsed.street_number and usable(parsed.street_number[0]):
        street, house = parsed.street_number
        plan.name("street", street, street)
        streets = _streets("street", fuzzy, len(street) >= WORD_MIN, " " not in street)
        plan.add(
            "addresses",
            ADDRESS_ON_STREETS.format(streets=streets),
            house=house,
            house_prefix=_like_escape(house) + "%",
        )
    for index, (number, name) in enumerate(parsed.number_names):
        if usable(name):
            plan.name(f"area{index}", name, parsed.full.get(name, name))
            plan.params[f"area{index}_number"] = number
            plan.params[f"area{index}_number_prefix"] = number + "%"
            plan.add("parcels", _parcels_in_areas(index, fuzzy))


def _names(key: str) -> dict[str, sql.Composed]:
    return {form: _name(key, form) for form in ("key", "prefix")}


def _run(plan: Plan) -> list[dict[str, Any]]:
    if plan.empty:
        return []
    return fetch_dicts(plan.statement(), plan.params)


TYPE_LABELS = {
    "address": lambda: pgettext("search result", "address"),
    "parcel": lambda: pgettext("search result", "parcel"),
    "street": lambda: pgettext("search result", "street"),
    "precinct": lambda: pgettext("search result", "precinct"),
    "district": lambda: pgettext("search result", "district"),
}


def _cleaned(query: str) -> str:
    text = clean(query)
    maximum = settings.MIASTO_SEARCH_MAX_LENGTH
    if len(text) > maximum or len(query or "") > 4 * maximum:
        raise InvalidParameter(
            f"Zapytanie jest za długie (maksymalnie {maximum} znaków).", max_length=maximum
        )
    return text


def search(query: str, limit: int = 10) -> dict[str, Any]:
    """Ranked suggestions (parcels, addresses, streets, precincts, districts), each with its
    ``type`` (and ``type_label``), a CRS84 point to mark and, for areas and lines, a box."""
    text = _cleaned(query)
    if len(text) < MIN_LENGTH or not searchable(text):
        message = gettext(
            "Type at least 2 letters or digits: an address, a street, a parcel number "
            "or identifier."
        )
        return {"query": text, "results": [], "message": message}
    parsed = parse(text)
    results: list[dict[str, Any]] = []
    for fuzzy in (False, True):  # similar names only when nothing matches otherwise
        plan = Plan(max(1, min(limit, MAX_LIMIT)))
        if not fuzzy:
            _plan_parcels(plan, parsed)
        _plan_names(plan, parsed, fuzzy)
        results = _run(plan)
        if results:
            break
    for result in results:
        result["type_label"] = TYPE_LABELS[result["type"]]()
    return {"query": text, "results": results}

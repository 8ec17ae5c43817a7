"""The role × action matrix: what every role gets from the admin, each page and API endpoint.

The single source of truth for who may do what. ``tests/core/test_role_matrix.py`` requests
every cell with the Django test client on real objects and checks the answer, and
``docs/roles.md`` shows the same table: ``python -m tests.core.role_matrix`` rewrites the part
of the document between the markers, and a test fails when the two differ. Changing a rule is
a one-line change here (then regenerate the document).

Each action is one row: a module, a label, a method and a path. Placeholders in braces are
filled from the test world (``{parcel}`` → the identifier of a parcel, ``{me}`` → the id of
the requesting user, …); ``data`` is the POST body, with the same placeholders; ``shows`` the
text that marks an item in a list (``lists``/``omits`` cells). ``effect``
names a check of the database after a write (in the test module): it must hold after an
allowed write (cells ``302``, ``202``, ``done``) and must not hold after any other answer
(so a ``409`` read is checked to start nothing).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: The columns: ``anonymous`` (no login), then the role codes of :mod:`miasto.core.roles`.
ROLES = (
    "anonymous",
    "resident",
    "planner",
    "inspector",
    "case_officer",
    "moderator",
    "data_steward",
    "administrator",
)
ROLE_LABELS = {
    "anonymous": "anonymous",
    "resident": "resident (mieszkaniec)",
    "planner": "planner (planista)",
    "inspector": "inspector (inspektor)",
    "case_officer": "case officer (urzędnik)",
    "moderator": "moderator",
    "data_steward": "data steward (opiekun danych)",
    "administrator": "administrator",
}

#: What a cell may say, and what the test checks for it.
OUTCOMES = {
    "200": "allowed: 200",
    "edit": "admin form with a Save button: 200, may change",
    "ro": "admin form read-only: 200, no Save button",
    "202": "allowed, computed in the background: 202 and a job",
    "409": "not computed yet: 409 with a message; nothing is started",
    "302": "done (the write happened), then a redirect: 302",
    "done": "done (the write happened): 200 with a page saying so",
    "away": "sent on to another page (nothing to do here): 302, not to the login page",
    "reauth": "asked for the password again first: 302 to /konto/potwierdz-tozsamosc/",
    "noop": "refused quietly: the answer is 200/302, the write did not happen",
    "lists": "200, and the list shows the item named in the row",
    "omits": "200, and the list leaves the item out",
    "login": "redirect to the login page (settings.LOGIN_URL, or the admin's own login)",
    "400": "refused by the form (e.g. a unit not among one's own): 400 with the reason",
    "403": "forbidden: 403",
    "404": "hidden, as if it did not exist: 404",
}


@dataclass(frozen=True)
class Action:
    module: str
    label: str
    method: str
    path: str
    cells: tuple[str, ...]
    data: dict[str, Any] = field(default_factory=dict)
    effect: str = ""
    #: for ``lists``/``omits`` cells: the text (with placeholders) that marks the item
    shows: str = ""

    @property
    def key(self) -> str:
        text = f"{self.method} {self.path} {self.shows}".lower()
        return re.sub(r"[^a-z0-9]+", "-", text).strip("-")

    def expect(self, role: str) -> str:
        return self.cells[ROLES.index(role)]


#: a square far from the test city (near Gdańsk), in the web map's EPSG:3857 (braces doubled:
#: request data are filled with ``str.format``)
AWAY_3857 = (
    '{{"type": "Polygon", "coordinates": [[[2070000, 7250000], [2071000, 7250000], '
    "[2071000, 7251000], [2070000, 7251000], [2070000, 7250000]]]}}"
)


def act(module: str, label: str, request: str, cells: str, **kw: Any) -> Action:
    """One row; ``request`` is ``"GET /path"``, ``cells`` eight outcomes in :data:`ROLES`
    order (``=`` repeats the previous cell)."""
    method, path = request.split(" ", 1)
    out: list[str] = []
    for token in cells.split():
        out.append(out[-1] if token == "=" else token)
    assert len(out) == len(ROLES), (request, out)
    assert all(c in OUTCOMES for c in out), (request, out)
    return Action(module, label, method, path, tuple(out), **kw)


# --------------------------------------------------------------------------- the admin

#: Staff roles by what they may do with each admin model: (view, add, change, delete).
#: "" = nobody but superusers. Read from the roles.py of each app; test_role_matrix checks the
#: table against the real permissions too.
STAFF = ("planner", "inspector", "case_officer", "moderator", "data_steward", "administrator")
SPINE_READERS = set(STAFF)
SPINE_WRITERS = {"data_steward", "administrator"}
PLAN_WRITERS = {"planner", "administrator"}
ADMINS = {"administrator"}
CASE_OFFICERS = {"case_officer", "administrator"}
AD_STAFF = {"planner", "inspector", "case_officer", "administrator"}
AD_READERS = AD_STAFF | {"data_steward"}

#: (app, model, label, world key, viewers, adders, changers, deleters)
ADMIN_MODELS: list[tuple[str, str, str, str, set[str], set[str], set[str], set[str]]] = [
    *[
        ("territory", m.removesuffix("_pk"), label, m, SPINE_READERS, SPINE_WRITERS,
         SPINE_WRITERS, SPINE_WRITERS)
        for m, label in [
            ("city", "city"),
            ("district", "districts"),
            ("precinct", "precincts (obręby)"),
            ("block", "blocks"),
            ("parcel_pk", "parcels"),
            ("building", "buildings"),
            ("street", "streets"),
            ("roadsegment", "road segments"),
            ("address", "addresses"),
            ("publicservice", "public services"),
            ("constraint", "constraints"),
        ]
    ],
    ("territory", "orgunit", "organisational units (of another unit)", "orgunit",
     SPINE_READERS, ADMINS, ADMINS, ADMINS),
    *[
        ("planning", m, label, m, SPINE_READERS, PLAN_WRITERS, PLAN_WRITERS, PLAN_WRITERS)
        for m, label in [
            ("plan", "plans"),
            ("zone", "plan zones"),
            ("specialarea", "special areas of plans"),
            ("buildingline", "building lines"),
        ]
    ],
    *[
        ("advertising", m, label, key, readers, PLAN_WRITERS, PLAN_WRITERS, PLAN_WRITERS)
        for m, label, key, readers in [
            ("landscaperesolution", "landscape resolutions", "landscaperesolution", AD_READERS),
            ("ruleset", "rule versions of the landscape resolution", "ruleset", AD_READERS),
            ("zone", "zones of the landscape resolution", "ad_zone", AD_READERS),
            ("feerate", "advertising fee rates", "feerate", AD_STAFF),
            ("feecap", "statutory caps of the advertising fee", "feecap", AD_STAFF),
        ]
    ],
    *[
        ("advertising", m, label, m, readers, AD_STAFF, AD_STAFF, PLAN_WRITERS)
        for m, label, readers in [
            ("carrier", "advertising carriers", AD_READERS),
            ("owner", "carrier owners", AD_STAFF),
            ("feeexemption", "advertising fee exemptions", AD_STAFF),
        ]
    ],
    ("advertising", "violation", "violations (found by the compliance engine only)",
     "violation", AD_STAFF, set(), set(), set()),
    ("core", "auditentry", "audit log", "auditentry", ADMINS, set(), set(), set()),
    ("web", "accessibilitystatement", "accessibility statement (one row: not added or deleted)",
     "accessibilitystatement", ADMINS, set(), ADMINS, set()),
    ("web", "sitepage", "site pages: contact, privacy (fixed rows: not added or deleted)",
     "sitepage", ADMINS, set(), ADMINS, set()),
    ("auth", "user", "users (a resident's account)", "user", ADMINS, ADMINS, ADMINS, set()),
    ("auth", "group", "roles (groups)", "group", ADMINS, set(), set(), set()),
    ("accessibility", "standard", "accessibility standards", "standard",
     set(), set(), set(), set()),
    ("accessibility", "run", "accessibility runs", "run", set(), set(), set(), set()),
    ("accounts", "profile", "account profiles (another person's)", "profile",
     ADMINS, set(), set(), set()),
    ("account", "emailaddress", "e-mail addresses (another person's)", "emailaddress",
     ADMINS, set(), set(), set()),
    ("mfa", "authenticator", "two-factor devices (another person's TOTP secret)",
     "authenticator", set(), set(), set(), set()),
    ("axes", "accessattempt", "sign-in attempts (deleting one unlocks)", "accessattempt",
     ADMINS, set(), set(), ADMINS),
    ("axes", "accesslog", "sign-in log (IP addresses, browsers)", "accesslog",
     ADMINS, set(), set(), set()),
    ("axes", "accessfailurelog", "failed sign-ins (IP addresses, browsers)",
     "accessfailurelog", ADMINS, set(), set(), set()),
    ("core", "apikey", "API keys (another person's)", "apikey", ADMINS, set(), ADMINS, set()),
    ("core", "apiusage", "use of the APIs", "apiusage", ADMINS, set(), set(), set()),
    *[
        ("problems", m, label, f"problems_{m}", CASE_OFFICERS, CASE_OFFICERS, CASE_OFFICERS,
         CASE_OFFICERS)
        for m, label in [
            ("service", "report categories (Open311 services)"),
            ("routingrule", "routing rules of reports"),
        ]
    ],
]  # fmt: skip


def _admin_cells(yes: set[str], cell: str, read: set[str] | None = None) -> str:
    """Anonymous visitors and residents (not staff) go to the login page; a staff role gets
    ``cell`` if in ``yes``, ``ro`` if only in ``read``, else 403."""
    staff = [cell if r in yes else "ro" if r in (read or ()) else "403" for r in STAFF]
    return " ".join(["login", "login", *staff])


def admin_model_actions() -> list[Action]:
    rows = []
    for app, model, label, key, view, add, change, delete in ADMIN_MODELS:
        module = f"Admin: {app}"
        base = f"/admin/{app}/{model}/"
        rows += [
            act(module, f"{label}: list", f"GET {base}", _admin_cells(view | change, "200")),
            act(module, f"{label}: add form", f"GET {base}add/", _admin_cells(add, "200")),
            act(
                module,
                f"{label}: change form",
                f"GET {base}{{{key}}}/change/",
                _admin_cells(change, "edit", read=view),
            ),
            act(
                module,
                f"{label}: delete confirmation",
                f"GET {base}{{{key}}}/delete/",
                _admin_cells(delete, "200"),
            ),
        ]
    return rows


ADMIN_EXTRA = [
    act("Admin: general", "admin index", "GET /admin/", "login login 200 = = = = ="),
    act("Admin: general", "the admin's own login (a redirect to the site's: throttling and 2FA "
        "apply)", "GET /admin/login/", "login = = = = = = ="),
    act("Admin: general", "datasets in the admin (not registered: only the data hub's pages)",
        "GET /admin/datahub/dataset/", "login login 404 = = = = ="),
    act("Admin: general", "autocomplete of datasets (a version form; datasets are not in the "
        "admin)", "GET /admin/autocomplete/?app_label=datahub&model_name=datasetversion"
        "&field_name=dataset&term=matrix", "login login 403 = = = = ="),
    act("Admin: general", "autocomplete of organisational units (public service form)",
        "GET /admin/autocomplete/?app_label=territory&model_name=publicservice"
        "&field_name=org_unit&term=Pomoc",
        "login login 200 = = = = ="),
    act("Admin: general", "raw-id popup of plans (zone form)",
        "GET /admin/planning/plan/?_to_field=id&_popup=1", "login login 200 = = = = ="),
    act("Admin: general", "history of an organisational unit",
        "GET /admin/territory/orgunit/{orgunit}/history/", "login login 200 = = = = ="),
    act("Admin: territory", "enrol oneself in another unit (save its members)",
        "POST /admin/territory/orgunit/{orgunit}/change/",
        "login login 403 = = = = 302",
        data={"code": "MOPS", "name": "Miejski Ośrodek Pomocy Społecznej", "kind": "",
              "parent": "", "email": "", "address": "", "members": ["{me}"]},
        effect="member_of_other_unit"),
    act("Admin: territory", "delete an organisational unit with the list action",
        "POST /admin/territory/orgunit/",
        "login login noop = = = = 302",
        data={"action": "delete_selected", "_selected_action": ["{spare_unit}"], "post": "yes"},
        effect="spare_unit_deleted"),
    act("Admin: planning", "change a plan's status with the list action",
        "POST /admin/planning/plan/",
        "login login 302 noop = = = 302",
        data={"action": "to_in_preparation", "_selected_action": ["{plan}"]},
        effect="plan_in_preparation"),
    act("Admin: auth", "make oneself a superuser (save one's own account)",
        "POST /admin/auth/user/{me}/change/",
        "login login 403 = = = = noop",
        data={"username": "{me_username}", "is_active": "on", "is_staff": "on",
              "is_superuser": "on", "groups": ["{my_group}"],
              "date_joined_0": "2024-01-01", "date_joined_1": "00:00:00"},
        effect="is_superuser"),
    act("Admin: auth", "a superuser's account: change form",
        "GET /admin/auth/user/{superuser}/change/", "login login 403 = = = = ro"),
    act("Admin: auth", "a superuser's account: set its password",
        "POST /admin/auth/user/{superuser}/password/",
        "login login 403 = = = = =",
        data={"password1": "Przejete-Haslo-123", "password2": "Przejete-Haslo-123"},
        effect="superuser_password"),
    act("Admin: accounts", "mark another person's e-mail address verified (list action)",
        "POST /admin/account/emailaddress/",
        "login login 403 = = = = noop",
        data={"action": "make_verified", "_selected_action": ["{emailaddress}"]},
        effect="email_verified"),
]  # fmt: skip


# --------------------------------------------------------------------------- pages and APIs

ALL = "200 = = = = = = ="
STAFF_ONLY_404 = "404 = 200 = = = = ="  # internal data: staff roles only, hidden from others
STAFF_LOGIN = "login 403 200 = = = = ="
BUILDERS = "login 403 200 403 403 200 403 200"  # surveys: planners, moderators, administrators
BUILDERS_DO = "login 403 302 403 403 302 403 302"
STAFF_LISTS = "omits = lists = = = = ="  # a list shows the item to staff roles only
AD_STAFF_PAGE = "login 403 200 = = 403 = 200"  # planners, inspectors, case officers, admins
AD_STAFF_API = "403 = 200 = = 403 = 200"
AD_CASES = "login 403 403 200 200 403 403 200"  # inspectors, case officers, administrators
OTHER_LISTS = "omits = = = = = = lists"  # … to administrators only

PAGES = [
    # web
    act("Public pages (web)", "home page with key figures", "GET /", ALL),
    act("Public pages (web)", "public map", "GET /map/", ALL),
    act("Public pages (web)", "a parcel's page", "GET /dzialki/{parcel}/", ALL),
    act("Public pages (web)", "old map address (redirect)", "GET /mapa/", "302 = = = = = = ="),
    act("Public pages (web)", "health check", "GET /healthz", ALL),
    act("Public pages (web)", "accessibility statement", "GET /deklaracja-dostepnosci/", ALL),
    act("Public pages (web)", "contact page", "GET /kontakt/", ALL),
    act("Public pages (web)", "privacy page", "GET /prywatnosc/", ALL),
    act("Public pages (web)", "choose the language", "POST /i18n/setlang/",
        "302 = = = = = = =", data={"language": "pl", "next": "/"}),
    # territory
    act("Spine API and tiles (territory)", "city summary", "GET /api/v1/city", ALL),
    act("Spine API and tiles (territory)", "parcels at a point",
        "GET /api/v1/parcels?x={parcel_x}&y={parcel_y}", ALL),
    act("Spine API and tiles (territory)", "parcel panel", "GET /api/v1/parcels/{parcel}", ALL),
    act("Spine API and tiles (territory)", "search", "GET /api/v1/search?q=Testowa", ALL),
    act("Spine API and tiles (territory)", "list of map layers: a restricted dataset of one's "
        "own unit", "GET /api/v1/layers", STAFF_LISTS, shows="ds-{restricted_own}"),
    act("Spine API and tiles (territory)", "list of map layers: a restricted dataset of "
        "another unit", "GET /api/v1/layers", OTHER_LISTS, shows="ds-{restricted_other}"),
    act("Spine API and tiles (territory)", "parcels layer: features in a box",
        "GET /api/v1/layers/parcels/features?bbox={bbox}", ALL),
    act("Spine API and tiles (territory)", "parcels layer: vector tile",
        "GET /tiles/parcels/{tile}.mvt", ALL),
    act("Spine API and tiles (territory)", "layer of an archived dataset: vector tile",
        "GET /tiles/ds-{archived}/{tile}.mvt", "404 = = = = = = ="),
    act("Spine API and tiles (territory)", "list of map layers: an archived dataset",
        "GET /api/v1/layers", "omits = = = = = = =", shows="ds-{archived}"),
    act("Spine API and tiles (territory)", "layer of an internal dataset: features",
        "GET /api/v1/layers/ds-{internal}/features?bbox={bbox}", STAFF_ONLY_404),
    act("Spine API and tiles (territory)", "layer of an internal dataset: vector tile",
        "GET /tiles/ds-{internal}/{tile}.mvt", STAFF_ONLY_404),
    act("Spine API and tiles (territory)", "layer of a restricted dataset of one's own unit: "
        "features", "GET /api/v1/layers/ds-{restricted_own}/features?bbox={bbox}",
        STAFF_ONLY_404),
    act("Spine API and tiles (territory)", "layer of a restricted dataset of one's own unit: "
        "vector tile", "GET /tiles/ds-{restricted_own}/{tile}.mvt", STAFF_ONLY_404),
    act("Spine API and tiles (territory)", "layer of a restricted dataset of another unit: "
        "features", "GET /api/v1/layers/ds-{restricted_other}/features?bbox={bbox}",
        "404 = = = = = = 200"),
    act("Spine API and tiles (territory)", "layer of a restricted dataset of another unit: "
        "vector tile", "GET /tiles/ds-{restricted_other}/{tile}.mvt", "404 = = = = = = 200"),
    # OGC API (open data: the same for everyone; tiles follow their layer's rules)
    act("OGC API (open data)", "landing page", "GET /ogcapi/", ALL),
    act("OGC API (open data)", "conformance classes", "GET /ogcapi/conformance", ALL),
    act("OGC API (open data)", "OpenAPI definition", "GET /ogcapi/api", ALL),
    act("OGC API (open data)", "collections: public datasets only", "GET /ogcapi/collections",
        ALL),
    act("OGC API (open data)", "collections: an internal dataset", "GET /ogcapi/collections",
        "omits = = = = = = =", shows="ds-{internal}"),
    act("OGC API (open data)", "a collection", "GET /ogcapi/collections/parcels", ALL),
    act("OGC API (open data)", "features", "GET /ogcapi/collections/parcels/items", ALL),
    act("OGC API (open data)", "a feature", "GET /ogcapi/collections/parcels/items/{parcel}",
        ALL),
    act("OGC API (open data)", "queryables", "GET /ogcapi/collections/parcels/queryables", ALL),
    act("OGC API (open data)", "features of a public dataset",
        "GET /ogcapi/collections/ds-{public_other}/items", ALL),
    act("OGC API (open data)", "features of an internal dataset",
        "GET /ogcapi/collections/ds-{internal}/items", "404 = = = = = = ="),
    act("OGC API (open data)", "features of a restricted dataset of one's own unit",
        "GET /ogcapi/collections/ds-{restricted_own}/items", "404 = = = = = = ="),
    act("OGC API (open data)", "tile matrix sets", "GET /ogcapi/tileMatrixSets", ALL),
    act("OGC API (open data)", "WebMercatorQuad", "GET /ogcapi/tileMatrixSets/WebMercatorQuad",
        ALL),
    act("OGC API (open data)", "tilesets of a collection",
        "GET /ogcapi/collections/parcels/tiles", ALL),
    act("OGC API (open data)", "tileset metadata",
        "GET /ogcapi/collections/parcels/tiles/WebMercatorQuad", ALL),
    act("OGC API (open data)", "vector tile",
        "GET /ogcapi/collections/parcels/tiles/WebMercatorQuad/{tile_z}/{tile_y}/{tile_x}", ALL),
    act("OGC API (open data)", "vector tile of an internal dataset's layer",
        "GET /ogcapi/collections/ds-{internal}/tiles/WebMercatorQuad/{tile_z}/{tile_y}/{tile_x}",
        "404 = = = = = = ="),
    # accessibility
    act("Accessibility API", "accessibility standards summary",
        "GET /api/v1/analyses/accessibility", ALL),
    act("Accessibility API", "a parcel's accessibility",
        "GET /api/v1/parcels/{parcel}/accessibility", ALL),
    # planning pages
    act("Planning pages", "plan register", "GET /planowanie/", ALL),
    act("Planning pages", "plan page", "GET /planowanie/plany/{plan}/", ALL),
    act("Planning pages", "APP GML import form", "GET /planowanie/import/",
        "login 403 200 403 = = = 200"),
    act("Planning pages", "wypis i wyrys: parcel form", "GET /planowanie/wypis/", ALL),
    act("Planning pages", "wypis i wyrys: parcel report", "GET /planowanie/wypis/{parcel}/",
        ALL),
    act("Planning pages", "wypis i wyrys: PDF draft", "GET /api/v1/parcels/{parcel}/planning.pdf",
        ALL),
    act("Planning pages", "analyses index", "GET /planowanie/analizy/", ALL),
    act("Planning pages", "coverage analysis", "GET /planowanie/analizy/pokrycie/", ALL),
    act("Planning pages", "capacity analysis (not computed: a GET starts nothing)",
        "GET /planowanie/analizy/chlonnosc/", "409 = = = = = = =", effect="capacity_job"),
    act("Planning pages", "capacity analysis: start the computation",
        "POST /planowanie/analizy/chlonnosc/licz/", "login 403 302 = = = = =",
        effect="capacity_job"),
    act("Planning pages", "conflicts analysis", "GET /planowanie/analizy/konflikty/", ALL),
    act("Planning pages", "accessibility analysis", "GET /planowanie/analizy/dostepnosc/", ALL),
    act("Planning pages", "scenario list", "GET /planowanie/scenariusze/", STAFF_LOGIN),
    act("Planning pages", "new scenario form", "GET /planowanie/scenariusze/nowy/",
        "login 403 200 403 = = = 200"),
    act("Planning pages", "scenario comparison (not computed: a GET starts nothing)",
        "GET /planowanie/scenariusze/{scenario}/", "login 403 409 = = = = =",
        effect="scenario_job"),
    act("Planning pages", "scenario comparison (being computed)",
        "GET /planowanie/scenariusze/{scenario_computing}/", "login 403 202 = = = = ="),
    act("Planning pages", "scenario comparison: start the computation",
        "POST /planowanie/scenariusze/{scenario}/licz/", "login 403 302 = = = = =",
        effect="scenario_job"),
    act("Planning pages", "edit a scenario", "GET /planowanie/scenariusze/{scenario}/edycja/",
        "login 403 200 403 = = = 200"),
    # advertising pages and API
    act("Advertising pages", "the rules and the register: map and table", "GET /reklamy/", ALL),
    act("Advertising pages", "a carrier (owner for staff only)",
        "GET /reklamy/nosniki/{carrier}/", ALL),
    act("Advertising pages", "staff dashboard", "GET /reklamy/obsluga/", AD_STAFF_PAGE),
    act("Advertising pages", "violation table", "GET /reklamy/obsluga/naruszenia/",
        AD_STAFF_PAGE),
    act("Advertising pages", "rule versions", "GET /reklamy/obsluga/reguly/", AD_STAFF_PAGE),
    act("Advertising pages", "a rule version with the preview of its effect",
        "GET /reklamy/obsluga/reguly/{ruleset_draft}/?preview=1", AD_STAFF_PAGE),
    act("Advertising pages", "apply a draft rule version",
        "POST /reklamy/obsluga/reguly/{ruleset_draft}/zastosuj/",
        "login 403 302 403 = = = 302", effect="ad_draft_applied"),
    act("Advertising pages", "new draft rule version (a copy of the current one)",
        "POST /reklamy/obsluga/reguly/uchwaly/{landscaperesolution}/nowa-wersja/",
        "login 403 302 403 = = = 302", effect="ad_draft_created",
        data={"label": "v-matrix", "valid_from": "2101-01-01"}),
    act("Advertising pages", "zone form of a draft version (map or GeoJSON)",
        "GET /reklamy/obsluga/reguly/{ruleset_draft}/strefy/nowa/",
        "login 403 200 403 = = = 200"),
    act("Advertising pages", "add a rule to a draft's zone",
        "POST /reklamy/obsluga/reguly/{ruleset_draft}/strefy/{ad_draft_zone}/zasady/nowa/",
        "login 403 302 403 = = = 302", effect="ad_rule_added",
        data={"kind": "max_dimension", "max_value": "5"}),
    act("Advertising pages", "a draft's rule with its minimum above its maximum (refused)",
        "POST /reklamy/obsluga/reguly/{ruleset_draft}/strefy/{ad_draft_zone}/zasady/"
        "{ad_draft_rule}/", "login 403 400 403 = = = 400", effect="ad_draft_rule_changed",
        data={"kind": "max_area", "min_value": "9", "max_value": "5"}),
    act("Advertising pages", "delete a draft's rule",
        "POST /reklamy/obsluga/reguly/{ruleset_draft}/strefy/{ad_draft_zone}/zasady/"
        "{ad_draft_rule}/usun/", "login 403 302 403 = = = 302", effect="ad_draft_rule_deleted"),
    act("Advertising pages", "a draft's zone moved outside the city (refused)",
        "POST /reklamy/obsluga/reguly/{ruleset_draft}/strefy/{ad_draft_zone}/",
        "login 403 400 403 = = = 400", effect="ad_draft_zone_renamed",
        data={"code": "A", "name": "Poza miastem", "geom": AWAY_3857}),
    act("Advertising pages", "delete a draft's zone",
        "POST /reklamy/obsluga/reguly/{ruleset_draft}/strefy/{ad_draft_zone}/usun/",
        "login 403 302 403 = = = 302", effect="ad_draft_zone_deleted"),
    act("Advertising pages", "delete a rule of an applied version (read-only)",
        "POST /reklamy/obsluga/reguly/{ruleset}/strefy/{ad_zone}/zasady/{zonerule}/usun/",
        "login 403 403 403 = = = 403", effect="ad_applied_rule_deleted"),
    act("Advertising pages", "change a rule of an applied version (read-only)",
        "POST /reklamy/obsluga/reguly/{ruleset}/strefy/{ad_zone}/zasady/{zonerule}/",
        "login 403 403 403 = = = 403", effect="ad_applied_rule_changed",
        data={"kind": "max_area", "max_value": "1"}),
    act("Advertising pages", "start a compliance check of the register",
        "POST /reklamy/obsluga/sprawdz/", "login 403 302 = = 403 = 302",
        effect="ad_check_job"),
    act("Advertising pages", "advertising fee schedule", "GET /reklamy/obsluga/oplaty/",
        AD_STAFF_PAGE),
    # advertising enforcement (inspectors inspect; case officers run the cases)
    act("Advertising enforcement", "the inspection form", "GET /reklamy/inspekcja/",
        "login 403 403 200 403 403 403 200"),
    act("Advertising enforcement", "send an inspection", "POST /reklamy/inspekcja/",
        "login 403 403 302 403 403 403 302", effect="ad_inspection",
        data={"carrier": "R/MATRIX/1", "width": "6", "height": "3", "sides": "1",
              "client_id": "6f1d3a52-8a8e-4b8a-9d0c-0a1b2c3d4e5f"}),
    act("Advertising enforcement", "carriers to inspect, by number (JSON)",
        "GET /reklamy/inspekcja/nosniki/?q=MATRIX", "403 403 403 200 403 403 403 200"),
    act("Advertising enforcement", "enforcement cases", "GET /reklamy/obsluga/sprawy/",
        AD_CASES),
    act("Advertising enforcement", "an enforcement case",
        "GET /reklamy/obsluga/sprawy/{ad_case}/", AD_CASES),
    act("Advertising enforcement", "send the notice (case officers; an inspector only "
        "inspects)", "POST /reklamy/obsluga/sprawy/{ad_case}/zmiana/",
        "login 403 403 400 302 403 403 302", effect="ad_case_notice",
        data={"target": "notice_sent"}),
    act("Advertising enforcement", "assign a case (page)",
        "GET /reklamy/obsluga/sprawy/{ad_case}/przydzial/", "login 403 403 403 200 403 403 200"),
    act("Advertising enforcement", "take a case",
        "POST /reklamy/obsluga/sprawy/{ad_case}/przydzial/",
        "login 403 403 403 302 403 403 302", effect="ad_case_taken", data={"take": "1"}),
    act("Advertising enforcement", "generate the notice (PDF)",
        "POST /reklamy/obsluga/sprawy/{ad_case}/dokumenty/",
        "login 403 403 403 302 403 403 302", effect="ad_case_document", data={"kind": "notice"}),
    act("Advertising enforcement", "download a case document",
        "GET /reklamy/obsluga/sprawy/{ad_case}/dokumenty/{ad_document}/", AD_CASES),
    act("Advertising API", "carriers (GeoJSON, no personal data)",
        "GET /api/v1/advertising/carriers", ALL),
    act("Advertising API", "a carrier with its violations",
        "GET /api/v1/advertising/carriers/{carrier}", ALL),
    act("Advertising API", "violations", "GET /api/v1/advertising/violations", ALL),
    act("Advertising API", "fee schedule (owners)", "GET /api/v1/advertising/fees?year=2026",
        AD_STAFF_API),
    act("Advertising API", "art. 37d penalty of a carrier",
        "GET /api/v1/advertising/carriers/{carrier}/penalty?from=2026-01-01&to=2026-02-01",
        AD_STAFF_API),
    # planning API
    act("Planning API", "plan list", "GET /api/v1/plans", ALL),
    act("Planning API", "plan detail", "GET /api/v1/plans/{plan}", ALL),
    act("Planning API", "plan as APP GML", "GET /api/v1/plans/{plan}/app.gml", ALL),
    act("Planning API", "parcel planning report", "GET /api/v1/parcels/{parcel}/planning", ALL),
    act("Planning API", "coverage analysis", "GET /api/v1/analyses/coverage?format=json", ALL),
    act("Planning API", "capacity analysis (not computed: a GET starts nothing)",
        "GET /api/v1/analyses/capacity?format=json", "409 = = = = = = =", effect="capacity_job"),
    act("Planning API", "capacity analysis: start the computation",
        "POST /api/v1/analyses/capacity", "403 = 202 = = = = =", effect="capacity_job"),
    act("Planning API", "conflicts analysis", "GET /api/v1/analyses/conflicts?format=json", ALL),
    act("Planning API", "scenario list", "GET /api/v1/scenarios", "403 = 200 = = = = ="),
    act("Planning API", "scenario comparison (not computed: a GET starts nothing)",
        "GET /api/v1/scenarios/{scenario}", "403 = 409 = = = = =", effect="scenario_job"),
    act("Planning API", "scenario comparison (being computed)",
        "GET /api/v1/scenarios/{scenario_computing}", "403 = 202 = = = = ="),
    act("Planning API", "scenario comparison: start the computation",
        "POST /api/v1/scenarios/{scenario}", "403 = 202 = = = = =", effect="scenario_job"),
    # surveys (geoankiety): public pages, the builder and results for planners, moderators
    # and administrators, the API
    act("Survey pages", "list of surveys", "GET /ankiety/", ALL),
    act("Survey pages", "survey form", "GET /ankiety/{survey}/", ALL),
    act("Survey pages", "survey form (an account required)", "GET /ankiety/{survey_account}/",
        "login 200 = = = = = ="),
    act("Survey pages", "send an empty response (refused by the form)", "POST /ankiety/{survey}/",
        "400 = = = = = = ="),
    act("Survey pages", "send an empty response to a survey requiring an account",
        "POST /ankiety/{survey_account}/", "login 400 = = = = = ="),
    act("Survey pages", "a draft's form (builders preview it)", "GET /ankiety/{survey_draft}/",
        "404 404 200 404 404 200 404 200"),
    act("Survey pages", "thank-you page", "GET /ankiety/{survey}/dziekujemy/", ALL),
    act("Survey pages", "results", "GET /ankiety/{survey}/wyniki/", ALL),
    act("Survey pages", "a draft's results", "GET /ankiety/{survey_draft}/wyniki/",
        "404 404 200 404 404 200 404 200"),
    act("Survey staff pages", "all surveys", "GET /ankiety/obsluga/", BUILDERS),
    act("Survey staff pages", "new survey form", "GET /ankiety/obsluga/nowa/", BUILDERS),
    act("Survey staff pages", "create a survey", "POST /ankiety/obsluga/nowa/", BUILDERS_DO,
        data={"title": "Ankieta z macierzy", "closes_at": "2099-01-01T12:00",
              "identity": "anonymous", "results_public": "on"},
        effect="survey_created"),
    act("Survey staff pages", "survey builder", "GET /ankiety/obsluga/{survey_draft}/", BUILDERS),
    act("Survey staff pages", "save a survey's settings", "POST /ankiety/obsluga/{survey_draft}/",
        BUILDERS_DO, data={"title": "Nowy tytuł", "closes_at": "2099-01-01T12:00",
                           "identity": "anonymous"}, effect="survey_draft_renamed"),
    act("Survey staff pages", "add a question", "POST /ankiety/obsluga/{survey_draft}/pytania/",
        BUILDERS_DO, data={"kind": "text", "text": "Pytanie z macierzy", "scale_min": "1",
                           "scale_max": "5", "max_length": "100", "max_features": "3"},
        effect="survey_question_added"),
    act("Survey staff pages", "edit a question",
        "GET /ankiety/obsluga/{survey_draft}/pytania/{survey_draft_question}/", BUILDERS),
    act("Survey staff pages", "move a question",
        "POST /ankiety/obsluga/{survey_draft}/pytania/{survey_draft_question}/przesun/",
        BUILDERS_DO, data={"direction": "down"}),
    act("Survey staff pages", "remove a question",
        "POST /ankiety/obsluga/{survey_draft}/pytania/{survey_draft_question}/usun/", BUILDERS_DO,
        effect="survey_question_removed"),
    act("Survey staff pages", "open a survey", "POST /ankiety/obsluga/{survey_draft}/status/",
        BUILDERS_DO, data={"target": "open"}, effect="survey_draft_opened"),
    act("Survey staff pages", "results with the responses", "GET /ankiety/obsluga/{survey}/wyniki/",
        BUILDERS),
    act("Survey staff pages", "export CSV", "GET /ankiety/obsluga/{survey}/eksport.csv", BUILDERS),
    act("Survey staff pages", "export GeoPackage", "GET /ankiety/obsluga/{survey}/eksport.gpkg",
        BUILDERS),
    act("Survey API", "surveys", "GET /api/v1/surveys", ALL),
    act("Survey API", "a survey", "GET /api/v1/surveys/{survey}", ALL),
    act("Survey API", "a draft survey", "GET /api/v1/surveys/{survey_draft}", "404 = = = = = = ="),
    act("Survey API", "a survey's results", "GET /api/v1/surveys/{survey}/results", ALL),
    # data hub pages
    act("Data hub pages", "catalogue: an internal dataset", "GET /dane/", STAFF_LISTS,
        shows="/dane/{internal}/"),
    act("Data hub pages", "catalogue: a restricted dataset of one's own unit", "GET /dane/",
        STAFF_LISTS, shows="/dane/{restricted_own}/"),
    act("Data hub pages", "catalogue: a restricted dataset of another unit", "GET /dane/",
        OTHER_LISTS, shows="/dane/{restricted_other}/"),
    act("Data hub pages", "stale datasets", "GET /dane/nieaktualne/", ALL),
    act("Data hub pages", "Atom feed of new versions: a restricted dataset of another unit",
        "GET /dane/zmiany.atom", OTHER_LISTS, shows="urn:miasto:dataset:{restricted_other}:"),
    act("Data hub pages", "Atom feed of a public dataset", "GET /dane/{public_own}/zmiany.atom",
        ALL),
    act("Data hub pages", "Atom feed of a restricted dataset of another unit",
        "GET /dane/{restricted_other}/zmiany.atom", "404 = = = = = = 200"),
    act("Data hub pages", "public dataset", "GET /dane/{public_own}/", ALL),
    act("Data hub pages", "internal dataset", "GET /dane/{internal}/", STAFF_ONLY_404),
    act("Data hub pages", "restricted dataset of one's own unit", "GET /dane/{restricted_own}/",
        STAFF_ONLY_404),
    act("Data hub pages", "restricted dataset of another unit", "GET /dane/{restricted_other}/",
        "404 = = = = = = 200"),
    act("Data hub pages", "quality report of a restricted dataset of another unit",
        "GET /dane/{restricted_other}/wersje/1/jakosc/", "404 = = = = = = 200"),
    act("Data hub pages", "quality report of an internal dataset",
        "GET /dane/{internal}/wersje/1/jakosc/", STAFF_ONLY_404),
    act("Data hub pages", "differences between versions (public dataset)",
        "GET /dane/{public_own}/roznice/?from=1&to=2", ALL),
    act("Data hub pages", "create a dataset", "GET /dane/nowy/",
        "login 403 = = = = 200 ="),
    act("Data hub pages", "create a dataset owned by another unit (the owner grants access)",
        "POST /dane/nowy/", "login 403 = = = = 400 302",
        data={"slug": "matrix-cudzy", "title_pl": "Cudzy zbiór", "theme": "SOCI",
              "owner": "{orgunit}", "licence": "CC-BY-4.0", "frequency": "ANNUAL",
              "access": "restricted", "target": "generic"},
        effect="dataset_of_other_unit_created"),
    act("Data hub pages", "edit a dataset of one's own unit (internal)",
        "GET /dane/{internal}/edycja/", "login 404 403 = = = 200 ="),
    act("Data hub pages", "edit a public dataset of another unit",
        "GET /dane/{public_other}/edycja/", "login 403 = = = = = 200"),
    act("Data hub pages", "edit a restricted dataset of another unit",
        "GET /dane/{restricted_other}/edycja/", "login 404 = = = = = 200"),
    act("Data hub pages", "import a version into a dataset of one's own unit",
        "GET /dane/{internal}/import/", "login 404 403 = = = 200 ="),
    act("Data hub pages", "field mapping of an upload (of another session)",
        "GET /dane/{internal}/import/00000000000000000000000000000000/",
        "login 404 403 = = = 302 ="),
    act("Data hub pages", "layers of an upload (of another session)",
        "GET /dane/{internal}/import/00000000000000000000000000000000/warstwy/",
        "login 404 403 = = = 302 ="),
    act("Data hub pages", "import a version into a restricted dataset of another unit",
        "GET /dane/{restricted_other}/import/", "login 404 = = = = = 200"),
    act("Data hub pages", "publish a version (make it current), public dataset of one's unit",
        "POST /dane/{public_own}/wersje/2/biezaca/", "login 403 = = = = 302 =",
        data={"confirm": "yes"}, effect="version_2_current"),
    act("Data hub pages", "publish a version of a restricted dataset of another unit",
        "POST /dane/{restricted_other}/wersje/1/biezaca/", "login 404 = = = = = 302",
        data={"confirm": "yes"}),
    act("Data hub pages", "import job of a data steward", "GET /zadania/{job}/",
        "login 404 = = = = 200 ="),
    act("Data hub pages", "catalogue: an archived dataset", "GET /dane/", "omits = = = = = = =",
        shows="/dane/{archived}/"),
    act("Data hub pages", "catalogue: the archived datasets (staff's filter)",
        "GET /dane/?archiwum=1", STAFF_LISTS, shows="/dane/{archived}/"),
    act("Data hub pages", "archived dataset of one's own unit", "GET /dane/{archived}/",
        STAFF_ONLY_404),
    act("Data hub pages", "archive a public dataset of one's own unit",
        "POST /dane/{public_own}/archiwizuj/", "login 403 = = = = 302 =",
        effect="public_own_archived"),
    act("Data hub pages", "archive a restricted dataset of another unit",
        "POST /dane/{restricted_other}/archiwizuj/", "login 404 = = = = = 302",
        effect="restricted_other_archived"),
    act("Data hub pages", "restore an archived dataset of one's own unit",
        "POST /dane/{archived}/przywroc/", "login 404 403 = = = 302 =",
        effect="archived_restored"),
    act("Data hub pages", "delete a dataset: the confirmation (public dataset of one's unit)",
        "GET /dane/{public_own}/usun/", "login 403 = = = = = 200"),
    act("Data hub pages", "delete a dataset: the confirmation (restricted, another unit)",
        "GET /dane/{restricted_other}/usun/", "login 404 = = = = = 200"),
    act("Data hub pages", "delete a public dataset of another unit",
        "POST /dane/{public_other}/usun/", "login 403 = = = = = 302",
        data={"confirm": "yes"}, effect="public_other_deleted"),
    # data hub API
    act("Data hub API", "dataset list: a restricted dataset of one's own unit",
        "GET /api/v1/datasets?page_size=100", STAFF_LISTS, shows='"{restricted_own}"'),
    act("Data hub API", "dataset list: a restricted dataset of another unit",
        "GET /api/v1/datasets?page_size=100", OTHER_LISTS, shows='"{restricted_other}"'),
    act("Data hub API", "public dataset", "GET /api/v1/datasets/{public_own}", ALL),
    act("Data hub API", "dataset list: an archived dataset",
        "GET /api/v1/datasets?page_size=100", "omits = = = = = = =", shows='"{archived}"'),
    act("Data hub API", "archived dataset", "GET /api/v1/datasets/{archived}",
        "404 = = = = = = ="),
    act("Data hub API", "download an archived dataset",
        "GET /api/v1/datasets/{archived}/download?format=geojson", "404 = = = = = = ="),
    act("Data hub API", "internal dataset", "GET /api/v1/datasets/{internal}", STAFF_ONLY_404),
    act("Data hub API", "restricted dataset of one's own unit",
        "GET /api/v1/datasets/{restricted_own}", STAFF_ONLY_404),
    act("Data hub API", "restricted dataset of another unit",
        "GET /api/v1/datasets/{restricted_other}", "404 = = = = = = 200"),
    act("Data hub API", "download a restricted dataset of one's own unit",
        "GET /api/v1/datasets/{restricted_own}/download?format=geojson", STAFF_ONLY_404),
    act("Data hub API", "download a restricted dataset of another unit",
        "GET /api/v1/datasets/{restricted_other}/download?format=geojson",
        "404 = = = = = = 200"),
    act("Data hub API", "features of a restricted dataset of another unit",
        "GET /api/v1/datasets/{restricted_other}/versions/1/features",
        "404 = = = = = = 200"),
    act("Data hub API", "quality of a restricted dataset of another unit",
        "GET /api/v1/datasets/{restricted_other}/versions/1/quality",
        "404 = = = = = = 200"),
    act("Data hub API", "differences between versions (public dataset)",
        "GET /api/v1/datasets/{public_own}/diff?from=1&to=2", ALL),
    act("Data hub API", "import job of a data steward", "GET /api/v1/jobs/{job}",
        "404 = = = = = 200 ="),
    act("Data hub API", "cancel a queued job (staff)", "POST /api/v1/jobs/{job}/cancel",
        "404 = done = = = = =", effect="job_cancelled"),
]  # fmt: skip

SIGNED_IN = "login 200 = = = = = ="  # one's own account: every signed-in role alike
ACC = "Accounts (/konto/)"
ACCOUNTS = [
    act(ACC, "sign in", "GET /konto/logowanie/", "200 away = = = = = ="),
    act(ACC, "sign out: the question", "GET /konto/wylogowanie/", "away 200 = = = = = ="),
    act(ACC, "sign out", "POST /konto/wylogowanie/", "away 302 = = = = = ="),
    act(ACC, "sign up", "GET /konto/rejestracja/", "200 away = = = = = ="),
    act(ACC, "account inactive (notice)", "GET /konto/nieaktywne/", ALL),
    act(ACC, "sign-in code: check (no code was sent)", "GET /konto/logowanie/kod/sprawdz/",
        "login away = = = = = ="),
    act(ACC, "profile (own)", "GET /konto/", SIGNED_IN),
    act(ACC, "download one's data (JSON)", "GET /konto/dane/", SIGNED_IN),
    act(ACC, "delete one's account: the form (staff: an administrator deactivates them)",
        "GET /konto/usun/", "login 200 403 = = = = ="),
    act(ACC, "delete one's account", "POST /konto/usun/", "login done 403 = = = = =",
        data={"password": "pw-secret-123", "confirm": "on"}, effect="me_deleted"),
    act(ACC, "password again (before a security change)", "GET /konto/potwierdz-tozsamosc/",
        SIGNED_IN),
    act(ACC, "password again by a code", "GET /konto/potwierdz-tozsamosc/kod/",
        "login reauth = = = = = ="),
    act(ACC, "password again by a code: check (no code was sent)",
        "GET /konto/potwierdz-tozsamosc/kod/sprawdz/", "login away = = = = = ="),
    act(ACC, "e-mail addresses (own)", "GET /konto/email/", SIGNED_IN),
    act(ACC, "e-mail verification sent (notice)", "GET /konto/email/weryfikacja/", ALL),
    act(ACC, "confirm an e-mail address (an unknown key: says the link is invalid)",
        "GET /konto/email/weryfikacja/nieznany-klucz/", ALL),
    act(ACC, "change one's password", "GET /konto/haslo/zmiana/", SIGNED_IN),
    act(ACC, "set a password (one is set already: to the change form)",
        "GET /konto/haslo/ustaw/", "login away = = = = = ="),
    act(ACC, "password reset: ask for the e-mail", "GET /konto/haslo/reset/", ALL),
    act(ACC, "password reset: e-mail sent", "GET /konto/haslo/reset/wyslano/", ALL),
    act(ACC, "password reset: the link (an unknown key: says the link is invalid)",
        "GET /konto/haslo/reset/klucz/1-nieznany-klucz/", ALL),
    act(ACC, "password reset: done", "GET /konto/haslo/reset/gotowe/", ALL),
    act(ACC, "two-factor authentication (own)", "GET /konto/2fa/", SIGNED_IN),
    act(ACC, "two-factor code after the password (no sign-in pending)",
        "GET /konto/2fa/uwierzytelnienie/", "login away = = = = = ="),
    act(ACC, "two-factor: password again", "GET /konto/2fa/potwierdz-tozsamosc/",
        "login reauth = = = = = ="),
    act(ACC, "turn TOTP on", "GET /konto/2fa/totp/wlacz/", "login reauth = = = = = ="),
    act(ACC, "turn TOTP off (none is on)", "GET /konto/2fa/totp/wylacz/",
        "login 404 = = = = = ="),
    act(ACC, "recovery codes (none yet)", "GET /konto/2fa/kody-zapasowe/",
        "login 404 = = = = = ="),
    act(ACC, "recovery codes: new ones", "GET /konto/2fa/kody-zapasowe/nowe/",
        "login reauth = = = = = ="),
    act(ACC, "recovery codes: download (none yet)", "GET /konto/2fa/kody-zapasowe/pobierz/",
        "login 404 = = = = = ="),
]  # fmt: skip

DEV = "Developers (/dla-deweloperow/)"
DEVELOPERS = [
    act(DEV, "developer portal", "GET /dla-deweloperow/", ALL),
    act(DEV, "one's applications and API keys", "GET /dla-deweloperow/aplikacje/", SIGNED_IN),
    act(DEV, "register an application (the key is shown once)", "POST /dla-deweloperow/aplikacje/",
        "login done = = = = = =", data={"name": "Matrix app"}, effect="my_key_created"),
    act(DEV, "another person's key and its use", "GET /dla-deweloperow/aplikacje/{apikey}/",
        "login 404 = = = = = ="),
    act(DEV, "revoke another person's key", "POST /dla-deweloperow/aplikacje/{apikey}/uniewaznij/",
        "login 404 = = = = = =", effect="someones_key_revoked"),
    act(DEV, "deliveries of another person's webhook",
        "GET /dla-deweloperow/aplikacje/{apikey}/webhooki/{webhook}/", "login 404 = = = = = ="),
    act(DEV, "delete another person's webhook",
        "POST /dla-deweloperow/aplikacje/{apikey}/webhooki/{webhook}/usun/",
        "login 404 = = = = = =", effect="someones_webhook_deleted"),
]  # fmt: skip

AL = "Area alerts (/konto/powiadomienia/): one's own only"
ALERT_FORM = {
    "name": "Matrix area",
    "kind": "district",
    "district": "{district}",
    "topics": ["plan.status_changed"],
    "in_app": "on",
}
ALERTS = [
    act(AL, "one's areas and the form to add one", "GET /konto/powiadomienia/", SIGNED_IN),
    act(AL, "follow a district", "POST /konto/powiadomienia/", "login 302 = = = = = =",
        data=ALERT_FORM, effect="my_alert_created"),
    act(AL, "another person's area", "GET /konto/powiadomienia/{alert}/", "login 404 = = = = = ="),
    act(AL, "change another person's area", "POST /konto/powiadomienia/{alert}/",
        "login 404 = = = = = =", data={**ALERT_FORM, "name": "Matrix renamed"},
        effect="someones_alert_renamed"),
    act(AL, "delete another person's area", "POST /konto/powiadomienia/{alert}/usun/",
        "login 404 = = = = = =", effect="someones_alert_deleted"),
    act(AL, "one's notifications", "GET /konto/powiadomienia/skrzynka/", SIGNED_IN),
    act(AL, "mark one's notifications read", "POST /konto/powiadomienia/skrzynka/przeczytane/",
        "login 302 = = = = = ="),
    act(AL, "give one's feed a new address", "POST /konto/powiadomienia/kanal/nowy-adres/",
        "login 302 = = = = = =", effect="my_feed_token_set"),
    act(AL, "a person's Atom feed (whoever has its secret address)",
        "GET /konto/powiadomienia/kanal/{alert_feed}.atom", ALL),
    act(AL, "an Atom feed at a wrong address", "GET /konto/powiadomienia/kanal/nieznany.atom",
        "404 = = = = = = ="),
]  # fmt: skip

OD = "Open data (opendata): only public datasets, whoever asks"
NONE_LISTED = "omits = = = = = = ="
OPEN_DATA = [
    act(OD, "API reference page (Swagger UI)", "GET /api/", ALL),
    act(OD, "OpenAPI document of /api/v1", "GET /api/v1/openapi.json", ALL),
    act(OD, "DCAT-AP-PL catalogue (content negotiation)", "GET /catalog", ALL),
    act(OD, "DCAT-AP-PL catalogue: a public dataset", "GET /catalog.ttl",
        "lists = = = = = = =", shows="{public_own}"),
    act(OD, "DCAT-AP-PL catalogue: an internal dataset", "GET /catalog.rdf", NONE_LISTED,
        shows="{internal}"),
    act(OD, "DCAT-AP-PL catalogue: a restricted dataset of one's own unit",
        "GET /catalog.jsonld", NONE_LISTED, shows="{restricted_own}"),
    act(OD, "DCAT-AP-PL catalogue: an archived dataset", "GET /catalog.ttl", NONE_LISTED,
        shows="{archived}"),
    act(OD, "WFS 2.0 capabilities", "GET /wfs?SERVICE=WFS&REQUEST=GetCapabilities", ALL),
    act(OD, "WFS 2.0 capabilities: a restricted dataset of one's own unit",
        "GET /wfs?SERVICE=WFS&REQUEST=GetCapabilities", NONE_LISTED,
        shows="ds-{restricted_own}"),
    act(OD, "WFS 2.0 features of an internal dataset",
        "GET /wfs?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=ds-{internal}",
        "400 = = = = = = ="),
    act(OD, "CKAN API version", "GET /api/3", ALL),
    act(OD, "CKAN package_list: a public dataset", "GET /api/3/action/package_list",
        "lists = = = = = = =", shows="{public_own}"),
    act(OD, "CKAN package_list: a restricted dataset of one's own unit",
        "GET /api/action/package_list", NONE_LISTED, shows="{restricted_own}"),
    act(OD, "CKAN package_show: an internal dataset",
        "GET /api/3/action/package_show?id={internal}", "404 = = = = = = ="),
    act(OD, "CKAN package_search: a restricted dataset of another unit",
        "POST /api/3/action/package_search", NONE_LISTED, shows="{restricted_other}",
        data={"rows": 1000}),
]  # fmt: skip

# problem reports: public pages and Open311 (the same for everyone: POST needs an API key),
# the officers' queue (case officers of the report's unit, moderators, administrators)
PR, O311 = "Problem reports (pages)", "Open311 GeoReport v2"
QUEUE = "login 403 403 403 200 200 403 200"
PROBLEMS = [
    act(PR, "public map and list of reports", "GET /zgloszenia/", ALL),
    act(PR, "report form", "GET /zgloszenia/nowe/", ALL),
    act(PR, "send a report", "POST /zgloszenia/nowe/", "302 = = = = = = =",
        data={"service": "{problems_service_code}", "description": "Nie świeci latarnia",
              "lat": "{report_lat}", "lon": "{report_lon}", "confirm_new": "on"},
        effect="report_sent"),
    act(PR, "a report's page (no personal data)", "GET /zgloszenia/{report}/", ALL),
    act(PR, "a report's photo (this one has none)", "GET /zgloszenia/{report}/zdjecie",
        "404 = = = = = = ="),
    act(PR, "report a report's breach of the rules", "POST /zgloszenia/{report}/naruszenie/",
        "login 302 = = = = = =", data={"reason": "spam"}, effect="report_flagged"),
    act(PR, "officers' queue with statistics", "GET /zgloszenia/obsluga/", QUEUE),
    act(PR, "a report in the queue (contact details)", "GET /zgloszenia/obsluga/{report}/",
        QUEUE),
    act(PR, "acknowledge a report (status change)", "POST /zgloszenia/obsluga/{report}/",
        "login 403 403 403 302 400 403 302",
        data={"action": "transition", "target": "acknowledged"}, effect="report_acknowledged"),
    act(O311, "discovery", "GET /open311/v2/discovery.json", ALL),
    act(O311, "services", "GET /open311/v2/services.xml", ALL),
    act(O311, "service definition", "GET /open311/v2/services/{problems_service_code}.json",
        ALL),
    act(O311, "requests", "GET /open311/v2/requests.json", ALL),
    act(O311, "a request", "GET /open311/v2/requests/{report}.xml", ALL),
    act(O311, "a request by token", "GET /open311/v2/tokens/{report_token}.json", ALL),
    act(O311, "create a request without an API key", "POST /open311/v2/requests.json",
        "403 = = = = = = =", data={"service_code": "{problems_service_code}",
                                   "lat": "{report_lat}", "long": "{report_lon}"},
        effect="report_sent"),
]  # fmt: skip

PRO = "Residents' proposals (/pomysly/)"
PRO_STAFF = "login 403 200 403 403 200 403 200"  # moderators, planners, administrators
PRO_STAFF_DO = "login 403 302 403 403 302 403 302"
PRO_MODERATE = "login 403 403 403 403 302 403 302"  # moderators and administrators
PRO_DECIDE = "login 403 302 403 403 403 403 302"  # planners and administrators
SIGNED_IN_DO = "login 302 = = = = = ="  # every signed-in account alike
#: proposing, supporting and commenting need a verified e-mail, which no matrix account has
UNVERIFIED = "login 403 = = = = = ="
POINT = '{{"type": "Point", "coordinates": [{parcel_lon}, {parcel_lat}]}}'
PROPOSALS = [
    act(PRO, "list with map and filters", "GET /pomysly/", ALL),
    act(PRO, "a proposal", "GET /pomysly/{proposal}/", ALL),
    act(PRO, "a proposal's photo (EXIF removed)", "GET /pomysly/{proposal}/zdjecie.jpg", ALL),
    act(PRO, "new proposal: the form (an account without a verified e-mail: 403)",
        "GET /pomysly/nowy/", UNVERIFIED),
    act(PRO, "new proposal (an account without a verified e-mail: 403)", "POST /pomysly/nowy/",
        UNVERIFIED,
        data={"title": "Macierz", "description": "Opis", "category": "other", "geometry": POINT},
        effect="proposal_created"),
    act(PRO, "support a proposal (once per verified account; without one: 403)",
        "POST /pomysly/{proposal}/poparcie/", UNVERIFIED, effect="proposal_supported"),
    act(PRO, "comment on a proposal (verified e-mail; without one: 403)",
        "POST /pomysly/{proposal}/komentarze/", UNVERIFIED,
        data={"body": "Komentarz z macierzy"}, effect="proposal_commented"),
    act(PRO, "report a proposal", "POST /pomysly/{proposal}/zgloszenie/", SIGNED_IN_DO,
        data={"kind": "proposal", "object_id": "{proposal}", "reason": "spam"},
        effect="proposal_reported"),
    act(PRO, "staff queue", "GET /pomysly/obsluga/", PRO_STAFF),
    act(PRO, "statistics", "GET /pomysly/obsluga/statystyki/", PRO_STAFF),
    act(PRO, "answer templates (on the shared casework page)", "GET /pomysly/obsluga/szablony/",
        "login 403 away 403 403 away 403 away"),
    act(PRO, "handling a proposal", "GET /pomysly/obsluga/{proposal}/", PRO_STAFF),
    act(PRO, "take a proposal up for review (feedback required)",
        "POST /pomysly/obsluga/{proposal}/status/", PRO_STAFF_DO,
        data={"target": "under_review", "feedback": "Analizujemy."},
        effect="proposal_under_review"),
    act(PRO, "accept a proposal under review",
        "POST /pomysly/obsluga/{proposal_reviewed}/status/", PRO_DECIDE,
        data={"target": "accepted", "feedback": "Przyjęto."}, effect="proposal_accepted"),
    act(PRO, "route a proposal to a unit", "POST /pomysly/obsluga/{proposal}/przydzial/",
        PRO_STAFF_DO, data={"unit": "{orgunit}"}, effect="proposal_assigned"),
    act(PRO, "hide a proposal (reason shown)", "POST /pomysly/obsluga/{proposal}/moderacja/",
        PRO_MODERATE, data={"action": "hide", "reason": "spam"}, effect="proposal_hidden"),
    act(PRO, "hide a comment (reason shown)",
        "POST /pomysly/obsluga/komentarze/{proposal_comment}/moderacja/", PRO_MODERATE,
        data={"action": "hide", "reason": "spam"}, effect="proposal_comment_hidden"),
    act(PRO, "proposals as GeoJSON (no personal data)", "GET /api/v1/proposals", ALL),
    act(PRO, "proposals in the OGC API", "GET /ogcapi/collections/proposals/items", ALL),
    act(PRO, "proposals layer: vector tile", "GET /tiles/proposals/{tile}.mvt", ALL),
]  # fmt: skip

CO = "Consultations (/konsultacje/, /api/v1/consultations)"
CONSULT_STAFF = "login 403 200 403 403 200 403 200"  # planners, moderators, administrators
RUNNERS = "login 403 200 403 403 403 403 200"  # planners and administrators
MODERATORS = "login 403 403 403 403 200 403 200"
CONSULTATIONS = [
    act(CO, "list of consultations", "GET /konsultacje/", ALL),
    act(CO, "list of consultations: a draft", "GET /konsultacje/",
        "omits omits lists omits omits lists omits lists", shows="Matrix draft consultation"),
    act(CO, "consultation page", "GET /konsultacje/{consultation}/", ALL),
    act(CO, "consultation page of a draft", "GET /konsultacje/{consultation_draft}/",
        "404 404 200 404 404 200 404 200"),
    act(CO, "a consultation's document",
        "GET /konsultacje/{consultation}/dokumenty/{consultation_doc}/", ALL),
    act(CO, "comment form", "GET /konsultacje/{consultation}/uwagi/nowa/", SIGNED_IN),
    act(CO, "send a comment (waits for moderation)", "POST /konsultacje/{consultation}/uwagi/nowa/",
        "login 302 = = = = = =", effect="consultation_comment_sent",
        data={"text": "Matrix comment", "category": "other", "name": "Jan Matrix",
              "address": "ul. Testowa 1"}),
    act(CO, "report a published comment", "POST /konsultacje/uwagi/{consultation_comment}/zglos/",
        "login 302 = = = = = =", data={"reason": "spam"}, effect="consultation_comment_reported"),
    act(CO, "staff: consultations and queues", "GET /konsultacje/obsluga/", CONSULT_STAFF),
    act(CO, "staff: new consultation form", "GET /konsultacje/obsluga/nowe/", RUNNERS),
    act(CO, "staff: create a consultation (art. 8i forms checked)",
        "POST /konsultacje/obsluga/nowe/", "login 403 302 403 403 403 403 302",
        effect="consultation_created",
        data={"title": "Matrix new consultation", "act": "plan:{plan}",
              "starts_on": "2027-03-01", "ends_on": "2027-03-31",
              "methods": ["comments", "meeting", "study_walk"]}),
    act(CO, "staff: moderation queue", "GET /konsultacje/obsluga/moderacja/", MODERATORS),
    act(CO, "staff: manage a consultation", "GET /konsultacje/obsluga/{consultation}/", RUNNERS),
    act(CO, "staff: announce a draft", "POST /konsultacje/obsluga/{consultation_draft}/status/",
        "login 403 302 403 403 403 403 302", data={"target": "announced"},
        effect="consultation_announced"),
    act(CO, "staff: add a document without a file",
        "POST /konsultacje/obsluga/{consultation}/dokumenty/", "login 403 400 403 403 403 403 400",
        data={"title": "Bez pliku"}),
    act(CO, "staff: the unit handling the comments (any state)",
        "POST /konsultacje/obsluga/{consultation}/jednostka/", "login 403 302 403 403 403 403 302",
        data={"unit": "{orgunit}"}, effect="consultation_unit_set"),
    act(CO, "staff: the course of the consultation",
        "POST /konsultacje/obsluga/{consultation}/przebieg/", "login 403 302 403 403 403 403 302",
        data={"course": "Matrix course"}, effect="consultation_course_saved"),
    act(CO, "staff: the report of an open consultation (nothing is started)",
        "POST /konsultacje/obsluga/{consultation}/raport/", "login 403 409 403 403 403 403 409",
        effect="consultation_report_job"),
    act(CO, "staff: the generated report before publication (none yet)",
        "GET /konsultacje/obsluga/{consultation}/raport.pdf", "login 403 404 403 403 403 403 404"),
    act(CO, "staff: comments and their handling", "GET /konsultacje/obsluga/{consultation}/uwagi/",
        RUNNERS),
    act(CO, "staff: enter a paper or e-mail comment",
        "GET /konsultacje/obsluga/{consultation}/uwagi/nowa/", CONSULT_STAFF),
    act(CO, "staff: one comment with its author",
        "GET /konsultacje/obsluga/uwagi/{consultation_comment}/", RUNNERS),
    act(CO, "staff: propose the handling of a comment",
        "POST /konsultacje/obsluga/uwagi/{consultation_comment}/",
        "login 403 302 403 403 403 403 302",
        data={"handling": "accepted", "justification": "Matrix justification"},
        effect="consultation_comment_handled"),
    act(CO, "staff: moderate a comment",
        "POST /konsultacje/obsluga/uwagi/{consultation_pending}/moderacja/",
        "login 403 403 403 403 302 403 302",
        data={"decision": "publish"}, effect="consultation_pending_published"),
    act(CO, "staff: a comment's attachment",
        "GET /konsultacje/obsluga/zalaczniki/{consultation_attachment}/", RUNNERS),
    act(CO, "API: consultations", "GET /api/v1/consultations", ALL),
    act(CO, "API: a consultation", "GET /api/v1/consultations/{consultation}", ALL),
    act(CO, "API: a draft consultation", "GET /api/v1/consultations/{consultation_draft}",
        "404 = = = = = = ="),
    act(CO, "API: published comments (GeoJSON)",
        "GET /api/v1/consultations/{consultation}/comments", ALL),
    act(CO, "API: summary report PDF (not published yet)",
        "GET /api/v1/consultations/{consultation}/report.pdf", "404 = = = = = = ="),
    act(CO, "API: summary report CSV (not published yet)",
        "GET /api/v1/consultations/{consultation}/report.csv", "404 = = = = = = ="),
]  # fmt: skip

CW = "Casework (/obsluga/): queues, assignment, answer templates, statistics"
#: whoever handles a queue: planners (consultations, proposals), case officers (reports),
#: moderators (proposals), administrators
CW_STAFF = "login 403 200 403 200 200 403 200"
CASEWORK = [
    act(CW, "the queue of one's units across modules", "GET /obsluga/", CW_STAFF),
    act(
        CW,
        "take a report of one's unit (only its handlers: others are refused, 400)",
        "POST /obsluga/przydzial/",
        "login 403 400 403 302 400 403 302",
        data={"module": "problems", "id": "{report}", "action": "take"},
        effect="report_taken",
    ),
    act(CW, "answer templates of one's units", "GET /obsluga/szablony/", CW_STAFF),
    act(
        CW,
        "change form of a proposals' template of one's unit (others: 404)",
        "GET /obsluga/szablony/{casework_template}/",
        "login 403 200 403 404 200 403 200",
    ),
    act(
        CW,
        "add a proposals' template for one's unit (a queue one does not handle: 400)",
        "POST /obsluga/szablony/",
        "login 403 302 403 400 302 403 302",
        data={
            "module": "proposals",
            "unit": "{own_unit}",
            "title": "Szablon z macierzy",
            "body": "Odpowiedź na pomysł nr {{numer}}",
        },
        effect="template_created",
    ),
    act(
        CW,
        "delete a proposals' template of one's unit",
        "POST /obsluga/szablony/{casework_template}/usun/",
        "login 403 302 403 404 302 403 302",
        effect="template_deleted",
    ),
    act(CW, "statistics (tables and charts)", "GET /obsluga/statystyki/", CW_STAFF),
    act(CW, "statistics as CSV", "GET /obsluga/statystyki.csv", CW_STAFF),
    act(
        CW, "API: statistics (aggregates, no personal data)", "GET /api/v1/casework/statistics", ALL
    ),
]

ACTIONS: list[Action] = [
    *ADMIN_EXTRA, *admin_model_actions(), *ACCOUNTS, *DEVELOPERS, *PAGES, *OPEN_DATA,
    *PROBLEMS, *PROPOSALS, *ALERTS, *CONSULTATIONS, *CASEWORK,
]  # fmt: skip


# --------------------------------------------------------------------------- the document

DOC = Path(__file__).resolve().parents[2] / "docs" / "roles.md"
BEGIN = "<!-- role-matrix:begin (generated by `python -m tests.core.role_matrix`) -->"
END = "<!-- role-matrix:end -->"
SHORT = {
    "anonymous": "anon.",
    "resident": "resid.",
    "planner": "plan.",
    "inspector": "insp.",
    "case_officer": "case",
    "moderator": "mod.",
    "data_steward": "stew.",
    "administrator": "admin",
}


def _escape(text: str) -> str:
    return text.replace("|", "\\|")


def render() -> str:
    """The generated part of docs/roles.md: a legend and one table per module."""
    lines = [BEGIN, "", "| column | role |", "|---|---|"]
    lines += [f"| {SHORT[r]} | {ROLE_LABELS[r]} (`{r}`) |" for r in ROLES]
    lines += ["", "| cell | meaning |", "|---|---|"]
    lines += [f"| `{k}` | {v} |" for k, v in OUTCOMES.items()]
    modules: dict[str, list[Action]] = {}
    for a in ACTIONS:
        modules.setdefault(a.module, []).append(a)
    for module, actions in modules.items():
        lines += ["", f"### {module}", ""]
        lines.append("| action | request | " + " | ".join(SHORT[r] for r in ROLES) + " |")
        lines.append("|---|---|" + "---|" * len(ROLES))
        for a in actions:
            request = _escape(f"{a.method} {a.path}")
            if a.shows:
                request += f"` looking for `{_escape(a.shows)}"
            cells = " | ".join(a.cells)
            lines.append(f"| {_escape(a.label)} | `{request}` | {cells} |")
    lines += ["", END]
    return "\n".join(lines)


def generated_part(text: str) -> str:
    start, end = text.index(BEGIN), text.index(END) + len(END)
    return text[start:end]


def write_doc(path: Path = DOC) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(generated_part(text), render()), encoding="utf-8")


if __name__ == "__main__":
    write_doc(Path(sys.argv[1]) if len(sys.argv) > 1 else DOC)

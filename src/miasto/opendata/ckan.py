"""A CKAN-compatible Action API over the public catalogue, shaped like CKAN 2.10's answers
so that ckanapi, CKAN harvesters and portal crawlers read Miasto unchanged.

- packages (datasets) are the public datasets (:mod:`miasto.opendata.catalog`);
- organizations are their owner units, groups are the EU data themes;
- resources are the export files and the API endpoints of each dataset.

Each action is a function ``(params, context) → result`` registered in :data:`ACTIONS`; it
raises :class:`CkanError` (``Not Found Error`` 404, ``Validation Error`` 409,
``Search Query Error`` 409, ``Bad Request`` 400) which the view answers as CKAN does:
``{"help": …, "success": false, "error": {"__type": …, "message": …}}``.
"""

from __future__ import annotations

import json
import re
import shlex
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.text import slugify

from miasto import __version__
from miasto.datahub.vocabularies import LICENCE_URI, Licence, Theme
from miasto.opendata import catalog
from miasto.opendata.catalog import Entry, Resource

CKAN_VERSION = "2.10.4"
ROWS_DEFAULT, ROWS_MAX = 10, 1000
START_MAX = 1_000_000
QUERY_MAX = 1000
LIST_MAX = 10_000
#: the ``fq``/``q`` fields understood (``field:value``)
FIELDS = ("tags", "organization", "res_format", "groups", "name", "license_id")
#: the ``sort`` fields understood
SORTS = ("score", "name", "title_string", "metadata_modified", "metadata_created")
DEFAULT_SORT = "score desc, metadata_modified desc"
NAMESPACE = uuid.UUID("6f1c7f1e-6a8e-4c6e-9d61-6d6961737461")


class CkanError(Exception):
    """An error answered in CKAN's shape."""

    def __init__(self, kind: str, status: int, message: str, **fields: list[str]) -> None:
        super().__init__(message)
        self.kind = kind
        self.status = status
        self.message = message
        self.fields = fields

    def body(self) -> dict[str, Any]:
        return {"__type": self.kind, "message": self.message, **self.fields}


def not_found(message: str) -> CkanError:
    return CkanError("Not Found Error", 404, f"Not found: {message}")


def invalid(field: str, message: str) -> CkanError:
    return CkanError("Validation Error", 409, f"Validation Error: {field}", **{field: [message]})


def query_error(message: str) -> CkanError:
    return CkanError("Search Query Error", 409, f"Search Query is invalid: {message}")


@dataclass(frozen=True)
class Context:
    """What an action needs from the request: the site's absolute address, no slash at
    the end (``https://miasto.example``)."""

    base: str


Params = Mapping[str, Any]
Action = Callable[[Params, Context], Any]
ACTIONS: dict[str, Action] = {}


def action(func: Action) -> Action:
    ACTIONS[func.__name__] = func
    return func


# --- parameters ---------------------------------------------------------------------------


def _text(params: Params, name: str, default: str = "", limit: int = QUERY_MAX) -> str:
    value = params.get(name, default)
    if value is None:
        return default
    if not isinstance(value, str | int | float):
        raise invalid(name, "Nieprawidłowa wartość (oczekiwano tekstu).")
    text = str(value)
    if len(text) > limit:
        raise invalid(name, f"Najwyżej {limit} znaków.")
    return text


def _int(params: Params, name: str, default: int, hi: int) -> int:
    """A natural number; above ``hi`` it is capped (CKAN caps ``rows`` at its maximum)."""
    value = params.get(name)
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        raise invalid(name, "Invalid integer")
    try:
        number = int(str(value).strip())
    except ValueError:
        raise invalid(name, "Invalid integer") from None
    if number < 0:
        raise invalid(name, "Must be a natural number")
    return min(number, hi)


def _bool(params: Params, name: str) -> bool:
    value = params.get(name, False)
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in ("true", "1", "yes", "on")


def _id(params: Params) -> str:
    value = _text(params, "id", limit=200).strip()
    if not value:
        raise invalid("id", "Missing value")
    return value


def _list(params: Params, name: str) -> list[str]:
    """A list parameter: a JSON list in a string (as in a GET query) or a list."""
    value = params.get(name)
    if value in (None, ""):
        return []
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            value = [value]
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise invalid(name, "Oczekiwano listy nazw pól (JSON).")
    return value[:20]


# --- the dictionaries, as CKAN spells them --------------------------------------------------


def stable_id(*parts: object) -> str:
    return str(uuid.uuid5(NAMESPACE, ":".join(str(p) for p in parts)))


def org_name(code: str) -> str:
    return slugify(code) or stable_id("org", code)


def group_name(theme: str) -> str:
    return theme.lower()


def organization_dict(unit: Any, package_count: int | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": stable_id("org", unit.code),
        "name": org_name(unit.code),
        "title": unit.name,
        "display_name": unit.name,
        "description": unit.kind or "",
        "image_url": "",
        "image_display_url": "",
        "created": None,
        "is_organization": True,
        "approval_status": "approved",
        "state": "active",
        "type": "organization",
    }
    if package_count is not None:
        data["package_count"] = package_count
    return data


def group_dict(theme: str, package_count: int | None = None) -> dict[str, Any]:
    label = str(Theme(theme).label)
    data: dict[str, Any] = {
        "id": stable_id("group", theme),
        "name": group_name(theme),
        "title": label,
        "display_name": label,
        "description": f"http://publications.europa.eu/resource/authority/data-theme/{theme}",
        "image_url": "",
        "image_display_url": "",
        "created": None,
        "is_organization": False,
        "approval_status": "approved",
        "state": "active",
        "type": "group",
    }
    if package_count is not None:
        data["package_count"] = package_count
    return data


def resource_dict(entry: Entry, resource: Resource, position: int, ctx: Context) -> dict[str, Any]:
    modified = entry.modified.isoformat()
    return {
        "id": stable_id("resource", entry.dataset.pk, resource.key),
        "package_id": stable_id("dataset", entry.dataset.pk),
        "name": resource.name,
        "description": "" if resource.service is None else f"API: {resource.name}",
        "format": resource.format_label if resource.service is None else resource.name,
        "mimetype": resource.media_type,
        "url": ctx.base + resource.url,
        "url_type": None,
        "resource_type": "file" if resource.service is None else "api",
        "state": "active",
        "position": position,
        "created": entry.dataset.created_at.isoformat(),
        "last_modified": modified,
        "metadata_modified": modified,
        "size": None,
        "hash": "",
        "cache_url": None,
        "datastore_active": False,
    }


def package_dict(entry: Entry, ctx: Context) -> dict[str, Any]:
    ds = entry.dataset
    licence = Licence(ds.licence)
    tags = [
        {"id": stable_id("tag", k), "name": k, "display_name": k, "state": "active",
         "vocabulary_id": None}
        for k in ds.keywords
    ]  # fmt: skip
    resources = [resource_dict(entry, r, i, ctx) for i, r in enumerate(entry.resources)]
    return {
        "id": stable_id("dataset", ds.pk),
        "name": ds.slug,
        "title": ds.title_pl,
        "notes": ds.description_pl,
        "url": f"{ctx.base}/dane/{ds.slug}/",
        "version": str(entry.current.number) if entry.current else None,
        "author": ds.owner.name,
        "author_email": ds.owner.email or None,
        "maintainer": ds.contact_name or ds.owner.name,
        "maintainer_email": ds.contact_email or ds.owner.email or None,
        "license_id": licence.value,
        "license_title": licence.label,
        "license_url": LICENCE_URI.get(licence, ""),
        "isopen": licence != Licence.INTERNAL,
        "metadata_created": ds.created_at.isoformat(),
        "metadata_modified": entry.modified.isoformat(),
        "state": "active",
        "private": False,
        "type": "dataset",
        "owner_org": stable_id("org", ds.owner.code),
        "organization": organization_dict(ds.owner),
        "groups": [group_dict(ds.theme)],
        "tags": tags,
        "num_tags": len(tags),
        "resources": resources,
        "num_resources": len(resources),
        "relationships_as_object": [],
        "relationships_as_subject": [],
        "creator_user_id": None,
        "extras": _extras(entry),
    }


def _extras(entry: Entry) -> list[dict[str, str]]:
    ds = entry.dataset
    extras = {
        "frequency": f"http://publications.europa.eu/resource/authority/frequency/{ds.frequency}",
        "theme": f"http://publications.europa.eu/resource/authority/data-theme/{ds.theme}",
        "language": "http://publications.europa.eu/resource/authority/language/POL",
        "title_en": ds.title_en,
        "temporal_start": ds.temporal_start.isoformat() if ds.temporal_start else "",
        "temporal_end": ds.temporal_end.isoformat() if ds.temporal_end else "",
    }
    bbox = catalog.coverage_bbox(ds)
    if bbox:
        extras["spatial_bbox"] = json.dumps(bbox)
    return [{"key": k, "value": v} for k, v in extras.items() if v]


# --- search -------------------------------------------------------------------------------


def _terms(text: str, name: str) -> tuple[list[str], list[tuple[str, str]]]:
    """Free words and ``field:value`` terms of a Solr-like query (``AND``, ``+`` ignored)."""
    try:
        tokens = shlex.split(text)
    except ValueError:
        raise query_error(f"niezamknięty cudzysłów w „{name}”") from None
    words: list[str] = []
    fields: list[tuple[str, str]] = []
    for token in tokens:
        token = token.lstrip("+")
        if token in ("AND", "", "*:*"):
            continue
        field, sep, value = token.partition(":")
        if not sep:
            words.append(token)
            continue
        if field not in FIELDS:
            raise query_error(f"nieobsługiwane pole „{field[:40]}”; dostępne: {', '.join(FIELDS)}")
        fields.append((field, value.strip('"')))
    return words, fields


def _values(entry: Entry, field: str) -> set[str]:
    ds = entry.dataset
    if field == "tags":
        return set(ds.keywords)
    if field == "organization":
        return {org_name(ds.owner.code)}
    if field == "groups":
        return {group_name(ds.theme)}
    if field == "res_format":
        return {r.format_label if r.service is None else r.name for r in entry.resources}
    if field == "license_id":
        return {ds.licence}
    return {ds.slug}


def _matches(entry: Entry, fields: Iterable[tuple[str, str]]) -> bool:
    return all(value in _values(entry, field) for field, value in fields)


def _sort_key(spec: str) -> list[tuple[str, bool]]:
    keys: list[tuple[str, bool]] = []
    for part in spec.split(","):
        bits = part.split()
        if not bits:
            continue
        field, order = bits[0], (bits[1].lower() if len(bits) > 1 else "asc")
        if field not in SORTS or order not in ("asc", "desc") or len(bits) > 2:
            raise query_error(f"nieobsługiwany porządek „{part.strip()[:60]}”")
        keys.append((field, order == "desc"))
    return keys


def _sort(entries: list[Entry], spec: str) -> list[Entry]:
    """Stable sorts, the last key first (``score`` — relevance — keeps the order found)."""
    getters: dict[str, Callable[[Entry], Any]] = {
        "name": lambda e: e.slug,
        "title_string": lambda e: e.dataset.title_pl.lower(),
        "metadata_modified": lambda e: e.modified,
        "metadata_created": lambda e: e.dataset.created_at,
    }
    for field, descending in reversed(_sort_key(spec)):
        if field in getters:
            entries.sort(key=getters[field], reverse=descending)
    return entries


def _facets(entries: list[Entry], names: list[str], limit: int) -> dict[str, Any]:
    search_facets: dict[str, Any] = {}
    for name in names:
        counts: Counter[str] = Counter()
        if name in FIELDS:
            for entry in entries:
                counts.update(_values(entry, name))
        items = counts.most_common(None if limit < 0 else limit)
        search_facets[name] = {
            "title": name,
            "items": [{"name": v, "display_name": v, "count": c} for v, c in items],
        }
    return search_facets


@action
def package_search(params: Params, ctx: Context) -> dict[str, Any]:
    """Search the public datasets: q, fq (tags:, organization:, res_format:, groups:, name:,
    license_id:), rows (≤ 1000), start, sort, facet.field, facet.limit."""
    q = _text(params, "q")
    fq = _text(params, "fq")
    rows = _int(params, "rows", ROWS_DEFAULT, ROWS_MAX)
    start = _int(params, "start", 0, START_MAX)
    sort = _text(params, "sort", DEFAULT_SORT, 200) or DEFAULT_SORT
    facet_limit = params.get("facet.limit", 50)
    facet_limit = -1 if str(facet_limit).strip() == "-1" else _int(params, "facet.limit", 50, 1000)
    words, fields = _terms(q, "q")
    more_words, more_fields = _terms(fq, "fq")
    entries = [
        e for e in catalog.public_entries(" ".join(words + more_words)[:200])
        if _matches(e, fields + more_fields)
    ]  # fmt: skip
    entries = _sort(entries, sort)
    facets = _facets(entries, _list(params, "facet.field"), facet_limit)
    return {
        "count": len(entries),
        "sort": sort,
        "facets": {k: {i["name"]: i["count"] for i in v["items"]} for k, v in facets.items()},
        "search_facets": facets,
        "results": [package_dict(e, ctx) for e in entries[start : start + rows]],
    }


# --- the other actions ----------------------------------------------------------------------


@action
def status_show(params: Params, ctx: Context) -> dict[str, Any]:
    """The site's title, address, CKAN version it answers as, extensions."""
    city = catalog.city()
    return {
        "site_title": f"Miasto — {city.name}" if city else "Miasto",
        "site_description": "Otwarte dane miasta (katalog zgodny z CKAN Action API).",
        "site_url": ctx.base,
        "ckan_version": CKAN_VERSION,
        "error_emails_to": None,
        "locale_default": "pl",
        "extensions": ["miasto", f"miasto-{__version__}", "dcat"],
    }


@action
def package_list(params: Params, ctx: Context) -> list[str]:
    """The names of the public datasets: limit, offset."""
    limit = _int(params, "limit", LIST_MAX, LIST_MAX)
    offset = _int(params, "offset", 0, START_MAX)
    return [e.slug for e in catalog.public_entries()][offset : offset + limit]


def _entry(ref: str) -> Entry:
    """A public dataset by name (slug) or id."""
    entry = catalog.public_entry(ref)
    if entry is None and re.fullmatch(r"[0-9a-f-]{36}", ref):
        entry = next(
            (e for e in catalog.public_entries() if stable_id("dataset", e.dataset.pk) == ref),
            None,
        )
    if entry is None:
        raise not_found("Dataset")
    return entry


@action
def package_show(params: Params, ctx: Context) -> dict[str, Any]:
    """A public dataset by name or id: id."""
    return package_dict(_entry(_id(params)), ctx)


@action
def resource_show(params: Params, ctx: Context) -> dict[str, Any]:
    """A resource (a file or an API endpoint of a public dataset): id."""
    ref = _id(params)
    for entry in catalog.public_entries():
        for position, resource in enumerate(entry.resources):
            if stable_id("resource", entry.dataset.pk, resource.key) == ref:
                return resource_dict(entry, resource, position, ctx)
    raise not_found("Resource")


def _units(entries: list[Entry]) -> dict[str, tuple[Any, int]]:
    """Owner units of public datasets: name → (unit, package count)."""
    found: dict[str, tuple[Any, int]] = {}
    for entry in entries:
        name = org_name(entry.dataset.owner.code)
        unit, count = found.get(name, (entry.dataset.owner, 0))
        found[name] = (unit, count + 1)
    return dict(sorted(found.items()))


@action
def organization_list(params: Params, ctx: Context) -> list[Any]:
    """The owner units of public datasets: all_fields."""
    units = _units(catalog.public_entries())
    if _bool(params, "all_fields"):
        return [organization_dict(u, n) for u, n in units.values()]
    return list(units)


@action
def organization_show(params: Params, ctx: Context) -> dict[str, Any]:
    """An owner unit by name or id: id, include_datasets."""
    ref = _id(params)
    entries = catalog.public_entries()
    for name, (unit, count) in _units(entries).items():
        if ref in (name, stable_id("org", unit.code)):
            data = organization_dict(unit, count)
            if _bool(params, "include_datasets"):
                owned = [e for e in entries if e.dataset.owner.code == unit.code]
                data["packages"] = [package_dict(e, ctx) for e in owned[:1000]]
            return data
    raise not_found("Organization")


@action
def group_list(params: Params, ctx: Context) -> list[Any]:
    """The EU data themes of public datasets: all_fields."""
    counts = Counter(e.dataset.theme for e in catalog.public_entries())
    themes = sorted(counts)
    if _bool(params, "all_fields"):
        return [group_dict(t, counts[t]) for t in themes]
    return [group_name(t) for t in themes]


@action
def tag_list(params: Params, ctx: Context) -> list[Any]:
    """The keywords of public datasets: query, all_fields."""
    query = _text(params, "query", limit=100).lower()
    tags = sorted({k for e in catalog.public_entries() for k in e.dataset.keywords})
    if query:
        tags = [t for t in tags if query in t.lower()]
    if _bool(params, "all_fields"):
        return [
            {"id": stable_id("tag", t), "name": t, "display_name": t, "state": "active",
             "vocabulary_id": None}
            for t in tags
        ]  # fmt: skip
    return tags


@action
def help_show(params: Params, ctx: Context) -> str:
    """What an action does and its parameters: name."""
    name = _text(params, "name", limit=100)
    if name not in ACTIONS:
        raise not_found("Action")
    return (ACTIONS[name].__doc__ or f"CKAN action {name}.").strip()


def run(name: str, params: Params, ctx: Context) -> Any:
    """The result of action ``name``; :class:`CkanError` for an unknown one."""
    if name not in ACTIONS:
        raise CkanError("Bad Request", 400, f"Bad request - Action name not known: {name[:60]}")
    return ACTIONS[name](params, ctx)

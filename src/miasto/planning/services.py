"""Writes for plans and zones: keyword-only, atomic, audited."""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, TypedDict, Unpack

import shapely
from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon
from django.db import transaction
from django.db.models import Q

from miasto.core.audit import current_actor
from miasto.planning import app_gml
from miasto.planning.catalogue import catalogue_for
from miasto.planning.events import plan_status_changed
from miasto.planning.models import LegalAct, Plan, PlanStatusChange, SpecialArea, Zone
from miasto.planning.statuses import (
    DRAFT_STATUSES,
    ENDING_STATUSES,
    FROM_APP_STATUS,
    STATUS_PL,
    PlanStatus,
    allowed_next,
    can_transition,
)
from miasto.planning.validation import (
    ERROR,
    Problem,
    ZoneInput,
    errors_of,
    validate_zones,
)


class PlanError(Exception):
    """A rejected planning operation; ``problems`` lists everything found (Polish)."""

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems = problems or []

    def __str__(self) -> str:
        if not self.problems:
            return self.message
        return self.message + "\n" + "\n".join(f"- {p}" for p in self.problems)


class TransitionNotAllowed(PlanError):
    pass


def _multi(geom: Any) -> MultiPolygon:
    """shapely or GEOS polygon/multipolygon → GEOS MultiPolygon in the storage SRID."""
    if not isinstance(geom, GEOSGeometry):
        geom = GEOSGeometry(memoryview(shapely.to_wkb(geom)), srid=settings.MIASTO_SRID)
    if geom.geom_type == "Polygon":
        geom = MultiPolygon(geom, srid=geom.srid)
    return geom


# ------------------------------------------------------------------ status -----------------


@transaction.atomic
def plan_change_status(
    *,
    plan: Plan,
    status: str,
    effective: dt.date | None = None,
    legal_act: LegalAct | None = None,
    note: str = "",
) -> Plan:
    """Move the plan to ``status`` if the state machine allows it; record and audit it.

    Entering force sets the zones' start date (if unset); annulment or expiry ends every
    zone still in force on ``effective``.
    """
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if not can_transition(plan.status, status):
        allowed = ", ".join(STATUS_PL[s] for s in allowed_next(plan.status)) or "żadna"
        raise TransitionNotAllowed(
            f"Niedozwolona zmiana statusu planu {plan.local_id}: "
            f"{STATUS_PL[plan.status]} → {STATUS_PL.get(status, status)}. "
            f"Dozwolone: {allowed}."
        )
    effective = effective or dt.date.today()
    previous = plan.status
    plan.status = status
    if status == PlanStatus.IN_FORCE:
        plan.valid_from = plan.valid_from or effective
        plan.zones.filter(valid_from__isnull=True).update(valid_from=plan.valid_from)
        plan.special_areas.filter(valid_from__isnull=True).update(valid_from=plan.valid_from)
    if status in ENDING_STATUSES:
        plan.valid_to = effective
        for model in (Zone, SpecialArea):
            model.objects.filter(plan=plan).filter(
                Q(valid_to__isnull=True) | Q(valid_to__gt=effective)
            ).filter(Q(valid_from__isnull=True) | Q(valid_from__lt=effective)).update(
                valid_to=effective
            )
    plan.save()
    PlanStatusChange.objects.create(
        plan=plan,
        from_status=previous,
        to_status=status,
        effective=effective,
        legal_act=legal_act,
        note=note[:500],
        actor_name=current_actor.get().username[:150],
    )
    plan_status_changed(plan, previous)
    return plan


# ------------------------------------------------------------------ plans & zones ----------


class PlanDetails(TypedDict, total=False):
    """The optional attributes of a new plan (:func:`plan_create`)."""

    namespace: str
    #: the boundary (shapely or GEOS polygon/multipolygon)
    geom: Any
    #: other than *initiated* for registering existing plans (imports, historical data)
    status: str
    valid_from: dt.date | None
    amends: Plan | None
    description: str
    #: the note of the first status change
    note: str


@transaction.atomic
def plan_create(*, kind: str, title: str, local_id: str, **details: Unpack[PlanDetails]) -> Plan:
    """Register a plan. ``status`` other than *initiated* is for registering existing plans
    (imports, historical data): it is recorded as the first status change."""
    namespace = details.get("namespace", "")
    geom = details.get("geom")
    status = details.get("status", PlanStatus.INITIATED)
    valid_from = details.get("valid_from")
    amends = details.get("amends")
    description = details.get("description", "")
    note = details.get("note", "")
    plan = Plan(
        kind=kind,
        title=title,
        local_id=local_id,
        namespace=namespace,
        geom=_multi(geom) if geom is not None else None,
        valid_from=valid_from,
        amends=amends,
        description=description,
        catalogue=catalogue_for(valid_from).key,
    )
    plan.status = status
    plan.full_clean()
    plan.save()
    PlanStatusChange.objects.create(
        plan=plan,
        from_status="",
        to_status=status,
        effective=valid_from or dt.date.today(),
        note=note or "rejestracja planu",
        actor_name=current_actor.get().username[:150],
    )
    return plan


def zone_input_from(zone: Zone) -> ZoneInput:
    params = {
        name: getattr(zone, name)
        for name in (
            "min_intensity", "max_intensity", "max_coverage", "min_bio_active", "max_height",
            "max_storeys", "min_plot_area", "parking_ratio",
        )
    }  # fmt: skip
    if zone.category == Zone.Category.POG_ZONE:
        params = {k: v for k, v in params.items() if v is not None}

    params = {k: (Decimal(v) if v is not None else None) for k, v in params.items()}
    return ZoneInput(
        local_id=zone.local_id,
        designation=zone.designation,
        symbol=zone.symbol,
        category=zone.category,
        name=zone.name,
        basic_profile=list(zone.basic_profile),
        additional_profile=list(zone.additional_profile),
        params=params,
        geom=shapely.from_wkb(bytes(zone.geom.wkb)) if zone.geom else None,
        land_use_classes=list(zone.land_use_classes),
    )


def _zone_from_input(plan: Plan, z: ZoneInput, **extra: Any) -> Zone:
    params: dict[str, Decimal | int] = {k: v for k, v in z.params.items() if v is not None}
    if "max_storeys" in params:
        params["max_storeys"] = int(params["max_storeys"])
    return Zone(
        plan=plan,
        category=z.category,
        local_id=z.local_id,
        designation=z.designation,
        number=z.number,
        symbol=z.symbol,
        name=z.name[:250],
        land_use_classes=z.land_use_classes,
        basic_profile=z.basic_profile,
        additional_profile=z.additional_profile,
        geom=_multi(z.geom),
        **params,
        **extra,
    )


@transaction.atomic
def plan_set_zones(
    *,
    plan: Plan,
    zones: list[ZoneInput],
    valid_from: dt.date | None = None,
    rules: dict[str, str] | None = None,
) -> list[Zone]:
    """Replace the zones of a draft plan (or give a plan its first zones), all validated
    together; raises :class:`PlanError` naming every problem, writing nothing."""
    if plan.status not in DRAFT_STATUSES and plan.zones.exists():
        raise PlanError(
            f"Plan {plan.local_id} ma status „{STATUS_PL[plan.status]}” i strefy — "
            "zmiany wprowadza się planem zmieniającym (zmianą planu), nie przez podmianę stref."
        )
    plan_geom = shapely.from_wkb(bytes(plan.geom.wkb)) if plan.geom else None
    problems = validate_zones(zones, plan_kind=plan.kind, plan_geom=plan_geom)
    errors = errors_of(problems)
    if errors:
        raise PlanError(f"Strefy planu {plan.local_id} odrzucone.", errors)
    plan.zones.all().delete()
    rules = rules or {}
    objs = [
        _zone_from_input(
            plan,
            z,
            valid_from=z.extra.get("valid_from") or valid_from or plan.valid_from,
            valid_to=z.extra.get("valid_to"),
            version_id=z.extra.get("version_id", ""),
            rules=rules.get(z.local_id, ""),
        )
        for z in zones
    ]
    for obj in objs:
        obj.full_clean(exclude=["plan"], validate_constraints=False)
    return Zone.objects.bulk_create(objs)


@transaction.atomic
def plan_apply_amendment(*, amendment: Plan, effective: dt.date) -> Plan:
    """Bring an amending plan into force: the amended plan's zones inside the amendment's
    boundary end on ``effective`` (their remainders outside continue as new versions), the
    amendment's zones start, the original plan becomes *amended*. History is kept."""
    original = amendment.amends
    if original is None:
        raise PlanError(f"Plan {amendment.local_id} nie wskazuje planu, który zmienia.")
    if amendment.geom is None:
        raise PlanError(f"Plan zmieniający {amendment.local_id} nie ma granicy.")
    boundary = amendment.geom
    affected = Zone.objects.filter(plan=original, valid_to__isnull=True, geom__intersects=boundary)
    for zone in affected:
        rest = zone.geom.difference(boundary)
        zone.valid_to = effective
        zone.save(update_fields=["valid_to"])
        if not rest.empty and rest.area > 1.0:
            # (a GEOS collection iterates over its parts; the stubs do not say so)
            polygons = [g for g in (rest if rest.geom_type.startswith("Multi") or  # type: ignore[union-attr]
                                    rest.geom_type == "GeometryCollection" else [rest])
                        if g.geom_type == "Polygon" and g.area > 1.0]  # fmt: skip
            if polygons:
                remainder = MultiPolygon(*polygons, srid=zone.geom.srid)
                Zone.objects.create(
                    **{
                        f.name: getattr(zone, f.name)
                        for f in Zone._meta.concrete_fields
                        if f.name not in ("id", "geom", "valid_from", "valid_to", "supersedes")
                    },
                    geom=remainder,
                    valid_from=effective,
                    supersedes=zone,
                )
    amendment.valid_from = effective
    amendment.save(update_fields=["valid_from"])
    amendment.zones.update(valid_from=effective)
    if amendment.status != PlanStatus.IN_FORCE:
        plan_change_status(plan=amendment, status=PlanStatus.IN_FORCE, effective=effective)
    plan_change_status(
        plan=original,
        status=PlanStatus.AMENDED,
        effective=effective,
        note=f"zmieniony planem {amendment.local_id}",
    )
    original.refresh_from_db()
    return original


# ------------------------------------------------------------------ APP import -------------


@dataclass
class ImportResult:
    plan: Plan
    created: bool
    zones: int = 0
    special_areas: int = 0
    documents: int = 0
    warnings: list[Problem] = field(default_factory=list)

    def summary(self) -> str:
        verb = "utworzono" if self.created else "zaktualizowano"
        text = (
            f"Plan {self.plan.local_id} ({self.plan.get_kind_display()}): {verb}; "
            f"strefy: {self.zones}, obszary OUZ/OZS/OSD: {self.special_areas}, "
            f"dokumenty: {self.documents}."
        )
        if self.warnings:
            text += "\nUwagi:\n" + "\n".join(f"- {w}" for w in self.warnings)
        return text


def _plan_local_id_from_zone(local_id: str) -> str:
    return local_id.split("-", 1)[0] if "-" in local_id else ""


def _find_plan(parsed: app_gml.ParsedFile, plan: Plan | None) -> Plan | None:
    if plan is not None:
        return plan
    for zone in parsed.zones:
        namespace = zone.extra.get("namespace", "")
        href = zone.extra.get("plan_href", "")
        candidates = Plan.objects.filter(namespace=namespace) if namespace else Plan.objects.none()
        guess = _plan_local_id_from_zone(zone.local_id)
        if guess and candidates.filter(local_id=guess).exists():
            return candidates.get(local_id=guess)
        if href:
            for p in candidates:
                if p.local_id and p.local_id in href:
                    return p
    for area in parsed.specials:
        guess = _plan_local_id_from_zone(area.local_id)
        found = Plan.objects.filter(namespace=area.namespace, local_id=guess).first()
        if found:
            return found
    return None


def plan_import_app(*, path: Path | str, plan: Plan | None = None) -> ImportResult:
    """Import an APP 2.0 GML file: a plan act, its zones, OUZ/OZS/OSD areas, documents.

    Several files may make one plan: the act file first, then the zones file — zones attach
    to the plan with the same ``przestrzenNazw`` whose ``lokalnyId`` prefixes theirs
    (``1POG`` ← ``1POG-1SJ``), or to ``plan`` when given. Atomic: a rejected file writes
    nothing and :class:`PlanError` lists every problem, naming the zone.

    Steps: read (:func:`_read_app`), find the target plan (:func:`_import_target`), check
    everything (:func:`_import_problems`), then write in one transaction the act
    (:func:`_import_act`), documents, zones and special areas.
    """
    path = Path(path)
    parsed = _read_app(path)
    problems = list(parsed.problems)
    if len(parsed.acts) > 1:
        problems.append(Problem("plik zawiera więcej niż jeden akt planowania przestrzennego"))
    act = parsed.acts[0] if parsed.acts else None
    target = _import_target(parsed, act, plan, problems)
    problems += _import_problems(parsed, act, target)
    errors = [p for p in problems if p.severity == ERROR]
    if errors:
        raise PlanError(
            f"Import pliku {path.name} odrzucony — nic nie zapisano. Znalezione problemy "
            f"({len(errors)}):",
            errors,
        )
    warnings = [p for p in problems if p.severity != ERROR]
    with transaction.atomic():
        created = False
        if act is not None:
            target, created = _import_act(act, target, path.name)
        assert target is not None  # (_import_target raised without an act and a plan)
        documents = _import_documents(target, parsed.documents, act)
        zone_count = _import_zones(target, parsed.zones)
        special_count = _import_special_areas(target, parsed.specials)
    return ImportResult(target, created, zone_count, special_count, documents, warnings)


def _read_app(path: Path) -> app_gml.ParsedFile:
    """The parsed file; :class:`PlanError` for a file that is unsafe or not APP 2.0."""
    try:
        return app_gml.parse_app(app_gml.load_document(path))
    except app_gml.AppFormatError as exc:
        raise PlanError(exc.message, exc.problems) from None


def _import_target(
    parsed: app_gml.ParsedFile,
    act: app_gml.ParsedAct | None,
    plan: Plan | None,
    problems: list[Problem],
) -> Plan | None:
    """The registered plan the file updates: ``plan`` if given, else the act's own plan
    (None: a new one), else the plan its zones or areas name; without an act and without
    such a plan, :class:`PlanError` (with ``problems`` found so far)."""
    if act is not None:
        if plan is not None:
            return plan
        return Plan.objects.filter(namespace=act.namespace, local_id=act.local_id).first()
    target = _find_plan(parsed, plan)
    if target is None and (parsed.zones or parsed.specials):
        raise PlanError(
            "Plik zawiera strefy, ale nie ma w nim aktu planowania przestrzennego, a w "
            "rejestrze nie ma planu o tej przestrzeni nazw — zaimportuj najpierw plik aktu "
            "(AktPlanowaniaPrzestrzennego) albo wskaż plan (--plan).",
            problems,
        )
    if target is None:
        raise PlanError("Plik nie zawiera aktu planowania ani stref.", problems)
    return target


def _import_problems(
    parsed: app_gml.ParsedFile, act: app_gml.ParsedAct | None, target: Plan | None
) -> list[Problem]:
    """Every problem of importing ``parsed`` into ``target``: zones outside a general plan,
    the planning rules of the zones, zones replacing those of a plan past its drafts."""
    problems: list[Problem] = []
    kind = act.kind if act else (target.kind if target else "")
    if parsed.zones and kind and kind != "pog":
        problems.append(
            Problem("strefy planistyczne (StrefaPlanistyczna) należą tylko do planu ogólnego")
        )
    foreign = _foreign_parts(parsed, target) if act is None else []
    problems += foreign
    if act is not None and act.geom is not None:
        plan_geom = act.geom
    elif target is not None and target.geom is not None and not foreign:
        # (zones of another act are not measured against this plan's boundary: every one
        # would be "outside" it, hiding the one real problem said above)
        plan_geom = shapely.from_wkb(bytes(target.geom.wkb))
    else:
        plan_geom = None
    if parsed.zones:
        problems += validate_zones(
            parsed.zones,
            plan_kind=kind or "pog",
            plan_geom=plan_geom,
            source_srid=min(parsed.source_srids) if parsed.source_srids else None,
        )
    if (
        target is not None
        and target.status not in DRAFT_STATUSES
        and parsed.zones
        and target.zones.exists()
    ):
        problems.append(
            Problem(
                f"plan {target.local_id} ma status „{STATUS_PL[target.status]}” "
                "i strefy — nie można ich podmienić importem; wprowadź zmianę planu"
            )
        )
    return problems


def _foreign_parts(parsed: app_gml.ParsedFile, target: Plan | None) -> list[Problem]:
    """Zones or areas of a file without an act that belong to another act than ``target``
    (e.g. a plan given with ``--plan``): their namespace (``przestrzenNazw``) differs from the
    plan's, or their ``lokalnyId`` names another plan in it (``1POG-1SJ`` → ``1POG``)."""
    if target is None or not target.namespace:
        return []  # (a plan registered without a namespace: nothing to compare with)
    parts = [(z.extra.get("namespace", ""), z.local_id) for z in parsed.zones]
    parts += [(a.namespace, a.local_id) for a in parsed.specials]
    namespaces = sorted({ns for ns, _local in parts if ns and ns != target.namespace})
    if namespaces:
        listed = ", ".join(f"„{ns[:100]}”" for ns in namespaces[:3])
        return [
            Problem(
                f"obiekty pliku mają przestrzeń nazw (przestrzenNazw) {listed}, a plan "
                f"{target.local_id} — „{target.namespace}”: należą do innego aktu planowania. "
                "Wskaż plan, do którego należą, albo zaimportuj najpierw jego plik aktu"
            )
        ]
    owners = sorted({_plan_local_id_from_zone(local) for _ns, local in parts} - {""})
    if target.local_id and owners and target.local_id not in owners:
        return [
            Problem(
                f"identyfikatory lokalnyId obiektów pliku wskazują plan {', '.join(owners[:3])}, "
                f"a wskazany plan to {target.local_id}: należą do innego aktu planowania"
            )
        ]
    return []


def _import_act(act: app_gml.ParsedAct, target: Plan | None, name: str) -> tuple[Plan, bool]:
    """The plan of ``act``: registered (``created`` True) or ``target`` updated."""
    created = False
    if target is None:
        target = plan_create(
            kind=act.kind,
            title=act.title,
            local_id=act.local_id,
            namespace=act.namespace,
            geom=act.geom,
            status=FROM_APP_STATUS.get(act.status_code, PlanStatus.IN_PREPARATION),
            valid_from=act.valid_from,
            note=f"import APP: {name}",
        )
        created = True
    else:
        target.title = act.title or target.title
        if act.geom is not None:
            target.geom = _multi(act.geom)
        target.valid_from = act.valid_from
        target.save()
    target.version_id = act.version_id
    target.valid_to = act.valid_to
    target.level = act.level or target.level
    target.save()
    return target, created


def _document_kind(doc: app_gml.ParsedDocument, act: app_gml.ParsedAct | None) -> str:
    """The legal-act kind of ``doc``: as the act refers to it, else *other*."""
    kind_code = "other"
    if act is not None:
        for href, ref_kind in act.document_refs.items():
            if doc.gml_id and href.endswith(doc.gml_id) or doc.local_id in href:
                kind_code = ref_kind
    return kind_code


def _import_documents(
    target: Plan, documents: list[app_gml.ParsedDocument], act: app_gml.ParsedAct | None
) -> int:
    for doc in documents:
        LegalAct.objects.update_or_create(
            plan=target,
            local_id=doc.local_id,
            defaults={
                "kind": _document_kind(doc, act),
                "title": doc.title[:500],
                "number": doc.number[:100],
                "date": doc.date,
                "journal_position": doc.journal_position[:200],
                "url": doc.url[:500],
            },
        )
    return len(documents)


def _import_zones(target: Plan, zones: list[ZoneInput]) -> int:
    if not zones:
        return 0
    valid_from = None if target.status in DRAFT_STATUSES else target.valid_from
    return len(plan_set_zones(plan=target, zones=zones, valid_from=valid_from))


def _import_special_areas(target: Plan, areas: list[app_gml.ParsedSpecial]) -> int:
    """The file's OUZ/OZS/OSD areas replace the plan's (if it has any)."""
    if not areas:
        return 0
    target.special_areas.all().delete()
    for area in areas:
        SpecialArea.objects.create(
            plan=target,
            kind=area.kind,
            local_id=area.local_id,
            version_id=area.version_id,
            designation=area.designation,
            attributes=area.attributes,
            valid_from=area.valid_from,
            valid_to=area.valid_to,
            geom=_multi(area.geom),
        )
    return len(areas)


def plan_import_app_bytes(
    *, data: bytes, name: str = "upload.gml", plan: Plan | None = None
) -> ImportResult:
    """The same for uploaded content (written to a private temporary file first)."""
    with tempfile.TemporaryDirectory(prefix="miasto-app-") as tmp:
        target = Path(tmp) / (Path(name).name or "upload.gml")
        target.write_bytes(data)
        return plan_import_app(path=target, plan=plan)

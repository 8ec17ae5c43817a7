"""Demo problem reports (``miasto demo-problems``): a catalogue of eight categories with their
units and a routing rule, and about 2 000 reports over the last year at the demo city's
addresses, in every status, with public answers. Deterministic (seeded); no personal data."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from miasto.core.models import AnswerTemplate
from miasto.problems import routing
from miasto.problems.models import (
    Report,
    ReportUpdate,
    RoutingRule,
    Service,
    ServiceAttribute,
)
from miasto.problems.statuses import FINAL, Status
from miasto.territory.models import Address, City, District, OrgUnit

UNITS = [
    ("ZDM", "Zarząd Dróg Miejskich"),
    ("ZZM", "Zarząd Zieleni Miejskiej"),
    ("WGK", "Wydział Gospodarki Komunalnej"),
    ("SM", "Straż Miejska"),
]
#: (code, name, group, unit, keywords)
SERVICES = [
    ("dziura", "Dziura w jezdni lub chodniku", "drogi", "ZDM", "dziura, jezdnia, chodnik"),
    ("latarnia", "Niedziałająca latarnia", "drogi", "ZDM", "oświetlenie, latarnia"),
    ("znak", "Uszkodzony lub brakujący znak", "drogi", "ZDM", "znak, oznakowanie"),
    ("drzewo", "Drzewo do przycięcia lub usunięcia", "zieleń", "ZZM", "drzewo, gałąź"),
    ("smieci", "Dzikie wysypisko śmieci", "czystość", "WGK", "śmieci, odpady"),
    ("kosz", "Przepełniony kosz na śmieci", "czystość", "WGK", "kosz, odpady"),
    ("graffiti", "Graffiti na budynku publicznym", "porządek", "SM", "graffiti, dewastacja"),
    ("porzucony", "Porzucony pojazd", "porządek", "SM", "samochód, wrak"),
]
DESCRIPTIONS = [
    "Problem jest widoczny od kilku dni.",
    "Stanowi zagrożenie dla pieszych.",
    "Proszę o pilną interwencję.",
    "Zgłaszam po raz pierwszy.",
    "Sytuacja pogarsza się po opadach.",
]
ANSWERS = {
    Status.ACKNOWLEDGED: "Zgłoszenie przyjęte, przekazaliśmy je ekipie.",
    Status.IN_PROGRESS: "Prace zaplanowano na najbliższe dni.",
    Status.RESOLVED: "Naprawione. Dziękujemy za zgłoszenie.",
    Status.CLOSED: "Sprawa należy do zarządcy terenu; przekazaliśmy ją właścicielowi.",
    Status.REJECTED: "Po sprawdzeniu na miejscu nie stwierdzono problemu.",
    Status.DUPLICATE: "Ten sam problem został już zgłoszony.",
}


class NoCity(Exception):
    pass


@dataclass
class DemoProblemsResult:
    services: int
    reports: int
    skipped: bool = False

    def summary(self) -> str:
        if self.skipped:
            return "Zgłoszenia demonstracyjne już są — pominięto."
        return f"Zgłoszenia: {self.reports} w {self.services} kategoriach."


def _catalogue() -> list[Service]:
    units = {
        code: OrgUnit.objects.get_or_create(code=code, defaults={"name": name})[0]
        for code, name in UNITS
    }
    services = []
    for order, (code, name, group, unit, keywords) in enumerate(SERVICES):
        service, _ = Service.objects.update_or_create(
            code=code,
            defaults={"name": name, "group": group, "unit": units[unit], "keywords": keywords,
                      "order": order, "description": name},
        )  # fmt: skip
        services.append(service)
    ServiceAttribute.objects.get_or_create(
        service=services[0], code="nawierzchnia", defaults={
            "description": "Gdzie jest dziura?", "datatype": "singlevaluelist",
            "required": False, "values": [{"key": "jezdnia", "name": "na jezdni"},
                                          {"key": "chodnik", "name": "na chodniku"}],
        },
    )  # fmt: skip
    district = District.objects.order_by("code").first()
    if district is not None:  # graffiti in the first district: the district's own patrol
        patrol, _ = OrgUnit.objects.get_or_create(
            code="SM-1", defaults={"name": f"Straż Miejska — rewir {district.name}"}
        )
        RoutingRule.objects.get_or_create(service=services[6], district=district, unit=patrol)
    AnswerTemplate.objects.get_or_create(
        module="problems",
        title="Przyjęcie zgłoszenia",
        defaults={"body": ANSWERS[Status.ACKNOWLEDGED] + " (zgłoszenie nr {numer} z {data})"},
    )
    return services


def _status(rng: random.Random, age_days: float) -> Status:
    if age_days < 3:
        return rng.choice([Status.OPEN, Status.OPEN, Status.ACKNOWLEDGED])
    if age_days < 30:
        return rng.choice([Status.OPEN, Status.ACKNOWLEDGED, Status.IN_PROGRESS, Status.RESOLVED])
    weights = [2, 2, 4, 60, 12, 10, 10]
    return rng.choices(list(Status), weights=weights)[0]


def _report(rng: random.Random, service: Service, address: Address, now: datetime) -> Report:
    age = rng.uniform(0, 365)
    requested = now - timedelta(days=age)
    status = _status(rng, age)
    answered = requested + timedelta(hours=rng.uniform(1, 96)) if status != Status.OPEN else None
    closed = None
    if status in FINAL and answered is not None:
        closed = min(answered + timedelta(days=rng.uniform(0, 20)), now)
    return Report(
        service=service, status=status, geom=address.geom, address=str(address),
        description=f"{service.name}. {rng.choice(DESCRIPTIONS)}",
        unit_id=service.unit_id, channel="web",
        requested_at=requested, updated_at=closed or answered or requested,
        answered_at=answered, closed_at=closed,
        public_note=ANSWERS[status] if status != Status.OPEN and answered else "",
    )  # fmt: skip


def _updates(report: Report) -> list[ReportUpdate]:
    rows = [ReportUpdate(report=report, status_to=Status.OPEN, at=report.requested_at)]
    if report.status != Status.OPEN and report.answered_at:
        at = report.closed_at or report.answered_at
        rows.append(
            ReportUpdate(report=report, status_from=Status.OPEN, status_to=report.status,
                         note=ANSWERS[Status(report.status)], at=at)
        )  # fmt: skip
    return rows


def _route(reports: list[Report]) -> None:
    """Each report's unit and district, set-based (routing.route_many), 5 000 at a time."""
    for start in range(0, len(reports), 5000):
        batch = reports[start : start + 5000]
        routes = routing.route_many([(r.service_id, r.geom.x, r.geom.y) for r in batch])
        for report, where in zip(batch, routes, strict=True):
            if where is not None:
                report.unit_id, report.district_id = where.unit_id, where.district_id


@transaction.atomic
def demo_problems_generate(count: int = 2000, *, if_missing: bool = False, seed: int = 16):
    """The catalogue and ``count`` reports (see the module)."""
    if not City.objects.exists():
        raise NoCity("Najpierw wygeneruj miasto: miasto demo-city.")
    if if_missing and Report.objects.exists():
        return DemoProblemsResult(Service.objects.count(), Report.objects.count(), skipped=True)
    services = _catalogue()
    ids = list(Address.objects.order_by("id").values_list("id", flat=True))
    if not ids:
        raise NoCity("Miasto nie ma adresów.")
    rng, now = random.Random(seed), timezone.now()
    picked = {a.pk: a for a in Address.objects.filter(pk__in=rng.sample(ids, min(count, len(ids))))}
    addresses = [picked[pk] for pk in sorted(picked)]
    reports = [
        _report(rng, rng.choice(services), addresses[i % len(addresses)], now) for i in range(count)
    ]
    # in the order they came in, as in life: ids and the table's rows follow the time, which
    # is the order every list reads them in
    reports.sort(key=lambda r: r.requested_at)
    _route(reports)
    Report.objects.bulk_create(reports, batch_size=2000)
    ReportUpdate.objects.bulk_create([u for r in reports for u in _updates(r)], batch_size=1000)
    return DemoProblemsResult(len(services), len(reports))

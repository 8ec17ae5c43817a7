"""The demo city service: generate, load atomically, record the audit summary."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field

from django.db import transaction
from tqdm import tqdm

from miasto.core.audit import acting_as, audit_record_bulk
from miasto.democity import loader
from miasto.democity.generator import generate
from miasto.democity.layout import SCALES
from miasto.territory import models as territory

MODELS = {
    "territory_city": territory.City,
    "territory_district": territory.District,
    "territory_precinct": territory.Precinct,
    "territory_block": territory.Block,
    "territory_street": territory.Street,
    "territory_roadsegment": territory.RoadSegment,
    "territory_parcel": territory.Parcel,
    "territory_building": territory.Building,
    "territory_address": territory.Address,
    "territory_orgunit": territory.OrgUnit,
    "territory_publicservice": territory.PublicService,
    "territory_constraint": territory.Constraint,
}


class CityExists(Exception):
    """A city is already loaded and neither ``if_missing`` nor ``replace`` was asked for."""


@dataclass
class DemoCityResult:
    created: bool
    scale: str
    seed: int
    counts: dict[str, int] = field(default_factory=dict)
    stats: dict[str, object] = field(default_factory=dict)
    seconds: float = 0.0

    def summary(self) -> str:
        if not self.created:
            return "Miasto już istnieje — pominięto generowanie (--if-missing)."
        s = self.stats
        return (
            f"Miasto Przykładowe ({self.scale}, seed {self.seed}): "
            f"{s['parcels']} działek, {s['buildings']} budynków, {s['addresses']} adresów, "
            f"{s['residents']} mieszkańców, {s['streets']} ulic, {s['segments']} odcinków dróg, "
            f"{s['services']} usług publicznych w {self.seconds:.1f} s"
        )


def demo_city_generate(
    *,
    scale: str = "city",
    seed: int = 2026,
    if_missing: bool = False,
    replace: bool = False,
    progress: bool = True,
) -> DemoCityResult:
    """Generate the demo city and load it; all or nothing.

    Raises :class:`CityExists` when a city is present and neither flag is given.
    """
    started = time.monotonic()
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}; choose one of {', '.join(SCALES)}")
    exists = territory.City.objects.exists()
    if exists and if_missing:
        return DemoCityResult(False, scale, seed)
    if exists and not replace:
        raise CityExists(
            "Miasto jest już wczytane. Użyj --replace, aby je zastąpić, "
            "albo --if-missing, aby pominąć generowanie."
        )
    bar = tqdm(total=8, desc="demo-city", file=sys.stderr, disable=not progress, unit="faza")

    def phase(name: str) -> None:
        bar.set_postfix_str(name)
        bar.update(1)

    data = generate(SCALES[scale], seed, phase)
    bar.close()
    with transaction.atomic():
        if replace:
            loader.truncate_spine()
        counts = loader.load(
            data,
            lambda names: tqdm(
                names, desc="COPY", file=sys.stderr, disable=not progress, unit="tabela"
            ),
        )
        with acting_as(None, source="cli"):
            for table, count in counts.items():
                audit_record_bulk(
                    model=MODELS[table],
                    action="bulk_load",
                    count=count,
                    note=f"demo-city --scale {scale} --seed {seed}",
                )
    return DemoCityResult(True, scale, seed, counts, data.stats, time.monotonic() - started)

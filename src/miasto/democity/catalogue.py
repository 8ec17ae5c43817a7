"""The demo city's catalogue: its layers loaded *through the data hub*.

:func:`demo_catalogue_load` exports every spine table of the generated city from PostGIS with
``ogr2ogr`` into a file (GeoPackage, GeoJSON, CSV, Shapefile ZIP, GML — several formats on
purpose), and imports it with :func:`miasto.datahub.services.version_import` as version 1 of a
dataset with full DCAT metadata, so every version carries real provenance (file name, SHA-256,
format, CRS, feature count, duration). Spine imports republish into the spine (update only
what differs), so the spine stays as generated.

To make the demo worth looking at, the catalogue also gets some history:

- ``budynki`` gets a second version (a few buildings with an added storey or a new use), so the
  versions list and the diff page show something;
- ``dzialki-ewidencyjne`` gets a *rejected* version (a contractor's delivery with overlapping
  parcels), so v1 stays current;
- ``drzewa-w-pasach-drogowych`` (street trees, annual) was last updated two years ago: stale;
- ``tablice-reklamowe-2019`` (billboards) has invalid, duplicate, incomplete and out-of-town
  features: its quality report lists problems without blocking;
- an internal (``zasob-nieruchomosci-gminnych``) and a restricted
  (``mieszkania-chronione``) dataset show the permission differences.

Everything is deterministic (derived from the spine with SQL, no randomness) and idempotent:
a dataset that already exists with versions is left alone.
"""

from __future__ import annotations

import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from psycopg import sql
from tqdm import tqdm

from miasto.core.db import execute, fetch_all, fetch_value, load_sql
from miasto.core.jobs import JobError
from miasto.datahub import gdal, services
from miasto.datahub.models import Dataset, DatasetVersion
from miasto.datahub.vocabularies import Frequency, Licence, Theme
from miasto.territory import models as territory

SRID = settings.MIASTO_SRID
ACCESS = Dataset.Access

#: Spine tables whose row counts the catalogue load must not change.
SPINE_COUNTS = {
    "parcels": "territory_parcel",
    "buildings": "territory_building",
    "addresses": "territory_address",
    "streets": "territory_street",
    "services": "territory_publicservice",
    "constraints": "territory_constraint",
}


@dataclass(frozen=True)
class YearsAgo:
    """A date in the year that many years before the current one (the history moves with it)."""

    years: int
    month: int
    day: int

    def on(self, year: int) -> date:
        return date(year - self.years, self.month, self.day)


@dataclass(frozen=True)
class Meta:
    """A demo dataset's DCAT metadata (the fields of ``dataset_create``)."""

    title_pl: str
    title_en: str
    description_pl: str
    description_en: str
    keywords: tuple[str, ...]
    theme: str
    frequency: str
    access: str = ACCESS.PUBLIC
    licence: str = Licence.CC_BY_4
    temporal: tuple[date | YearsAgo | None, date | YearsAgo | None] = (None, None)

    def in_year(self, year: int) -> Meta:
        """The metadata with the dates relative to the current year made absolute."""
        start, end = (d.on(year) if isinstance(d, YearsAgo) else d for d in self.temporal)
        return replace(self, temporal=(start, end))

    def fields(self) -> dict[str, Any]:
        return {
            "title_pl": self.title_pl,
            "title_en": self.title_en,
            "description_pl": self.description_pl,
            "description_en": self.description_en,
            "keywords": list(self.keywords),
            "theme": self.theme,
            "frequency": self.frequency,
            "access": self.access,
            "licence": self.licence,
            "temporal_start": self.temporal[0],
            "temporal_end": self.temporal[1],
        }


@dataclass
class Export:
    """How a demo file is produced: SQL over the spine, an OGR driver, a file name."""

    name: str  # file name as uploaded (its extension picks the format)
    driver: str
    sql: str
    lco: tuple[str, ...] = ()
    t_srs: str | None = None  # reproject (e.g. EPSG:4326 for CSV lon/lat, GeoJSON RFC 7946)
    config: tuple[str, ...] = ()


@dataclass
class DemoVersion:
    export: Export
    note: str = ""
    age_days: int = 0  # pretend the version finished this many days ago
    rejected: bool = False  # must be rejected by the blocking quality rules


@dataclass
class DemoDataset:
    slug: str
    owner: str  # OrgUnit code (names.ORG_UNITS)
    meta: Meta
    versions: list[DemoVersion] = field(default_factory=list)
    target: str = "generic"
    key_field: str = ""


# --------------------------------------------------------------------------- the exports


def _export_sql(name: str) -> str:
    """A long export statement, ``democity/sql/<name>.sql``: handed to ``ogr2ogr`` and run
    there without parameters, so ``%`` in it is the modulo operator."""
    return load_sql("miasto.democity", name)


PARCELS_SQL = "SELECT identifier, area, land_use, geom FROM territory_parcel ORDER BY id"
BUILDINGS_SQL = (
    "SELECT identifier, use, storeys, height, dwellings, residents, year_built, geom "
    "FROM territory_building ORDER BY id"
)
#: v2: a dozen buildings got an extra storey (and height), eight changed their use.
BUILDINGS_V2_SQL = (
    "SELECT identifier, CASE WHEN id % 997 = 5 THEN 'services' ELSE use END AS use, "
    "CASE WHEN id % 613 = 7 THEN storeys + 1 ELSE storeys END AS storeys, "
    "CASE WHEN id % 613 = 7 THEN height + 3 ELSE height END AS height, "
    "dwellings, residents, year_built, geom FROM territory_building ORDER BY id"
)
ADDRESSES_SQL = (
    "SELECT CASE WHEN s.id IS NULL THEN NULL ELSE s.kind || ' ' || s.name END AS street, "
    "a.place, a.number, a.postcode, a.geom FROM territory_address a "
    "LEFT JOIN territory_street s ON s.id = a.street_id ORDER BY a.id"
)
STREETS_SQL = "SELECT name, kind, ulic, road_class, geom FROM territory_street ORDER BY id"
SERVICES_SQL = "SELECT kind, name, capacity, geom FROM territory_publicservice ORDER BY id"
CONSTRAINTS_SQL = (
    "SELECT kind, name, legal_basis, source, geom FROM territory_constraint ORDER BY id"
)
#: a contractor's delivery for one precinct: every 8th parcel enlarged by 3 m (so it overlaps
#: its neighbours) and one parcel delivered twice — two blocking rules, so it is rejected
PARCELS_BAD_SQL = (
    sql.SQL(_export_sql("export_parcels_bad")).format(srid=sql.Literal(int(SRID))).as_string()
)
#: trees every 25 m on both sides of local and access roads, 7 m off the centreline
TREES_SQL = _export_sql("export_trees")
#: billboards every ~150 m along main roads, with deliberate problems (see module docstring):
#: a self-intersecting "bow tie", two features 6 km east of the city, missing and empty
#: attributes, some inventoried twice
BILLBOARDS_SQL = _export_sql("export_billboards")
MUNICIPAL_SQL = (
    "SELECT p.identifier AS identyfikator, "
    "CASE WHEN p.id % 5 = 0 THEN 'użytkowanie wieczyste' ELSE 'własność gminy' END "
    "AS forma_wladania, 'LD1P/' || lpad((p.id * 7919 % 99999999)::text, 8, '0') || '/' || "
    "(p.id % 10)::text AS nr_kw, p.area AS pow_m2, p.land_use AS uzytek, p.geom "
    "FROM territory_parcel p WHERE p.land_use IN ('dr', 'Bz', 'Bi', 'W') OR p.id % 29 = 0 "
    "ORDER BY p.id"
)
#: about 1 in 60 addresses of multi-family buildings (at least 5)
SHELTERED_SQL = _export_sql("export_sheltered")


#: The demo catalogue, in load order (streets before addresses). File names may hold
#: ``{year}`` (the current year) and ``{two_years_ago}``; dates may be :class:`YearsAgo`.
DATASETS: tuple[DemoDataset, ...] = (
    DemoDataset(
        "dzialki-ewidencyjne",
        "UM-GK",
        Meta(
            "Działki ewidencyjne",
            "Cadastral parcels",
            "Działki ewidencyjne z ewidencji gruntów i budynków (EGiB) Miasta Przykładowego: "
            "identyfikator, pole ewidencyjne, klasa użytku. Podstawa osnowy danych miasta.",
            "Cadastral parcels from the land and building register (EGiB): identifier, "
            "registered area, land use class. The spine of the city's data.",
            ("działki", "EGiB", "kataster", "ewidencja gruntów", "nieruchomości"),
            Theme.REGI,
            Frequency.MONTHLY,
            temporal=(date(1998, 1, 1), None),
        ),
        [
            DemoVersion(Export("dzialki_ewidencyjne_{year}.gpkg", "GPKG", PARCELS_SQL)),
            DemoVersion(
                Export("dzialki_modernizacja_egib_wykonawca.gpkg", "GPKG", PARCELS_BAD_SQL),
                note="Dostawa wykonawcy (modernizacja EGiB jednego obrębu) — do kontroli",
                rejected=True,
            ),
        ],
        target="parcels",
    ),
    DemoDataset(
        "budynki",
        "UM-GK",
        Meta(
            "Budynki",
            "Buildings",
            "Obrysy budynków z EGiB z funkcją, liczbą kondygnacji, wysokością, liczbą "
            "lokali mieszkalnych i mieszkańców oraz rokiem budowy.",
            "Building footprints from the land and building register with use, storeys, "
            "height, dwellings, residents and year built.",
            ("budynki", "EGiB", "BDOT", "zabudowa", "kondygnacje"),
            Theme.REGI,
            Frequency.MONTHLY,
            temporal=(date(1998, 1, 1), None),
        ),
        [
            DemoVersion(Export("budynki_{year}.gpkg", "GPKG", BUILDINGS_SQL), age_days=20),
            DemoVersion(
                Export(
                    "budynki_{year}_aktualizacja.geojson",
                    "GeoJSON",
                    BUILDINGS_V2_SQL,
                    lco=("RFC7946=NO", "WRITE_BBOX=NO"),
                ),
                note="Aktualizacja: nadbudowy i zmiany sposobu użytkowania",
            ),
        ],
        target="buildings",
    ),
    DemoDataset(
        "ulice",
        "ZDM",
        Meta(
            "Ulice",
            "Streets",
            "Osie ulic z rejestru ulic (TERYT ULIC) z rodzajem, kodem ULIC i klasą drogi.",
            "Street centrelines from the street register (TERYT ULIC) with kind, ULIC code "
            "and road class.",
            ("ulice", "drogi", "TERYT", "ULIC", "sieć drogowa"),
            Theme.TRAN,
            Frequency.QUARTERLY,
            temporal=(date(2010, 1, 1), None),
        ),
        [
            DemoVersion(
                Export("ulice.geojson", "GeoJSON", STREETS_SQL, lco=("RFC7946=NO", "WRITE_BBOX=NO"))
            )
        ],
        target="streets",
    ),
    DemoDataset(
        "adresy",
        "UM-GK",
        Meta(
            "Punkty adresowe",
            "Address points",
            "Punkty adresowe z ewidencji miejscowości, ulic i adresów (EMUiA): ulica, "
            "numer porządkowy, kod pocztowy.",
            "Address points from the register of places, streets and addresses (EMUiA): "
            "street, house number, postcode.",
            ("adresy", "EMUiA", "punkty adresowe", "kody pocztowe"),
            Theme.REGI,
            Frequency.MONTHLY,
            temporal=(date(2012, 1, 1), None),
        ),
        [
            DemoVersion(
                Export(
                    "punkty_adresowe_{year}.csv",
                    "CSV",
                    ADDRESSES_SQL,
                    lco=("GEOMETRY=AS_WKT", "GEOMETRY_NAME=wkt"),
                    config=("OGR_WKT_PRECISION", "17"),
                )
            )
        ],
        target="addresses",
    ),
    DemoDataset(
        "uslugi-publiczne",
        "UM-ED",
        Meta(
            "Usługi publiczne",
            "Public services",
            "Szkoły, przedszkola, żłobki, biblioteki, przychodnie, obiekty sportowe, parki, "
            "przystanki i inne usługi publiczne z pojemnością.",
            "Schools, kindergartens, nurseries, libraries, clinics, sports grounds, parks, "
            "stops and other public services with their capacity.",
            ("usługi publiczne", "szkoły", "przedszkola", "przystanki", "dostępność"),
            Theme.SOCI,
            Frequency.ANNUAL,
            temporal=(YearsAgo(0, 1, 1), None),
        ),
        [
            DemoVersion(
                Export(
                    "uslugi_publiczne.zip",
                    "ESRI Shapefile",
                    SERVICES_SQL,
                    lco=("ENCODING=UTF-8",),
                )
            )
        ],
        target="services",
    ),
    DemoDataset(
        "ograniczenia",
        "UM-BPP",
        Meta(
            "Ograniczenia w zagospodarowaniu",
            "Land use constraints",
            "Obszary zagrożenia powodzią, ochrony przyrody i Natura 2000, strefy ochrony "
            "konserwatorskiej i inne ograniczenia z podstawą prawną.",
            "Flood hazard areas, nature protection and Natura 2000 sites, heritage zones "
            "and other constraints with their legal basis.",
            ("ograniczenia", "powódź", "Natura 2000", "ochrona zabytków", "planowanie"),
            Theme.ENVI,
            Frequency.IRREG,
        ),
        [DemoVersion(Export("ograniczenia.gpkg", "GPKG", CONSTRAINTS_SQL))],
        target="constraints",
    ),
    DemoDataset(
        "drzewa-w-pasach-drogowych",
        "UM-OS",
        Meta(
            "Drzewa w pasach drogowych",
            "Street trees",
            "Inwentaryzacja drzew w pasach drogowych ulic lokalnych i dojazdowych: gatunek, "
            "obwód pnia, wysokość, stan zdrowotny, rok nasadzenia. Aktualizowana co roku.",
            "Inventory of trees along local and access roads: species, trunk girth, height, "
            "condition, year planted. Updated annually.",
            ("drzewa", "zieleń", "inwentaryzacja", "pas drogowy", "retencja"),
            Theme.ENVI,
            Frequency.ANNUAL,
            temporal=(YearsAgo(3, 4, 1), YearsAgo(2, 10, 31)),
        ),
        [
            DemoVersion(
                Export(
                    "drzewa_inwentaryzacja_{two_years_ago}.csv",
                    "CSV",
                    TREES_SQL,
                    lco=("GEOMETRY=AS_XY", "SEPARATOR=SEMICOLON"),
                    t_srs="EPSG:4326",
                ),
                note="Inwentaryzacja terenowa",
                age_days=2 * 365 + 40,
            )
        ],
        key_field="nr_inw",
    ),
    DemoDataset(
        "tablice-reklamowe-2019",
        "UM-BPP",
        Meta(
            "Tablice reklamowe — inwentaryzacja 2019",
            "Billboards — 2019 inventory",
            "Inwentaryzacja tablic i urządzeń reklamowych wzdłuż dróg głównych i zbiorczych "
            "wykonana na potrzeby uchwały krajobrazowej. Dane historyczne, niepoprawiane.",
            "Inventory of billboards along main and collector roads made for the landscape "
            "resolution. Historical data, not corrected.",
            ("reklama", "uchwała krajobrazowa", "tablice reklamowe", "krajobraz"),
            Theme.REGI,
            Frequency.NEVER,
            temporal=(date(2019, 3, 1), date(2019, 11, 30)),
        ),
        [
            DemoVersion(
                Export(
                    "tablice_reklamowe_2019.zip",
                    "ESRI Shapefile",
                    BILLBOARDS_SQL,
                    lco=("ENCODING=CP1250",),
                ),
                note="Plik wykonawcy inwentaryzacji, bez korekt",
                age_days=6 * 365,
            )
        ],
        key_field="nr_ewid",
    ),
    DemoDataset(
        "zasob-nieruchomosci-gminnych",
        "UM-GN",
        Meta(
            "Zasób nieruchomości gminnych",
            "Municipal property",
            "Działki stanowiące własność gminy lub oddane w użytkowanie wieczyste, z numerem "
            "księgi wieczystej. Dane dla pracowników urzędu.",
            "Parcels owned by the municipality or in perpetual usufruct, with the land "
            "register number. For city staff.",
            ("nieruchomości", "mienie komunalne", "księgi wieczyste", "gospodarka zasobem"),
            Theme.ECON,
            Frequency.QUARTERLY,
            access=ACCESS.INTERNAL,
            licence=Licence.INTERNAL,
        ),
        [DemoVersion(Export("zasob_gminny.gml", "GML", MUNICIPAL_SQL), age_days=30)],
        key_field="identyfikator",
    ),
    DemoDataset(
        "mieszkania-chronione",
        "MOPS",
        Meta(
            "Mieszkania chronione i lokale interwencyjne",
            "Sheltered and emergency housing",
            "Lokalizacje mieszkań chronionych i lokali interwencyjnych MOPS. Dane wrażliwe — "
            "dostęp tylko dla jednostki właściciela.",
            "Locations of sheltered and emergency flats run by the social services. "
            "Sensitive — owner unit only.",
            ("pomoc społeczna", "mieszkania chronione", "interwencja kryzysowa"),
            Theme.SOCI,
            Frequency.MONTHLY,
            access=ACCESS.RESTRICTED,
            licence=Licence.INTERNAL,
        ),
        [
            DemoVersion(
                Export(
                    "mieszkania_chronione.geojson",
                    "GeoJSON",
                    SHELTERED_SQL,
                    lco=("RFC7946=YES",),
                    t_srs="EPSG:4326",
                ),
                age_days=3,
            )
        ],
        key_field="lp",
    ),
)


def demo_datasets(today: date | None = None) -> list[DemoDataset]:
    """The demo catalogue (:data:`DATASETS`) for the year of ``today``, in load order."""
    year = (today or timezone.localdate()).year

    def version(demo: DemoVersion) -> DemoVersion:
        name = demo.export.name.format(year=year, two_years_ago=year - 2)
        return replace(demo, export=replace(demo.export, name=name))

    return [
        replace(spec, meta=spec.meta.in_year(year), versions=[version(v) for v in spec.versions])
        for spec in DATASETS
    ]


# --------------------------------------------------------------------------- export


def export_file(export: Export, directory: Path) -> Path:
    """Write ``export`` with ``ogr2ogr`` into ``directory``; returns the file to upload."""
    pg, env = gdal.pg_connection()
    stem = Path(export.name).stem
    shapefile = export.driver == "ESRI Shapefile"
    out = directory / (f"{stem}.shp" if shapefile else export.name)
    args = ["-f", export.driver, str(out), pg, "-sql", export.sql, "-nln", stem]
    for option in export.lco:
        args += ["-lco", option]
    for i in range(0, len(export.config), 2):
        args += ["--config", export.config[i], export.config[i + 1]]
    if export.t_srs:
        args += ["-s_srs", f"EPSG:{SRID}", "-t_srs", export.t_srs]
    else:
        args += ["-a_srs", f"EPSG:{SRID}"]
    gdal.ogr2ogr(args, env=env, what="Eksport warstwy demonstracyjnej nie powiódł się")
    if shapefile:
        archive = directory / export.name
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
            for part in sorted(directory.glob(f"{stem}.*")):
                if part.suffix.lower() != ".zip":
                    zf.write(part, part.name)
        return archive
    return out


# --------------------------------------------------------------------------- load


def _count(table: str) -> int:
    return int(fetch_value(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))))


def spine_counts() -> dict[str, int]:
    return {target: _count(table) for target, table in SPINE_COUNTS.items()}


def _owner(code: str) -> territory.OrgUnit:
    return territory.OrgUnit.objects.get(code=code)


def _create_dataset(spec: DemoDataset, city_geom: Any) -> Dataset:
    owner = _owner(spec.owner)
    return services.dataset_create(
        slug=spec.slug,
        owner=owner,
        contact_name=owner.name,
        contact_email=owner.email,
        target=spec.target,
        key_field=spec.key_field,
        spatial_coverage=city_geom,
        **spec.meta.fields(),
    )


def _age(version: DatasetVersion, days: int) -> None:
    """Pretend ``version`` was imported ``days`` ago (the demo's history)."""
    if days <= 0:
        return
    shift = timedelta(days=days)
    DatasetVersion.objects.filter(pk=version.pk).update(
        created_at=version.created_at - shift,
        finished_at=(version.finished_at or timezone.now()) - shift,
    )


def _import(dataset: Dataset, path: Path, demo: DemoVersion) -> DatasetVersion:
    """``version_import``; a version meant to be rejected is undone if it was not."""
    if not demo.rejected:
        return services.version_import(
            dataset=dataset, path=path, source_name=demo.export.name, note=demo.note
        )
    try:
        with transaction.atomic():
            version = services.version_import(
                dataset=dataset, path=path, source_name=demo.export.name, note=demo.note
            )
            if version.status != DatasetVersion.Status.REJECTED:
                raise JobError(
                    f"{version}: wersja z błędami nie została odrzucona przez reguły jakości "
                    "— wycofano ją, osnowa bez zmian."
                )
    except JobError:
        drop_orphan_tables()  # the staging table renamed inside the undone transaction
        raise
    return version


def demo_catalogue_load(
    *, progress: bool | Callable[[str], None] | None = None, only: list[str] | None = None
) -> dict[str, Any]:
    """Load the demo catalogue through the data hub (idempotent; see the module docstring).

    ``progress``: ``True`` for a tqdm bar on stderr (or a callable receiving messages).
    ``only``: slugs to load (tests); default all. Returns a summary: per dataset the versions
    created (number, status, features, seconds), spine counts before and after, total time.
    """
    started = time.monotonic()
    city = territory.City.objects.first()
    if city is None:
        raise JobError("Brak miasta — najpierw uruchom `miasto demo-city`.")
    specs = [s for s in demo_datasets() if only is None or s.slug in only]
    todo: list[DemoDataset] = []
    for spec in specs:
        existing = Dataset.objects.filter(slug=spec.slug).first()
        if existing is not None and existing.versions.exists():
            continue
        if (
            spec.target != "generic"
            and Dataset.objects.filter(target=spec.target).exclude(slug=spec.slug).exists()
        ):
            continue  # the city already publishes this spine layer from its own dataset
        todo.append(spec)
    summary: dict[str, Any] = {"created": False, "datasets": {}, "seconds": 0.0}
    if not todo:
        summary["seconds"] = round(time.monotonic() - started, 2)
        return summary
    summary["created"] = True
    before = spine_counts()
    steps = sum(len(s.versions) for s in todo)
    bar = tqdm(
        total=steps,
        desc="demo-catalogue",
        file=sys.stderr,
        disable=progress is not True,
        unit="wersja",
    )
    say = progress if callable(progress) else (lambda message: None)
    with tempfile.TemporaryDirectory(prefix="miasto-demo-catalogue-") as tmp:
        for spec in todo:
            dataset = Dataset.objects.filter(slug=spec.slug).first() or _create_dataset(
                spec, city.geom
            )
            done: list[dict[str, Any]] = []
            for i, demo in enumerate(spec.versions):
                bar.set_postfix_str(f"{spec.slug} v{i + 1}")
                say(f"{spec.slug} v{i + 1}: {demo.export.name}")
                directory = Path(tmp) / f"{spec.slug}-{i + 1}"
                directory.mkdir()
                mark = time.monotonic()
                path = export_file(demo.export, directory)
                exported = time.monotonic() - mark
                version = _import(dataset, path, demo)
                _age(version, demo.age_days)
                done.append(
                    {
                        "number": version.number,
                        "status": version.status,
                        "features": version.feature_count,
                        "format": version.format,
                        "score": version.quality_score,
                        "published": version.quality.get("published"),
                        "export_s": round(exported, 2),
                        "import_s": version.duration,
                    }
                )
                bar.update(1)
            summary["datasets"][spec.slug] = done
    bar.close()
    after = spine_counts()
    summary.update(
        spine_before=before,
        spine_after=after,
        seconds=round(time.monotonic() - started, 2),
    )
    if before != after:
        raise JobError(f"Wczytanie katalogu zmieniło liczności osnowy: {before} → {after}")
    return summary


def drop_orphan_tables() -> None:
    """Drop the data hub's version tables left without datasets (after TRUNCATE … CASCADE)."""
    with transaction.atomic():
        orphans = fetch_all(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'datahub_data' AND c.relkind = 'r' "
            "AND (c.relname ~ '^stg_' OR (c.relname ~ '^v[0-9]+$' AND NOT EXISTS ("
            "SELECT 1 FROM datahub_datasetversion v WHERE 'v' || v.id = c.relname)))"
        )
        for (name,) in orphans:
            execute(sql.SQL("DROP TABLE IF EXISTS {}").format(sql.Identifier("datahub_data", name)))


def summary_text(summary: dict[str, Any]) -> str:
    if not summary.get("created"):
        return "Katalog danych już istnieje — pominięto (--if-missing)."
    n = sum(len(v) for v in summary["datasets"].values())
    rejected = sum(1 for v in summary["datasets"].values() for x in v if x["status"] == "rejected")
    return (
        f"Katalog danych: {len(summary['datasets'])} zbiorów, {n} wersji "
        f"({rejected} odrzucona przez reguły jakości) w {summary['seconds']:.1f} s"
    )

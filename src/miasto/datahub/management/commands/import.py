"""``miasto import PATH --dataset SLUG``: import a file as a new version of a dataset.

Thin: parses arguments, shows a progress bar, calls
:func:`miasto.datahub.services.version_import`. Exit 0 when the version became current;
non-zero with one message when the import failed or quality rules rejected the version.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from miasto.core.audit import acting_as
from miasto.core.jobs import JobError
from miasto.datahub import services
from miasto.datahub.importers import import_targets, load_mapping
from miasto.datahub.models import Dataset
from miasto.datahub.presets import presets
from miasto.datahub.services import discard_unused
from miasto.territory.models import OrgUnit


class Command(BaseCommand):
    help = "Import a file (GeoPackage, GeoJSON, Shapefile ZIP, CSV, GML, KML) as a dataset version."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="file to import")
        parser.add_argument("--dataset", required=True, help="dataset slug")
        parser.add_argument(
            "--layer",
            choices=sorted(k for k in import_targets.keys() if k != "generic"),  # noqa: SIM118
            help="spine layer to publish into (default: the dataset's target)",
        )
        parser.add_argument("--crs", help="source CRS, e.g. EPSG:2178 (default: detected)")
        parser.add_argument("--mapping", help='JSON file {"target_field": "source_attribute"}')
        parser.add_argument(
            "--source-layer",
            action="append",
            default=[],
            help="layer inside the file (GeoPackage, GML, KML…); repeat it for several layers, "
            "loaded into one dataset with a 'layer' attribute",
        )
        parser.add_argument(
            "--all-layers", action="store_true", help="import every layer of the file"
        )
        parser.add_argument(
            "--preset",
            help="import preset of a national schema's GML (EGiB, PRG, BDOT10k), e.g. "
            "egib-2021; default: recognised from the file; 'none': no preset",
        )
        parser.add_argument("--create", action="store_true", help="create the dataset if missing")
        parser.add_argument("--title", help="title (Polish) of a created dataset")
        parser.add_argument("--owner", help="owner unit code of a created dataset")
        parser.add_argument("--user", help="username recorded as the importer")
        parser.add_argument("--note", default="", help="note on the version")

    def handle(self, *args: Any, **opts: Any) -> None:
        path = Path(opts["path"])
        if not path.is_file():
            raise CommandError(f"Nie ma pliku {path}.")
        user = None
        if opts["user"]:
            user = get_user_model().objects.filter(username=opts["user"]).first()
            if user is None:
                raise CommandError(f"Nie ma użytkownika {opts['user']}.")
        # a dataset made here for this import goes when the import fails (see _discard)
        existed = Dataset.objects.filter(slug=opts["dataset"]).exists()
        try:
            mapping = load_mapping(opts["mapping"]) if opts["mapping"] else None
            dataset = self._dataset(opts, user)
            # no bar when stderr is not a terminal (disable=None), so errors stay one line
            bar = tqdm(
                total=100, unit="%", desc="Import", disable=True if opts["verbosity"] == 0 else None
            )

            def progress(percent: float, message: str) -> None:
                bar.n = int(percent)
                if message:
                    bar.set_description_str(message[:40], refresh=False)
                bar.refresh()

            with acting_as(user, "cli"):
                try:
                    version = services.version_import(
                        dataset=dataset,
                        path=path,
                        source_name=path.name,
                        user=user,
                        crs=opts["crs"],
                        source_layers=tuple(opts["source_layer"]),
                        all_layers=opts["all_layers"],
                        progress=progress,
                        mapping=mapping,
                        note=opts["note"],
                        preset=opts["preset"],
                    )
                finally:
                    bar.close()
        except JobError as exc:
            removed = self._discard(opts["dataset"], existed, user)
            raise CommandError(f"Import nie powiódł się: {exc}{removed}") from None
        except ValidationError as exc:
            raise CommandError(f"Błędne dane zbioru: {'; '.join(exc.messages)}") from None
        except BaseException:
            self._discard(opts["dataset"], existed, user)
            raise
        self._layers(version.quality.get("layers"))
        if chosen := presets.get(version.quality.get("preset") or ""):
            self.stdout.write(f"Szablon importu: {chosen.label} ({chosen.key}).")
        if version.status != version.Status.READY:
            raise CommandError(
                f"Wersja {version.number} zbioru {dataset.slug} odrzucona przez reguły jakości: "
                f"{version.error}"
            )
        published = version.quality.get("published")
        extra = (
            f"; warstwa {dataset.target}: +{published['added']} ~{published['changed']} "
            f"-{published['removed']}"
            if published
            else ""
        )
        self.stdout.write(
            f"Wersja {version.number} zbioru {dataset.slug} jest bieżąca: "
            f"{version.feature_count} obiektów, jakość {version.quality_score:.0f}/100, "
            f"{version.duration:.1f} s{extra}."
        )

    def _discard(self, slug: str, existed: bool, user: Any) -> str:
        """Remove the dataset this command made for an import that failed (while it has no
        version); a sentence saying so, or ""."""
        made = None if existed else Dataset.objects.filter(slug=slug).first()
        if made is not None and discard_unused(made.pk, user=user):
            return " Utworzony dla niego zbiór danych został usunięty."
        return ""

    def _layers(self, layers: dict[str, Any] | None) -> None:
        """Which layers of a file with several were imported and which skipped."""
        if not layers:
            return

        def listed(items: list[dict[str, Any]]) -> str:
            return ", ".join(f"{i['name']} ({i['count']})" for i in items) or "żadnych"

        self.stdout.write(f"Wczytane warstwy (obiektów): {listed(layers['loaded'])}.")
        self.stdout.write(f"Pominięte warstwy (obiektów): {listed(layers['skipped'])}.")

    def _dataset(self, opts: dict[str, Any], user: Any) -> Dataset:
        slug = opts["dataset"]
        dataset = Dataset.objects.filter(slug=slug).first()
        if dataset is None:
            if not opts["create"]:
                raise CommandError(
                    f"Nie ma zbioru danych „{slug}”. Dodaj --create --title … --owner KOD, "
                    "aby go utworzyć."
                )
            owner = OrgUnit.objects.filter(code=opts["owner"] or "").first()
            if owner is None:
                raise CommandError(
                    f"Nie ma jednostki „{opts['owner']}”; podaj --owner z kodem jednostki."
                )
            return services.dataset_create(
                user=user,
                slug=slug,
                title_pl=opts["title"] or slug,
                owner=owner,
                target=opts["layer"] or "generic",
            )
        if opts["layer"] and opts["layer"] != dataset.target:
            raise CommandError(
                f"Zbiór „{slug}” zasila warstwę „{dataset.target}”, nie „{opts['layer']}”."
            )
        return dataset

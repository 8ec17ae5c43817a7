"""Seed the statutory standards of art. 13f and a few optional municipal ones (configuration,
edited later in the admin; a changed value is a new version of the standard)."""

from __future__ import annotations

import datetime

from django.db import migrations

ART_13F = (
    "art. 13f ust. 1 pkt {} ustawy z dnia 27 marca 2003 r. o planowaniu i zagospodarowaniu "
    "przestrzennym (Dz.U. 2023 poz. 977 ze zm., w brzmieniu od 24 września 2023 r.)"
)
MUNICIPAL = "art. 13f ust. 2 u.p.z.p. — standard gminny (uchwała rady gminy)"
SINCE = datetime.date(2023, 9, 24)

STANDARDS = [
    # code, name, kinds, distance, min ha, rule, mandatory, enabled, basis, order
    ("school", "Szkoła podstawowa (miasto)", ["primary_school"], 1500, None, "nearest",
     True, True, ART_13F.format("1") + " — miasta", 10),
    ("school-rural", "Szkoła podstawowa (poza miastem)", ["primary_school"], 3000, None,
     "nearest", True, False, ART_13F.format("1") + " — poza miastami", 11),
    ("green-3ha", "Tereny zieleni publicznej łącznie ≥ 3 ha", ["green"], 1500, 3, "sum_area",
     True, True, ART_13F.format("2 lit. a"), 20),
    ("green-20ha", "Teren zieleni publicznej ≥ 20 ha", ["green"], 3000, 20, "single_area",
     True, True, ART_13F.format("2 lit. b"), 21),
    ("kindergarten", "Przedszkole", ["kindergarten"], 1000, None, "nearest",
     False, True, MUNICIPAL, 30),
    ("nursery", "Żłobek", ["nursery"], 1500, None, "nearest", False, False, MUNICIPAL, 31),
    ("clinic", "Przychodnia POZ", ["clinic"], 1500, None, "nearest", False, True, MUNICIPAL, 40),
    ("library", "Biblioteka", ["library"], 1500, None, "nearest", False, False, MUNICIPAL, 50),
    ("culture", "Dom kultury", ["culture"], 2000, None, "nearest", False, False, MUNICIPAL, 51),
    ("sport", "Obiekt sportowy", ["sports"], 1500, None, "nearest", False, False, MUNICIPAL, 52),
    ("transit-stop", "Przystanek komunikacji zbiorowej", ["transit_stop"], 500, None,
     "nearest", False, True, MUNICIPAL, 60),
    ("post", "Placówka pocztowa", ["post"], 1500, None, "nearest", False, False, MUNICIPAL, 70),
    ("pharmacy", "Apteka", ["pharmacy"], 1000, None, "nearest", False, False, MUNICIPAL, 71),
]  # fmt: skip


def seed(apps, schema_editor):  # type: ignore[no-untyped-def]
    Standard = apps.get_model("accessibility", "Standard")
    for code, name, kinds, dist, ha, rule, mandatory, enabled, basis, order in STANDARDS:
        Standard.objects.update_or_create(
            code=code,
            version=1,
            defaults=dict(
                name=name, service_kinds=kinds, distance_m=dist, min_area_ha=ha, aggregate=rule,
                mandatory=mandatory, enabled=enabled, legal_basis=basis, valid_from=SINCE,
                order=order,
            ),
        )  # fmt: skip


def unseed(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("accessibility", "Standard").objects.filter(version=1).delete()


class Migration(migrations.Migration):
    dependencies = [("accessibility", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]

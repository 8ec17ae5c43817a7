"""The standards name the attributes of the APP accessibility-standards area (OSD) their
values fill, and the seeded standards cite the right paragraphs of art. 13f.

Art. 13f u.p.z.p. (as in force since 24 September 2023): ust. 1 — the standards cover access
to a primary school and to public green areas; ust. 2 — the primary school within 1 500 m in
towns (pkt 1) and 3 000 m elsewhere (pkt 2); ust. 3 — public green areas totalling at least
3 ha within 1 500 m (pkt 1) and one of at least 20 ha within 3 000 m (pkt 2). The seed (0002)
cited ust. 1 pkt 1 and 2 and, for the municipal standards, ust. 2. Only a legal basis still as
seeded is corrected; one an administrator edited is left as it is.
"""

from django.db import migrations, models

LAW = (
    "ustawy z dnia 27 marca 2003 r. o planowaniu i zagospodarowaniu przestrzennym "
    "(Dz.U. 2023 poz. 977 ze zm., w brzmieniu od 24 września 2023 r.)"
)
OLD = "art. 13f ust. 1 pkt {} " + LAW
MUNICIPAL_OLD = "art. 13f ust. 2 u.p.z.p. — standard gminny (uchwała rady gminy)"
MUNICIPAL = (
    "standard gminny ustalony w planie ogólnym gminy (uchwała rady gminy), art. 13f u.p.z.p."
)
#: code → (basis as seeded, corrected basis)
BASES = {
    "school": (OLD.format("1") + " — miasta", "art. 13f ust. 2 pkt 1 " + LAW + " — w miastach"),
    "school-rural": (
        OLD.format("1") + " — poza miastami", "art. 13f ust. 2 pkt 2 " + LAW + " — poza miastami"
    ),
    "green-3ha": (OLD.format("2 lit. a"), "art. 13f ust. 3 pkt 1 " + LAW),
    "green-20ha": (OLD.format("2 lit. b"), "art. 13f ust. 3 pkt 2 " + LAW),
}
#: code → (APP distance attribute, APP area attribute)
APP = {
    "school": ("odlegloscDoSzkolyPodstawowej", ""),
    "school-rural": ("odlegloscDoSzkolyPodstawowej", ""),
    "green-3ha": (
        "odlegloscDoObszarowZieleniPublicznej", "powierzchniaLacznaObszarowZieleniPublicznej"
    ),
    "green-20ha": ("odlegloscDoObszaruZieleniPublicznej", "powierzchniaObszaruZieleniPublicznej"),
    "kindergarten": ("odlegloscDoPrzedszkola", ""),
    "nursery": ("odlegloscDoZlobka", ""),
    "clinic": ("odlegloscDoAmbulatoriumPOZ", ""),
    "library": ("odlegloscDoBiblioteki", ""),
    "culture": ("odlegloscDoDomuKultury", ""),
    "sport": ("odlegloscDoUrzadzonegoTerenuSportu", ""),
    "transit-stop": ("odlegloscDoPrzystanku", ""),
    "post": ("odlegloscDoPlacowkiPocztowej", ""),
    "pharmacy": ("odlegloscDoApteki", ""),
}


def forward(apps, schema_editor):  # type: ignore[no-untyped-def]
    Standard = apps.get_model("accessibility", "Standard")
    for code, (seeded, corrected) in BASES.items():
        Standard.objects.filter(code=code, legal_basis=seeded).update(legal_basis=corrected)
    Standard.objects.filter(legal_basis=MUNICIPAL_OLD).update(legal_basis=MUNICIPAL)
    for code, (distance, area) in APP.items():
        Standard.objects.filter(code=code).update(app_element=distance, app_area_element=area)


def backward(apps, schema_editor):  # type: ignore[no-untyped-def]
    Standard = apps.get_model("accessibility", "Standard")
    for code, (seeded, corrected) in BASES.items():
        Standard.objects.filter(code=code, legal_basis=corrected).update(legal_basis=seeded)
    Standard.objects.filter(legal_basis=MUNICIPAL).update(legal_basis=MUNICIPAL_OLD)


class Migration(migrations.Migration):

    dependencies = [
        ('accessibility', '0004_half_open_validity'),
    ]

    operations = [
        migrations.AddField(
            model_name='standard',
            name='app_area_element',
            field=models.CharField(blank=True, choices=[('powierzchniaLacznaObszarowZieleniPublicznej', 'łączna powierzchnia obszarów zieleni publicznej'), ('powierzchniaObszaruZieleniPublicznej', 'powierzchnia obszaru zieleni publicznej')], help_text='attribute of the APP accessibility-standards area for the minimum area', max_length=80, verbose_name='APP attribute (area)'),
        ),
        migrations.AddField(
            model_name='standard',
            name='app_element',
            field=models.CharField(blank=True, choices=[('odlegloscDoSzkolyPodstawowej', 'odległość do szkoły podstawowej'), ('odlegloscDoObszarowZieleniPublicznej', 'odległość do obszarów zieleni publicznej'), ('odlegloscDoObszaruZieleniPublicznej', 'odległość do obszaru zieleni publicznej'), ('odlegloscDoPrzedszkola', 'odległość do przedszkola'), ('odlegloscDoZlobka', 'odległość do żłobka'), ('odlegloscDoAmbulatoriumPOZ', 'odległość do ambulatorium POZ'), ('odlegloscDoBiblioteki', 'odległość do biblioteki'), ('odlegloscDoDomuKultury', 'odległość do domu kultury'), ('odlegloscDoDomuPomocySpolecznej', 'odległość do domu pomocy społecznej'), ('odlegloscDoUrzadzonegoTerenuSportu', 'odległość do urządzonego terenu sportu'), ('odlegloscDoPrzystanku', 'odległość do przystanku'), ('odlegloscDoPlacowkiPocztowej', 'odległość do placówki pocztowej'), ('odlegloscDoApteki', 'odległość do apteki'), ('odlegloscDoPosterunkuPolicji', 'odległość do posterunku policji'), ('odlegloscDoPosterunkuJednostkiOchronyPrzeciwpozarowej', 'odległość do posterunku jednostki ochrony przeciwpożarowej')], help_text='attribute of the APP accessibility-standards area for the distance', max_length=80, verbose_name='APP attribute (distance)'),
        ),
        migrations.RunPython(forward, backward),
    ]

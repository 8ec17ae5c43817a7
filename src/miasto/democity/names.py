"""Polish names for the demo city: districts, streets, organisational units.

Everything here is fictional; street names follow the usual Polish patterns (trees, flowers,
birds, crafts, towns, patrons). Lists are ordered tuples so generation is deterministic.
"""

from __future__ import annotations

CITY_NAME = "Miasto Przykładowe"
TERC = "1064011"
UNIT = "106401_1"
VOIVODESHIP = "łódzkie"
COUNTY = "powiat przykładowski"
RIVER = "Strużyna"

#: Major streets (roads on the superblock grid): avenues first, then radial roads.
AVENUES = (
    "Jana Pawła II",
    "Marszałka Józefa Piłsudskiego",
    "Armii Krajowej",
    "Solidarności",
    "Tysiąclecia",
    "Wojska Polskiego",
    "Niepodległości",
    "Tadeusza Kościuszki",
)
MAJOR = (
    "Warszawska",
    "Łódzka",
    "Piotrkowska",
    "Kaliska",
    "Sieradzka",
    "Wieluńska",
    "Zgierska",
    "Pabianicka",
    "Tuszyńska",
    "Bełchatowska",
    "Częstochowska",
    "Toruńska",
    "Poznańska",
    "Krakowska",
    "Radomska",
    "Rawska",
    "Łęczycka",
    "Kutnowska",
    "Skierniewicka",
    "Tomaszowska",
    "Zduńska",
    "Łaska",
    "Brzezińska",
    "Głowackiego",
    "Przemysłowa",
    "Fabryczna",
    "Kolejowa",
    "Graniczna",
    "Nadrzeczna",
    "Bulwarowa",
)
LOCAL = (
    # trees
    "Lipowa", "Klonowa", "Dębowa", "Brzozowa", "Jesionowa", "Wiązowa", "Akacjowa", "Jaworowa",
    "Bukowa", "Grabowa", "Olchowa", "Topolowa", "Wierzbowa", "Sosnowa", "Świerkowa", "Modrzewiowa",
    "Jodłowa", "Cisowa", "Kasztanowa", "Orzechowa", "Jarzębinowa", "Głogowa", "Leszczynowa",
    "Czereśniowa", "Wiśniowa", "Jabłoniowa", "Gruszowa", "Śliwkowa", "Morelowa", "Bzowa",
    # flowers and plants
    "Różana", "Tulipanowa", "Storczykowa", "Konwaliowa", "Fiołkowa", "Makowa", "Chabrowa",
    "Rumiankowa", "Słonecznikowa", "Liliowa", "Irysowa", "Narcyzowa", "Piwoniowa", "Astrowa",
    "Goździkowa", "Jaśminowa", "Wrzosowa", "Paprociowa", "Kwiatowa", "Ogrodowa", "Sadowa",
    "Malinowa", "Poziomkowa", "Jagodowa", "Borówkowa", "Żurawinowa", "Miętowa", "Lawendowa",
    # birds and animals
    "Słowicza", "Skowronkowa", "Jaskółcza", "Sikorkowa", "Gołębia", "Orla", "Sokola", "Jastrzębia",
    "Bociania", "Żurawia", "Czajcza", "Szpacza", "Wróbla", "Kukułcza", "Dzięciołowa", "Łabędzia",
    "Sowia", "Krucza", "Pawia", "Zięby", "Wilgi", "Kosa", "Drozdowa", "Czaplowa",
    # landscape and character
    "Długa", "Krótka", "Polna", "Leśna", "Łąkowa", "Wiejska", "Szeroka", "Wąska", "Cicha",
    "Spokojna", "Słoneczna", "Pogodna", "Wesoła", "Zielona", "Jasna", "Boczna", "Prosta",
    "Krzywa", "Stroma", "Równa", "Górna", "Dolna", "Nowa", "Stara", "Mała", "Wysoka", "Kręta",
    "Piaskowa", "Kamienna", "Źródlana", "Strumykowa", "Stawowa", "Bagienna", "Torfowa",
    "Wrzosowiskowa", "Łęgowa", "Nadbrzeżna", "Zagajnikowa", "Polanowa", "Pagórkowa",
    # crafts and trades
    "Kowalska", "Ślusarska", "Garncarska", "Tkacka", "Szewska", "Krawiecka", "Piekarska",
    "Rzeźnicka", "Młynarska", "Bednarska", "Stolarska", "Ciesielska", "Murarska", "Zdunowa",
    "Rymarska", "Kuśnierska", "Złotnicza", "Kupiecka", "Sukiennicza", "Browarna", "Żytnia",
    "Pszenna", "Owsiana", "Jęczmienna", "Gryczana", "Lniana", "Konopna", "Chmielna",
    # towns and regions
    "Opoczyńska", "Wolborska", "Sulejowska", "Rozprzańska", "Widawska", "Szadkowska",
    "Złoczewska", "Burzeninska", "Warciańska", "Uniejowska", "Poddębicka", "Ozorkowska",
    "Strykowska", "Koluszkowska", "Rokicińska", "Andrespolska", "Konstantynowska",
    "Aleksandrowska", "Głowieńska", "Łowicka", "Sochaczewska", "Gostynińska", "Płocka",
    "Kujawska", "Mazowiecka", "Śląska", "Wielkopolska", "Pomorska", "Mazurska", "Podlaska",
    "Lubelska", "Kielecka", "Tatrzańska", "Bieszczadzka", "Karkonoska", "Beskidzka",
    "Sudecka", "Kaszubska", "Warmińska", "Kurpiowska",
    # patrons
    "Adama Mickiewicza", "Juliusza Słowackiego", "Henryka Sienkiewicza", "Bolesława Prusa",
    "Elizy Orzeszkowej", "Marii Konopnickiej", "Stefana Żeromskiego", "Władysława Reymonta",
    "Jana Kochanowskiego", "Ignacego Krasickiego", "Cypriana Kamila Norwida",
    "Stanisława Wyspiańskiego", "Fryderyka Chopina", "Stanisława Moniuszki",
    "Karola Szymanowskiego", "Mikołaja Kopernika", "Marii Skłodowskiej-Curie",
    "Jana Matejki", "Józefa Chełmońskiego", "Artura Grottgera", "Jacka Malczewskiego",
    "Józefa Bema", "Kazimierza Pułaskiego", "Jana Henryka Dąbrowskiego", "Józefa Poniatowskiego",
    "Romualda Traugutta", "Jana Kilińskiego", "Bartosza Głowackiego", "Emilii Plater",
    "Stefana Czarnieckiego", "Jana Zamoyskiego", "Stefana Batorego", "Władysława Jagiełły",
    "Kazimierza Wielkiego", "Bolesława Chrobrego", "Mieszka I", "Królowej Jadwigi",
    "Janusza Korczaka", "Ireny Sendlerowej", "Witolda Pileckiego", "Ignacego Paderewskiego",
    "Wincentego Witosa", "Gabriela Narutowicza", "Stefana Starzyńskiego", "Marii Dąbrowskiej",
    "Zofii Nałkowskiej", "Wisławy Szymborskiej", "Czesława Miłosza", "Juliana Tuwima",
    "Jana Brzechwy", "Kornela Makuszyńskiego", "Aleksandra Fredry", "Adama Asnyka",
    "Leopolda Staffa", "Bolesława Leśmiana", "Krzysztofa Kamila Baczyńskiego",
    "Tadeusza Rejtana", "Hugona Kołłątaja", "Stanisława Staszica", "Jana Śniadeckiego",
    "Jędrzeja Śniadeckiego", "Ludwika Zamenhofa", "Ludwika Waryńskiego", "Jana Lelewela",
    "Joachima Lelewela", "Piotra Skargi", "Mikołaja Reja", "Jana Długosza", "Galla Anonima",
    "Wincentego Kadłubka", "Księdza Jerzego Popiełuszki", "Kardynała Stefana Wyszyńskiego",
    # events and abstract
    "Zwycięstwa", "Pokoju", "Wolności", "Szkolna", "Kościelna", "Parkowa", "Sportowa",
    "Harcerska", "Rzemieślnicza", "Targowa", "Rynkowa", "Ratuszowa", "Zamkowa", "Klasztorna",
    "Cmentarna", "Pocztowa", "Dworcowa", "Tramwajowa", "Składowa", "Magazynowa", "Spółdzielcza",
    "Osiedlowa", "Działkowa", "Letniskowa", "Wakacyjna", "Wiosenna", "Letnia", "Jesienna",
    "Zimowa", "Majowa", "Czerwcowa", "Lipcowa", "Sierpniowa", "Wrześniowa", "Październikowa",
    "Tęczowa", "Gwiaździsta", "Księżycowa", "Promienna", "Błękitna", "Srebrna", "Złota",
    "Bursztynowa", "Koralowa", "Perłowa", "Szmaragdowa", "Rubinowa", "Diamentowa",
    "Kryształowa", "Turkusowa",
)  # fmt: skip
ROMAN = ("II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")


def street_names(count: int) -> list[str]:
    """``count`` distinct local street names; beyond the pool, numbered variants (``Lipowa II``)."""
    names: list[str] = list(LOCAL[:count])
    for suffix in ROMAN:
        if len(names) >= count:
            break
        names.extend(f"{n} {suffix}" for n in LOCAL[: count - len(names)])
    i = 11
    while len(names) < count:
        names.extend(f"{n} {i}" for n in LOCAL[: count - len(names)])
        i += 1
    return names


#: District map of the base layout, north row first: one letter per base cell.
DISTRICT_MAP = (
    "ASSSEEBB",
    "ASSTEBBB",
    "STTTKKIB",
    "WTOKKIIC",
    "WWWWWWWC",
    "WZZZNNCC",
    "WZZZNCCC",
)

#: letter → (code, name, character)
DISTRICTS: dict[str, tuple[str, str, str]] = {
    "O": ("01", "Stare Miasto", "old_town"),
    "T": ("02", "Śródmieście", "tenement"),
    "E": ("03", "Osiedle Słoneczne", "estate"),
    "K": ("04", "Osiedle Kopernika", "estate"),
    "S": ("05", "Zielone Wzgórze", "suburb"),
    "A": ("06", "Borki", "farmland"),
    "I": ("07", "Fabryczna", "industrial"),
    "B": ("08", "Brzezinki", "suburb"),
    "W": ("09", "Łęgi", "farmland"),
    "Z": ("10", "Zarzecze", "suburb"),
    "N": ("11", "Osiedle Południe", "estate"),
    "C": ("12", "Kolonia Wschodnia", "farmland"),
}
#: Districts built recently (newer buildings, fewer services).
NEW_DISTRICTS = frozenset({"Z", "N"})

ORG_UNITS: tuple[tuple[str, str, str, str | None], ...] = (
    # code, name, kind, parent code
    ("UM", "Urząd Miasta Przykładowe", "urząd", None),
    ("UM-GK", "Wydział Geodezji i Kartografii", "wydział", "UM"),
    ("UM-AB", "Wydział Architektury i Budownictwa", "wydział", "UM"),
    ("UM-BPP", "Biuro Planowania Przestrzennego", "biuro", "UM"),
    ("UM-OS", "Wydział Ochrony Środowiska", "wydział", "UM"),
    ("UM-ED", "Wydział Edukacji", "wydział", "UM"),
    ("UM-GN", "Wydział Gospodarki Nieruchomościami", "wydział", "UM"),
    ("UM-KZ", "Miejski Konserwator Zabytków", "biuro", "UM"),
    ("UM-ZK", "Wydział Zarządzania Kryzysowego", "wydział", "UM"),
    ("ZDM", "Zarząd Dróg Miejskich", "jednostka budżetowa", "UM"),
    ("ZZM", "Zarząd Zieleni Miejskiej", "jednostka budżetowa", "UM"),
    ("MOPS", "Miejski Ośrodek Pomocy Społecznej", "jednostka budżetowa", "UM"),
    ("MBP", "Miejska Biblioteka Publiczna", "instytucja kultury", "UM"),
    ("MDK", "Miejski Dom Kultury", "instytucja kultury", "UM"),
    ("MOSiR", "Miejski Ośrodek Sportu i Rekreacji", "jednostka budżetowa", "UM"),
    ("MZŻ", "Miejski Zespół Żłobków", "jednostka budżetowa", "UM"),
    ("MPK", "Miejskie Przedsiębiorstwo Komunikacyjne sp. z o.o.", "spółka miejska", "UM"),
)

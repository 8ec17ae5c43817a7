"""Search finds what people type (issue 14): every form, ranked, typo- and diacritics-tolerant,
and calm under hostile input — on factory-built parcels, streets, addresses and areas."""

from __future__ import annotations

from typing import Any

import pytest

from miasto.territory import search as search_module
from tests.territory import factories as tf

pytestmark = pytest.mark.django_db


@pytest.fixture
def town(db):  # type: ignore[no-untyped-def]
    city = tf.CityFactory()
    old_town = tf.DistrictFactory(city=city, code="01", name="Stare Miasto")
    factory = tf.DistrictFactory(city=city, code="07", name="Fabryczna")
    sunny = tf.DistrictFactory(city=city, code="03", name="Osiedle Słoneczne")
    legi = tf.DistrictFactory(city=city, code="09", name="Łęgi")
    precincts = {
        "0036": tf.PrecinctFactory(code="0036", name="Stare Miasto 1", district=old_town),
        "0003": tf.PrecinctFactory(code="0003", name="Fabryczna 2", district=factory),
        "0025": tf.PrecinctFactory(code="0025", name="Łęgi 1", district=legi),
        "0005": tf.PrecinctFactory(code="0005", name="Słoneczne 1", district=sunny),
    }
    cells = iter(range(100))
    parcels = {}
    for code, number in [
        ("0036", "196"), ("0036", "19"), ("0036", "1960"), ("0036", "196/2"),
        ("0003", "12/4"), ("0003", "12/5"), ("0003", "196"),
        ("0025", "11"), ("0005", "196"), ("0005", "3"),
    ]:  # fmt: skip
        parcel = tf.ParcelFactory(precinct=precincts[code], number=number, cell=next(cells))
        parcels[f"{code}.{number}"] = parcel
    sheet = tf.ParcelFactory(
        precinct=precincts["0025"],
        number="7",
        identifier="106401_1.0025.AR_2.7",
        cell=next(cells),
    )
    parcels["0025.AR_2.7"] = sheet
    streets = {
        "Długa": tf.StreetFactory(name="Długa"),
        "Jana Długosza": tf.StreetFactory(name="Jana Długosza"),
        "Mikołaja Kopernika": tf.StreetFactory(name="Mikołaja Kopernika"),
        "Jana Pawła II": tf.StreetFactory(name="Jana Pawła II", kind="al."),
        "Wolności": tf.StreetFactory(name="Wolności", kind="pl."),
        "Łąkowa": tf.StreetFactory(name="Łąkowa"),
    }
    addresses = {}
    for street, number, parcel in [
        ("Długa", "1", "0036.19"), ("Długa", "10", "0036.196"), ("Długa", "10A", "0036.1960"),
        ("Długa", "2", "0036.196/2"), ("Jana Długosza", "10", "0003.12/4"),
        ("Mikołaja Kopernika", "5", "0003.12/5"), ("Jana Pawła II", "5", "0025.11"),
        ("Wolności", "3", "0005.3"), ("Łąkowa", "7", "0005.196"),
    ]:  # fmt: skip
        address = tf.AddressFactory(street=streets[street], number=number, parcel=parcels[parcel])
        addresses[address.label] = address
    return {"parcels": parcels, "streets": streets, "addresses": addresses}


def ask(client, q: str, **params: Any) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    r = client.get("/api/v1/search", {"q": q, **params})
    assert r.status_code == 200, r.content
    return r.json()["results"]


def first(client, q: str) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    results = ask(client, q)
    assert results, f"nothing found for {q!r}"
    return results[0]


# --- every form people type --------------------------------------------------------------------


@pytest.mark.parametrize(
    "q,label",
    [
        ("106401_1.0036.196", "106401_1.0036.196"),  # full EGiB identifier
        ("106401_1.0003.12/4", "106401_1.0003.12/4"),
        ("106401_1.0025.ar_2.7", "106401_1.0025.AR_2.7"),  # the sheet in any case
        ("0036.196", "106401_1.0036.196"),  # obręb.numer
        ("0003.12/4", "106401_1.0003.12/4"),  # the placeholder's format
        ("0036 . 196", "106401_1.0036.196"),
        ("36.196", "106401_1.0036.196"),  # the precinct code without its zeros
        ("0025.AR_2.7", "106401_1.0025.AR_2.7"),
        ("0025.7", "106401_1.0025.AR_2.7"),  # without the sheet
        ("196 Stare Miasto", "106401_1.0036.196"),  # number with the district's name
        ("12/4 Fabryczna", "106401_1.0003.12/4"),
        ("Fabryczna 12/4", "106401_1.0003.12/4"),  # the name first
        ("196 stare miasto 1", "106401_1.0036.196"),  # the precinct's name
        ("dz. 196 Fabryczna", "106401_1.0003.196"),
        ("196 os. Słoneczne", "106401_1.0005.196"),
        ("196 Slonecznе", "106401_1.0005.196"),  # a Cyrillic "е" typed: similar
        ("11 legi", "106401_1.0025.11"),  # no diacritics
        ("Łęgi 1, dz. 11", "106401_1.0025.11"),
    ],
)
def test_parcel_forms(client, town, q, label):  # type: ignore[no-untyped-def]
    hit = first(client, q)
    assert (hit["type"], hit["label"]) == ("parcel", label)
    assert hit["parcel"] == label
    assert len(hit["point"]) == 2 and 18.5 < hit["point"][0] < 19.5 and 51 < hit["point"][1] < 52
    assert len(hit["bbox"]) == 4
    assert hit["type_label"] == "działka"


@pytest.mark.parametrize(
    "q,label",
    [
        ("ul. Długa 10", "ul. Długa 10"),
        ("Długa 10", "ul. Długa 10"),
        ("dluga 10", "ul. Długa 10"),
        ("DŁUGA 10", "ul. Długa 10"),
        ("ulica Długa 10", "ul. Długa 10"),
        ("Długa 10a", "ul. Długa 10A"),
        ("Długa, 10", "ul. Długa 10"),
        ("al. Jana Pawła II 5", "al. Jana Pawła II 5"),
        ("aleja jana pawla ii 5", "al. Jana Pawła II 5"),
        ("pl. Wolności 3", "pl. Wolności 3"),
        ("plac wolnosci 3", "pl. Wolności 3"),
        ("Wolnosci 3", "pl. Wolności 3"),
        ("Kopernika 5", "ul. Mikołaja Kopernika 5"),  # a word of the street's name
        ("lakowa 7", "ul. Łąkowa 7"),
        ("Dlugaa 10", "ul. Długa 10"),  # a typo
        ("Dloga 10", "ul. Długa 10"),
        ("ługa 10", "ul. Długa 10"),  # inside the name
    ],
)
def test_address_forms(client, town, q, label):  # type: ignore[no-untyped-def]
    hit = first(client, q)
    assert (hit["type"], hit["label"]) == ("address", label)
    assert hit["parcel"] and hit["bbox"] is None and len(hit["point"]) == 2
    assert hit["type_label"] == "adres"


@pytest.mark.parametrize(
    "q,kind,label",
    [
        ("Długa", "street", "ul. Długa"),
        ("ul. Długa", "street", "ul. Długa"),
        ("dluga", "street", "ul. Długa"),
        ("ŁUGA", "street", "ul. Długa"),
        ("Długs", "street", "ul. Długa"),  # a typo
        ("Dlugosza", "street", "ul. Jana Długosza"),  # a word of the name
        ("al. Jana Pawła", "street", "al. Jana Pawła II"),
        ("Stare Miasto", "district", "Stare Miasto"),
        ("stare", "district", "Stare Miasto"),
        ("os. Słoneczne", "district", "Osiedle Słoneczne"),
        ("Osiedle Sloneczne", "district", "Osiedle Słoneczne"),
        ("Słoneczne", "district", "Osiedle Słoneczne"),
        ("Łęgi", "district", "Łęgi"),
        ("legi", "district", "Łęgi"),
        ("Fabrycna", "district", "Fabryczna"),  # a typo
        ("Fabryczna 2", "precinct", "Fabryczna 2"),  # a precinct's name
        ("obręb Łęgi 1", "precinct", "Łęgi 1"),
        ("0036", "precinct", "Stare Miasto 1"),  # a precinct's code
        ("106401_1.0036", "precinct", "Stare Miasto 1"),
    ],
)
def test_name_forms(client, town, q, kind, label):  # type: ignore[no-untyped-def]
    hit = first(client, q)
    assert (hit["type"], hit["label"]) == (kind, label)
    assert len(hit["point"]) == 2 and len(hit["bbox"]) == 4
    assert hit["bbox"][0] <= hit["bbox"][2] and hit["bbox"][1] <= hit["bbox"][3]


def test_result_details(client, town):  # type: ignore[no-untyped-def]
    street = first(client, "Długa")
    assert street["type_label"] == "ulica" and street["detail"] == "droga lokalna (L)"
    precinct = first(client, "0036")
    assert precinct["detail"] == "obręb 106401_1.0036, Stare Miasto"
    assert precinct["type_label"] == "obręb"
    assert first(client, "Łęgi")["type_label"] == "dzielnica"
    address = first(client, "Długa 10")
    assert address["detail"] == "98-200, Stare Miasto"
    assert address["parcel"] == "106401_1.0036.196"
    parcel = first(client, "0036.196")
    assert parcel["detail"] == "Stare Miasto 1, Stare Miasto, 625 m²"


def test_english_labels(client, town):  # type: ignore[no-untyped-def]
    r = client.get("/api/v1/search", {"q": "Długa"}, HTTP_ACCEPT_LANGUAGE="en")
    assert r.json()["results"][0]["type_label"] == "street"


# --- ranking ----------------------------------------------------------------------------------


def labels(results: list[dict[str, Any]]) -> list[str]:
    return [r["label"] for r in results]


def test_exact_identifier_before_its_beginnings(client, town):  # type: ignore[no-untyped-def]
    found = labels(ask(client, "0036.19"))
    assert found[0] == "106401_1.0036.19"
    assert set(found[1:]) == {"106401_1.0036.196", "106401_1.0036.1960", "106401_1.0036.196/2"}
    found = labels(ask(client, "0036.196"))
    assert found[0] == "106401_1.0036.196" and "106401_1.0036.196/2" in found
    assert "106401_1.0003.196" not in found  # another precinct's 196


def test_number_alone_lists_exact_numbers_first(client, town):  # type: ignore[no-untyped-def]
    found = labels(ask(client, "196"))
    exact = {"106401_1.0036.196", "106401_1.0003.196", "106401_1.0005.196"}
    assert set(found[:3]) == exact
    assert set(found[3:]) == {"106401_1.0036.1960", "106401_1.0036.196/2"}


def test_number_with_area_before_other_readings(client, town):  # type: ignore[no-untyped-def]
    found = ask(client, "196 Stare Miasto")
    assert found[0]["label"] == "106401_1.0036.196"
    # the district itself and the number's beginnings follow; not another precinct's 196
    assert "106401_1.0003.196" not in labels(found)
    assert "106401_1.0036.1960" in labels(found)


def test_number_in_a_district_is_not_taken_for_an_address(client, town):  # type: ignore[no-untyped-def]
    """``Kopernika 5``: the address on ul. Mikołaja Kopernika, before parcel 5 of "Osiedle
    Kopernika" (a district called so only with "Osiedle" in front); ``os. Kopernika 5`` is the
    parcel."""
    district = tf.DistrictFactory(code="04", name="Osiedle Kopernika")
    precinct = tf.PrecinctFactory(code="0021", name="Kopernika 1", district=district)
    tf.ParcelFactory(precinct=precinct, number="5", cell=90)
    found = labels(ask(client, "Kopernika 5"))
    assert found[0] == "ul. Mikołaja Kopernika 5"
    assert "106401_1.0021.5" in found
    assert first(client, "os. Kopernika 5")["label"] == "106401_1.0021.5"


def test_precinct_named_so_before_a_parcel_numbered_so(client, town):  # type: ignore[no-untyped-def]
    """``Łęgi 1`` is the precinct's name, and parcel 1 of the district Łęgi would be exact too:
    the precinct first."""
    tf.ParcelFactory(precinct=town["parcels"]["0025.11"].precinct, number="1", cell=91)
    found = ask(client, "Łęgi 1")
    assert (found[0]["type"], found[0]["label"]) == ("precinct", "Łęgi 1")
    assert found[1]["label"] == "106401_1.0025.1"


def test_exact_address_before_beginnings(client, town):  # type: ignore[no-untyped-def]
    found = labels(ask(client, "Długa 1"))
    assert found[0] == "ul. Długa 1"
    assert found.index("ul. Długa 10") < found.index("ul. Długa 10A")


def test_exact_street_before_addresses_on_it(client, town):  # type: ignore[no-untyped-def]
    found = ask(client, "Długa")
    assert (found[0]["type"], found[0]["label"]) == ("street", "ul. Długa")
    rest = [r for r in found[1:] if r["type"] == "address"]
    assert rest and all(r["label"].startswith("ul. Długa ") for r in rest)
    found = labels(ask(client, "Dług"))
    assert found[0] == "ul. Długa"  # its name begins so
    assert "ul. Jana Długosza" in found  # a word of its name begins so
    assert found.index("ul. Długa") < found.index("ul. Jana Długosza")


def test_beginning_of_a_street_before_addresses_on_it(client, town):  # type: ignore[no-untyped-def]
    found = ask(client, "al. Jana Pawła")
    assert [r["type"] for r in found] == ["street", "address"]


def test_typo_only_when_nothing_matches(client, town):  # type: ignore[no-untyped-def]
    # "Długa" matches exactly: "Długosza" is not offered as a fuzzy match of a typo
    assert "ul. Łąkowa" not in labels(ask(client, "Długa"))
    # a typo finds the similar name, the most similar first
    found = labels(ask(client, "Dlugaa 10"))
    assert found[0] == "ul. Długa 10"


def test_limit(client, town):  # type: ignore[no-untyped-def]
    assert len(ask(client, "196", limit=2)) == 2
    r = client.get("/api/v1/search", {"q": "196", "limit": "100"})
    assert r.status_code == 400


# --- hostile input ----------------------------------------------------------------------------


@pytest.mark.parametrize("q", ["%", "%%", "_", "__", "\\", "\\\\", "%_%", "%a", "a%", "_1", "1%"])
def test_like_wildcards_match_themselves(client, town, q):  # type: ignore[no-untyped-def]
    """``%`` and ``_`` are not wildcards: they match nothing in the town."""
    assert ask(client, q) == []


@pytest.mark.parametrize("q", ["_ługa", "Dł%ga", "D_uga", "Dług%"])
def test_like_wildcards_in_a_name_are_not_wildcards(client, town, q):  # type: ignore[no-untyped-def]
    """At most the names similar to the letters typed: never every street or address."""
    found = labels(ask(client, q))
    assert len(found) < 5 and all("Dług" in label for label in found), found


@pytest.mark.parametrize(
    "q",
    [
        "'; DROP TABLE territory_parcel; --",
        "1' OR '1'='1",
        "Długa' --",
        '") UNION SELECT * FROM auth_user --',
        "%(cap)s",
        "{parcels}",
        "😀😀😀",
        "Długa 😀 10",
        "\u202e\u200bDługa",
        "a" * 200,
        "1" * 200,
        "0" * 200,
        "1/" * 100,
        "106401_1." + "9" * 100,
        "0036." + "9" * 100,
    ],
)
def test_hostile_input_is_not_an_error(client, town, q):  # type: ignore[no-untyped-def]
    r = client.get("/api/v1/search", {"q": q})
    assert r.status_code == 200
    assert isinstance(r.json()["results"], list)
    assert town["parcels"]["0036.196"].__class__.objects.count() == 11  # still there


@pytest.mark.parametrize("q", ["", " ", "a", "...", "!?", "—", "%%%", "\t\n", "-- ;", "  .  "])
def test_nothing_to_search_says_so(client, town, q):  # type: ignore[no-untyped-def]
    r = client.get("/api/v1/search", {"q": q})
    assert r.status_code == 200
    data = r.json()
    assert data["results"] == []
    if not q.strip("%"):  # "%%%" has no letter or digit either
        assert data["message"]


def test_nul_bytes_and_controls(client, town):  # type: ignore[no-untyped-def]
    """A NUL byte in a request is refused (400, by the site's middleware); called directly,
    search drops NUL bytes and control characters."""
    r = client.get("/api/v1/search", {"q": "Dłu\x00ga 10"})
    assert r.status_code == 400 and "NUL" in r.json()["message"]
    assert first(client, "Długa\t10")["label"] == "ul. Długa 10"
    assert search_module.search("Dłu\x00ga\x0b 10")["results"][0]["label"] == "ul. Długa 10"


def test_too_long(client, town):  # type: ignore[no-untyped-def]
    for q in ("x" * 201, "x" * 10_000, "Długa 10 " * 30):
        r = client.get("/api/v1/search", {"q": q})
        assert r.status_code == 400, q[:10]
        assert "200" in r.json()["message"]


def test_surrogates_and_odd_unicode(town):  # type: ignore[no-untyped-def]
    """Called directly (not through a URL, which cannot hold them): no encoding error."""
    assert search_module.search("\ud800Długa 10")["results"][0]["label"] == "ul. Długa 10"
    assert search_module.search("Dl\u0301uga")["query"]  # a combining mark
    assert search_module.search("ﬁ")["results"] == []  # a ligature, normalised to "fi"

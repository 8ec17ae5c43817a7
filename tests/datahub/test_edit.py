"""The metadata edit page ``/dane/<slug>/edycja/``: permission matrix, every field, bad input."""

from __future__ import annotations

import json

import pytest
from django.test import override_settings

from miasto.core.models import AuditEntry
from miasto.datahub import quality
from miasto.datahub.forms import RULE_SPECS, rule_overrides_clean
from miasto.datahub.models import Dataset
from tests.datahub.test_api_permissions import hub, login_as, make_version, steward_of  # noqa: F401
from tests.datahub.test_views import compile_datahub_messages

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_messages")]

WHO = [
    "anonymous",
    "resident",
    "planner",
    "steward_other_unit",
    "steward_owner_unit",
    "administrator",
]
VISIBLE = {
    "public": set(WHO),
    "restricted": {"steward_owner_unit", "administrator"},
}
MANAGERS = {"steward_owner_unit", "administrator"}


@pytest.fixture(scope="module")
def _messages() -> None:
    compile_datahub_messages()


def form_data(ds: Dataset, **changes: object) -> dict[str, object]:
    """A complete POST of the edit form for ``ds`` (every field), with ``changes``."""
    data: dict[str, object] = {
        "title_pl": ds.title_pl,
        "title_en": ds.title_en,
        "description_pl": ds.description_pl,
        "description_en": ds.description_en,
        "keywords": ", ".join(ds.keywords),
        "theme": ds.theme,
        "owner": ds.owner_id,
        "contact_name": ds.contact_name,
        "contact_email": ds.contact_email,
        "licence": ds.licence,
        "frequency": ds.frequency,
        "access": ds.access,
        "target": ds.target,
        "key_field": ds.key_field,
        "temporal_start": "",
        "temporal_end": "",
        "spatial_mode": "keep",
        "spatial_geojson": "",
        "quality_rules": json.dumps(ds.quality_rules) if ds.quality_rules else "",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("access", sorted(VISIBLE))
def test_edit_permission_matrix(who, access, client, make_user, hub):  # type: ignore[no-untyped-def]  # noqa: F811
    user = login_as(who, client, make_user, hub)
    ds = hub["datasets"][access]
    url = f"/dane/{ds.slug}/edycja/"
    before = AuditEntry.objects.filter(model="datahub.dataset", object_id=str(ds.pk)).count()
    get = client.get(url)
    post = client.post(url, form_data(ds, title_pl="Nowy tytuł"))
    ds.refresh_from_db()
    if who == "anonymous":
        assert get.status_code == 302 and "/konto/logowanie/" in get["Location"]
        assert post.status_code == 302 and "/konto/logowanie/" in post["Location"]
    elif who not in VISIBLE[access]:
        assert get.status_code == 404 and post.status_code == 404  # its existence stays hidden
    elif who not in MANAGERS:
        assert get.status_code == 403 and post.status_code == 403
    else:
        assert get.status_code == 200
        assert 'name="title_pl"' in get.content.decode()
        assert post.status_code == 302 and post["Location"] == f"/dane/{ds.slug}/"
        assert ds.title_pl == "Nowy tytuł"
        entry = AuditEntry.objects.filter(model="datahub.dataset", object_id=str(ds.pk)).first()
        assert entry is not None and entry.action == "update"
        assert entry.actor_id == user.pk and entry.source == "web"
        assert entry.changes["title_pl"] == {"before": f"Drzewa ({access})", "after": "Nowy tytuł"}
        return
    assert ds.title_pl == f"Drzewa ({access})"
    after = AuditEntry.objects.filter(model="datahub.dataset", object_id=str(ds.pk)).count()
    assert after == before


def test_edit_link_only_for_managers(client, make_user, hub):  # type: ignore[no-untyped-def]  # noqa: F811
    ds = hub["datasets"]["public"]
    link = f'href="/dane/{ds.slug}/edycja/"'
    for who in WHO:
        login_as(who, client, make_user, hub)
        body = client.get(f"/dane/{ds.slug}/").content.decode()
        assert (link in body) is (who in MANAGERS), who
        client.logout()


def test_every_field_is_saved(client, make_user, hub):  # type: ignore[no-untyped-def]  # noqa: F811
    ds = hub["datasets"]["public"]
    client.force_login(steward_of(make_user, hub["env"]))
    page = client.get(f"/dane/{ds.slug}/edycja/").content.decode()
    # the current values are filled in; keywords as a comma-separated list
    assert 'value="drzewa, zieleń"' in page and "Drzewa (public)" in page
    assert "max_outside_city_share" in page  # the rules table lists the defaults
    rules = {"max_outside_city_share": 0.8, "block_swapped_axes": False, "max_duplicate_keys": 0}
    r = client.post(
        f"/dane/{ds.slug}/edycja/",
        form_data(
            ds,
            title_pl="Drzewa miejskie",
            title_en="City trees",
            description_pl="Inwentaryzacja drzew.",
            description_en="Tree inventory.",
            keywords="drzewa, pomniki przyrody , ,lipy",
            theme="AGRI",
            contact_name="Jan Kowalski",
            contact_email="jan.kowalski@example.org",
            licence="CC0-1.0",
            frequency="MONTHLY",
            access="internal",
            key_field="Nr Drzewa",
            temporal_start="01.01.2020",
            temporal_end="2024-12-31",
            spatial_mode="city",
            quality_rules=json.dumps(rules),
        ),
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    ds.refresh_from_db()
    assert (ds.title_pl, ds.title_en) == ("Drzewa miejskie", "City trees")
    assert (ds.description_pl, ds.description_en) == ("Inwentaryzacja drzew.", "Tree inventory.")
    assert ds.keywords == ["drzewa", "pomniki przyrody", "lipy"]
    assert (ds.theme, ds.licence, ds.frequency, ds.access) == (
        "AGRI",
        "CC0-1.0",
        "MONTHLY",
        "internal",
    )
    assert (ds.contact_name, ds.contact_email) == ("Jan Kowalski", "jan.kowalski@example.org")
    assert ds.key_field == "nr drzewa"  # the column GDAL gives it (it keeps spaces)
    assert str(ds.temporal_start) == "2020-01-01" and str(ds.temporal_end) == "2024-12-31"
    assert ds.quality_rules == rules
    assert ds.spatial_coverage is not None and ds.spatial_coverage.geom_type == "MultiPolygon"
    from miasto.territory.models import City

    assert ds.spatial_coverage.equals(City.objects.get().geom)
    # the saved overrides drive the rules of the next import
    effective = quality.rules_for(False, ds.quality_rules)
    assert effective["max_outside_city_share"] == 0.8 and effective["block_swapped_axes"] is False
    # the dataset page shows the new metadata and a confirmation
    body = client.get(f"/dane/{ds.slug}/").content.decode()
    assert "Drzewa miejskie" in body and "jan.kowalski@example.org" in body
    # "keep" leaves the coverage alone; "none" clears it; empty rules mean the defaults
    client.post(f"/dane/{ds.slug}/edycja/", form_data(ds, quality_rules=""))
    ds.refresh_from_db()
    assert ds.spatial_coverage is not None and ds.quality_rules == {}
    client.post(f"/dane/{ds.slug}/edycja/", form_data(ds, spatial_mode="none"))
    ds.refresh_from_db()
    assert ds.spatial_coverage is None


def test_spatial_coverage_from_extent_and_geojson(client, make_user, hub):  # type: ignore[no-untyped-def]  # noqa: F811
    ds = hub["datasets"]["public"]
    client.force_login(make_user("administrator"))
    r = client.post(f"/dane/{ds.slug}/edycja/", form_data(ds, spatial_mode="extent"))
    assert r.status_code == 302
    ds.refresh_from_db()
    # the two trees at (500010, 403710) and (500020, 403720), grown by 1 m
    assert [round(v) for v in ds.spatial_coverage.extent] == [500009, 403709, 500021, 403721]
    polygon = {
        "type": "Polygon",
        "coordinates": [[[19.0, 51.5], [19.01, 51.5], [19.01, 51.51], [19.0, 51.51], [19.0, 51.5]]],
    }
    r = client.post(
        f"/dane/{ds.slug}/edycja/",
        form_data(ds, spatial_mode="custom", spatial_geojson=json.dumps(polygon)),
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    ds.refresh_from_db()
    cov = ds.spatial_coverage
    assert cov.srid == 2180 and cov.geom_type == "MultiPolygon"
    assert 400_000 < cov.centroid.x < 600_000 and 300_000 < cov.centroid.y < 500_000
    # the declared coverage is what the dataset page and the API show (CRS84 bounding box)
    assert client.get(f"/api/v1/datasets/{ds.slug}").json()["spatial_coverage"] == pytest.approx(
        [19.0, 51.5, 19.01, 51.51], abs=1e-5
    )
    body = client.get(f"/dane/{ds.slug}/").content.decode()
    assert "19,0000–19,0100" in body and "51,5000–51,5100" in body


@override_settings(LANGUAGE_CODE="pl")
@pytest.mark.parametrize(
    "changes,message",
    [
        ({"quality_rules": "{max_duplicate_keys: 1"}, "to nie jest poprawny JSON"),
        ({"quality_rules": "[1, 2]"}, "oczekiwany jest obiekt JSON"),
        ({"quality_rules": '{"max_everything": 1}'}, "Nieznana reguła jakości „max_everything”"),
        ({"quality_rules": '{"max_outside_city_share": 1.5}'}, "udział od 0 do 1"),
        ({"quality_rules": '{"max_duplicate_keys": "dużo"}'}, "liczba całkowita"),
        ({"quality_rules": '{"max_duplicate_keys": 2.5}'}, "liczba całkowita"),
        ({"quality_rules": '{"block_wrong_crs": 1}'}, "prawda albo fałsz"),
        ({"quality_rules": '{"max_removed_share": null}'}, "nie może zostać wyłączona"),
        ({"quality_rules": '{"list_limit": 0}'}, "1 lub więcej"),
        ({"spatial_mode": "custom", "spatial_geojson": "{not geojson"}, "Nie udało się odczytać"),
        (
            {
                "spatial_mode": "custom",
                "spatial_geojson": '{"type": "Point", "coordinates": [19, 51]}',
            },
            "Polygon albo MultiPolygon",
        ),
        ({"spatial_mode": "custom", "spatial_geojson": ""}, "Podaj wielokąt"),
        ({"spatial_mode": "everywhere"}, "Wybierz poprawną wartość"),
        (
            {"temporal_start": "2024-05-01", "temporal_end": "2020-01-01"},
            "wcześniejszy niż jego początek",
        ),
        ({"contact_email": "nie-email"}, "poprawny adres email"),
        ({"title_pl": ""}, "To pole jest wymagane"),
        ({"key_field": "nr; DROP TABLE x"}, "tylko litery"),
        ({"theme": "XXXX"}, "Wybierz poprawną wartość"),
    ],
)
def test_bad_input_answers_in_polish(changes, message, client, make_user, hub):  # type: ignore[no-untyped-def]  # noqa: F811
    ds = hub["datasets"]["public"]
    client.force_login(steward_of(make_user, hub["env"]))
    r = client.post(f"/dane/{ds.slug}/edycja/", form_data(ds, title_en="Changed", **changes))
    body = r.content.decode()
    assert r.status_code == 400
    assert message in body, body[body.find("error-summary") :][:1500]
    assert "error-summary" in body
    ds.refresh_from_db()
    assert ds.title_en == ""  # nothing saved
    # the page's own title is not taken from the rejected form
    if changes.get("title_pl") == "":
        assert "Drzewa (public)" in body


@override_settings(LANGUAGE_CODE="pl")
def test_steward_cannot_give_dataset_to_another_unit(client, make_user, hub):  # type: ignore[no-untyped-def]  # noqa: F811
    ds = hub["datasets"]["public"]
    client.force_login(steward_of(make_user, hub["env"]))
    r = client.post(f"/dane/{ds.slug}/edycja/", form_data(ds, owner=hub["geo"].pk))
    assert r.status_code == 400 and "Wybierz poprawną wartość" in r.content.decode()
    ds.refresh_from_db()
    assert ds.owner == hub["env"]
    # an administrator may
    client.force_login(make_user("administrator"))
    r = client.post(f"/dane/{ds.slug}/edycja/", form_data(ds, owner=hub["geo"].pk))
    assert r.status_code == 302
    ds.refresh_from_db()
    assert ds.owner == hub["geo"]


@override_settings(LANGUAGE_CODE="pl")
def test_target_fixed_with_versions_and_spine_field_mapping(client, make_user, hub):  # type: ignore[no-untyped-def]  # noqa: F811
    ds = hub["datasets"]["public"]  # has a version
    client.force_login(make_user("administrator"))
    page = client.get(f"/dane/{ds.slug}/edycja/").content.decode()
    assert 'name="target"' in page and "disabled" in page.split('name="target"', 1)[1][:200]
    assert 'name="field_mapping"' not in page  # a generic layer has no mapping to edit
    r = client.post(f"/dane/{ds.slug}/edycja/", form_data(ds, target="parcels"))
    assert r.status_code == 302
    ds.refresh_from_db()
    assert ds.target == "generic"
    # a spine dataset without versions: the target may change; its field mapping is edited
    spine = Dataset.objects.create(
        slug="budynki", title_pl="Budynki", owner=hub["env"], target="buildings"
    )
    page = client.get("/dane/budynki/edycja/").content.decode()
    assert 'name="field_mapping"' in page
    r = client.post(
        "/dane/budynki/edycja/",
        form_data(spine, field_mapping='{"identifier": "ID Budynku", "use": "funkcja"}'),
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    spine.refresh_from_db()
    # the columns GDAL makes of those names (it keeps spaces)
    assert spine.field_mapping == {"identifier": "id budynku", "use": "funkcja"}
    r = client.post("/dane/budynki/edycja/", form_data(spine, field_mapping='{"roof": "dach"}'))
    assert r.status_code == 400 and "nie ma pola „roof”" in r.content.decode()
    r = client.post(
        "/dane/budynki/edycja/", form_data(spine, field_mapping='{"identifier": ["a"]}')
    )
    assert r.status_code == 400 and "podaj nazwę atrybutu pliku" in r.content.decode()
    r = client.post("/dane/budynki/edycja/", form_data(spine, target="parcels"))
    assert r.status_code == 302
    spine.refresh_from_db()
    assert spine.target == "parcels"


def test_rule_specs_cover_every_quality_rule() -> None:
    assert set(RULE_SPECS) == set(quality.DEFAULT_RULES) | set(quality.SPINE_RULES)
    assert rule_overrides_clean({"max_parcel_gaps": None, "gaps_max_features": 10.0}) == {
        "max_parcel_gaps": None,
        "gaps_max_features": 10,
    }


def test_edit_page_of_a_hidden_or_unknown_dataset(client, make_user, hub):  # type: ignore[no-untyped-def]  # noqa: F811
    client.force_login(make_user("administrator"))
    assert client.get("/dane/nie-ma-takiego/edycja/").status_code == 404
    assert client.put("/dane/drzewa-public/edycja/").status_code == 405
    make_version(hub["datasets"]["public"], 2, current=False)
    assert client.get("/dane/drzewa-public/edycja/").status_code == 200

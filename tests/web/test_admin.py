"""Every spine model has an admin whose change list and add page load, with an offline map."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib import admin
from django.contrib.staticfiles import finders
from django.urls import reverse

from miasto.territory import models as territory

pytestmark = pytest.mark.django_db

SPINE = [
    territory.City,
    territory.District,
    territory.Precinct,
    territory.Block,
    territory.Parcel,
    territory.Building,
    territory.Street,
    territory.RoadSegment,
    territory.Address,
    territory.OrgUnit,
    territory.PublicService,
    territory.Constraint,
]


def test_every_spine_model_is_registered():
    for model in SPINE:
        assert admin.site.is_registered(model), model


@pytest.mark.parametrize("model", SPINE, ids=lambda m: m.__name__)
def test_changelist_and_add_load(client, superuser, small_city, model):
    client.force_login(superuser)
    opts = model._meta
    changelist = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    assert changelist.status_code == 200
    add = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
    assert add.status_code == 200


@pytest.mark.parametrize("model", [territory.Parcel, territory.Building, territory.Address])
def test_change_page_loads(client, superuser, small_city, model):
    client.force_login(superuser)
    obj = model.objects.order_by("pk").first()
    opts = model._meta
    response = client.get(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    )
    assert response.status_code == 200


def test_map_widget_is_offline(client, superuser, small_city):
    client.force_login(superuser)
    html = client.get(reverse("admin:territory_parcel_add")).content.decode()
    assert "/static/web/dist/ol.js" in html
    assert "/static/web/dist/ol.css" in html
    assert "cdn.jsdelivr.net" not in html
    assert "openstreetmap" not in html.lower()
    assert "earthdata" not in html
    # the widget starts from JSON options by a static script that draws the city's tiles:
    # no inline script, which the Content-Security-Policy would block
    assert "/static/web/admin/map-widget.js" in html
    assert 'id="id_geom_map_options" type="application/json"' in html
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    widget_js = finders.find("web/admin/map-widget.js")
    assert "/tiles/" in Path(widget_js).read_text() and "'parcels'" in Path(widget_js).read_text()


def test_search_works_in_changelist(client, superuser, small_city):
    client.force_login(superuser)
    response = client.get(reverse("admin:territory_parcel_changelist"), {"q": "0003.5/1"})
    assert response.status_code == 200
    assert "106401_1.0003.5/1" in response.content.decode()

from django.urls import path
from django.views.generic import RedirectView

from miasto.web import parcel_page, views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("map/", views.map_page, name="map"),
    # a parcel's page; identifiers hold dots, underscores and slashes (106401_1.0003.12/4)
    path("dzialki/<path:identifier>/", parcel_page.parcel_page, name="parcel"),
    path("mapa/", RedirectView.as_view(pattern_name="web:map", permanent=False)),
    path("deklaracja-dostepnosci/", views.accessibility_statement, name="accessibility-statement"),
    path("kontakt/", views.contact, name="contact"),
    path("prywatnosc/", views.privacy, name="privacy"),
]

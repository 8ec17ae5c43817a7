from django.urls import path
from django.views.generic import RedirectView

from miasto.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("map/", views.map_page, name="map"),
    path("mapa/", RedirectView.as_view(pattern_name="web:map", permanent=False)),
    path("deklaracja-dostepnosci/", views.accessibility_statement, name="accessibility-statement"),
    path("kontakt/", views.contact, name="contact"),
    path("prywatnosc/", views.privacy, name="privacy"),
]

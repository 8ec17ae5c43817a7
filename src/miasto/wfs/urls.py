from django.urls import path

from miasto.wfs import views

app_name = "wfs"

urlpatterns = [path("wfs", views.wfs, name="wfs")]

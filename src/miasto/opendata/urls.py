from django.urls import path, re_path

from miasto.opendata import views

urlpatterns = [
    path("api/", views.api_reference, name="api-reference"),
    path("api/v1/openapi.json", views.openapi_json, name="api-openapi"),
    path("catalog", views.catalogue_negotiate, name="catalog"),
    re_path(r"^catalog\.(?P<fmt>ttl|rdf|jsonld)$", views.catalogue_file, name="catalog-file"),
    path("api/3", views.ckan_version, name="ckan-version"),
    path("api/3/action/<str:name>", views.ckan_action, name="ckan-action"),
    # ckanapi and older clients call the version-less path
    path("api/action/<str:name>", views.ckan_action, name="ckan-action-unversioned"),
]

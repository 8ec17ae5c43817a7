from django.urls import path, re_path

from miasto.accessibility import api

urlpatterns = [
    path("api/v1/analyses/accessibility", api.analysis, name="api-accessibility"),
    # more specific than territory's ``api/v1/parcels/<path:identifier>``: included before it
    re_path(
        r"^api/v1/parcels/(?P<identifier>.+)/accessibility$",
        api.parcel,
        name="api-parcel-accessibility",
    ),
]

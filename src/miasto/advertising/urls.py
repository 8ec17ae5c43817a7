from django.urls import path

from miasto.advertising import api

urlpatterns = [
    path("api/v1/advertising/carriers", api.carriers, name="api-advertising-carriers"),
    path(
        "api/v1/advertising/carriers/<str:carrier_id>",
        api.carrier,
        name="api-advertising-carrier",
    ),
    path(
        "api/v1/advertising/carriers/<str:carrier_id>/penalty",
        api.carrier_penalty,
        name="api-advertising-penalty",
    ),
    path("api/v1/advertising/violations", api.violations, name="api-advertising-violations"),
    path("api/v1/advertising/fees", api.fee_schedule, name="api-advertising-fees"),
]

from django.urls import path

from miasto.planning import api
from miasto.planning.analyses import api as analyses_api

urlpatterns = [
    path("api/v1/plans", api.plans, name="api-plans"),
    path("api/v1/plans/<str:plan_id>", api.plan_detail, name="api-plan"),
    path("api/v1/plans/<str:plan_id>/app.gml", api.plan_app_gml, name="api-plan-app-gml"),
    # before territory's generic api/v1/parcels/<path:identifier> (see config/urls.py)
    path(
        "api/v1/parcels/<path:identifier>/planning",
        api.parcel_planning,
        name="api-parcel-planning",
    ),
    *analyses_api.urlpatterns,
]

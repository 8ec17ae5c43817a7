from django.urls import path

from miasto.territory import api

urlpatterns = [
    path("api/v1/city", api.city, name="api-city"),
    path("api/v1/parcels", api.parcels_at_point, name="api-parcels-at-point"),
    path("api/v1/parcels/<path:identifier>", api.parcel_detail, name="api-parcel"),
    path("api/v1/search", api.search_view, name="api-search"),
    path("api/v1/layers", api.layers, name="api-layers"),
    path("api/v1/layers/<str:name>/features", api.layer_features, name="api-layer-features"),
    path("tiles/<str:name>/<int:z>/<int:x>/<int:y>.mvt", api.tile, name="tile"),
]

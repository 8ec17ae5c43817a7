from django.urls import path

from miasto.proposals import api

urlpatterns = [
    path("api/v1/proposals", api.proposals, name="api-proposals"),
]

"""The surveys' API under ``/api/v1/surveys`` (:mod:`miasto.surveys.api`)."""

from miasto.surveys import api

urlpatterns = api.urlpatterns

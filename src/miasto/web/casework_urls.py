"""The officers' shared casework pages (``/obsluga/``) and the statistics' API."""

from django.urls import path

from miasto.web import casework_pages as casework

urlpatterns = [
    path("obsluga/", casework.queue, name="casework-queue"),
    path("obsluga/przydzial/", casework.assign, name="casework-assign"),
    path("obsluga/szablony/", casework.templates, name="casework-templates"),
    path("obsluga/szablony/<str:template_id>/", casework.template_edit,
         name="casework-template-edit"),
    path("obsluga/szablony/<str:template_id>/usun/", casework.template_delete,
         name="casework-template-delete"),
    path("obsluga/statystyki/", casework.statistics, name="casework-stats"),
    path("obsluga/statystyki.csv", casework.statistics_csv, name="casework-stats-csv"),
    path("api/v1/casework/statistics", casework.statistics_api,
         name="api-casework-statistics"),
]  # fmt: skip

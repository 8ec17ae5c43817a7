"""The enforcement pages and the inspection form, included (under ``reklamy/``, in the
``advertising`` namespace) by the app's page URLs."""

from django.urls import path

from miasto.advertising import enforcement_pages as pages
from miasto.advertising import inspection_views as inspection

urlpatterns = [
    path("inspekcja/", inspection.inspection_page, name="inspection"),
    path("inspekcja/nosniki/", inspection.inspection_carriers, name="inspection-carriers"),
    path("obsluga/sprawy/", pages.case_list, name="enforcement-cases"),
    path("obsluga/sprawy/<int:pk>/", pages.case_detail, name="enforcement-case"),
    path("obsluga/sprawy/<int:pk>/zmiana/", pages.case_move, name="enforcement-case-move"),
    path(
        "obsluga/sprawy/<int:pk>/przydzial/", pages.case_assign_page, name="enforcement-assign"
    ),  # fmt: skip
    path(
        "obsluga/sprawy/<int:pk>/dokumenty/",
        pages.case_document_new,
        name="enforcement-documents",
    ),  # fmt: skip
    path(
        "obsluga/sprawy/<int:pk>/dokumenty/<int:doc>/",
        pages.case_document,
        name="enforcement-document",
    ),  # fmt: skip
]

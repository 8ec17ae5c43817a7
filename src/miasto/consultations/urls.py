"""Consultation pages (``/konsultacje/…``), staff pages (``/konsultacje/obsluga/…``) and the
API (``/api/v1/consultations…``); included once from the root URLconf."""

from django.urls import path

from miasto.consultations import api, pages, staff

app_name = "consultations"

urlpatterns = [
    path("konsultacje/", pages.consultation_list, name="list"),
    path("konsultacje/<int:pk>/", pages.consultation_detail, name="detail"),
    path("konsultacje/<int:pk>/uwagi/nowa/", pages.comment_new, name="comment-new"),
    path("konsultacje/<int:pk>/dokumenty/<int:doc>/", pages.document_download, name="document"),
    path("konsultacje/uwagi/<int:comment>/zglos/", pages.comment_report, name="comment-report"),
    path("konsultacje/obsluga/", staff.staff_home, name="staff"),
    path("konsultacje/obsluga/nowe/", staff.staff_new, name="staff-new"),
    path("konsultacje/obsluga/moderacja/", staff.staff_moderation, name="staff-moderation"),
    path("konsultacje/obsluga/<int:pk>/", staff.staff_detail, name="staff-detail"),
    path("konsultacje/obsluga/<int:pk>/status/", staff.staff_transition, name="staff-transition"),
    path("konsultacje/obsluga/<int:pk>/dokumenty/", staff.staff_document, name="staff-document"),
    path("konsultacje/obsluga/<int:pk>/przebieg/", staff.staff_course, name="staff-course"),
    path("konsultacje/obsluga/<int:pk>/jednostka/", staff.staff_unit, name="staff-unit"),
    path("konsultacje/obsluga/<int:pk>/raport/", staff.staff_report, name="staff-report"),
    path(
        "konsultacje/obsluga/<int:pk>/raport.<str:fmt>",
        staff.staff_report_file,
        name="staff-report-file",
    ),
    path("konsultacje/obsluga/<int:pk>/uwagi/", staff.staff_comments, name="staff-comments"),
    path(
        "konsultacje/obsluga/<int:pk>/uwagi/nowa/",
        staff.staff_comment_new,
        name="staff-comment-new",
    ),
    path("konsultacje/obsluga/uwagi/<int:comment>/", staff.staff_comment, name="staff-comment"),
    path(
        "konsultacje/obsluga/uwagi/<int:comment>/moderacja/",
        staff.staff_moderate,
        name="staff-moderate",
    ),
    path(
        "konsultacje/obsluga/zalaczniki/<int:attachment>/",
        staff.staff_attachment,
        name="staff-attachment",
    ),
    path("api/v1/consultations", api.consultations, name="api-consultations"),
    path("api/v1/consultations/<int:pk>", api.consultation, name="api-consultation"),
    path("api/v1/consultations/<int:pk>/comments", api.comments, name="api-consultation-comments"),
    path(
        "api/v1/consultations/<int:pk>/report.pdf",
        api.report_pdf,
        name="api-consultation-report-pdf",
    ),
    path(
        "api/v1/consultations/<int:pk>/report.csv",
        api.report_csv,
        name="api-consultation-report-csv",
    ),
]

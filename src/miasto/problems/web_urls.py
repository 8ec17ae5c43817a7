"""Pages of problem reports (Polish paths): :mod:`miasto.problems.pages`."""

from django.urls import path

from miasto.problems import pages

app_name = "problems"

urlpatterns = [
    path("zgloszenia/", pages.report_list, name="list"),
    path("zgloszenia/nowe/", pages.report_new, name="new"),
    path("zgloszenia/<int:pk>/", pages.report_detail, name="detail"),
    path("zgloszenia/<int:pk>/zdjecie", pages.report_photo, name="photo"),
    path("zgloszenia/<int:pk>/naruszenie/", pages.report_flag, name="flag"),
    path("zgloszenia/obsluga/", pages.staff_queue, name="queue"),
    path("zgloszenia/obsluga/<int:pk>/", pages.staff_case, name="case"),
]

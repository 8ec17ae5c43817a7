"""Planning's pages and files (Polish paths), gathered from :mod:`miasto.planning.pages`."""

from miasto.planning.pages import analyses, plans, report, scenarios

app_name = "planning"

urlpatterns = [
    *report.urlpatterns,
    *plans.urlpatterns,
    *analyses.urlpatterns,
    *scenarios.urlpatterns,
]

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from miasto.core.views import healthz

urlpatterns = [
    # the hottest API first: its requests are routed without trying every other pattern
    path("ogcapi/", include("miasto.ogcapi.urls")),
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    # one way in: the admin's own login would skip throttling and two-factor authentication
    path("admin/login/", RedirectView.as_view(pattern_name="account_login", query_string=True)),
    path("admin/", admin.site.urls),
    path("", include("miasto.alerts.urls")),  # /konto/powiadomienia/ (before the accounts)
    path("konto/", include("miasto.accounts.urls")),
    path("", include("miasto.opendata.urls")),
    path("", include("miasto.accessibility.urls")),
    # planning first: its api/v1/parcels/<id>/planning must win over territory's
    # api/v1/parcels/<path:identifier>
    path("", include("miasto.planning.urls")),
    path("", include("miasto.planning.web_urls")),
    path("", include("miasto.consultations.urls")),
    path("", include("miasto.advertising.urls")),
    path("", include("miasto.advertising.web_urls")),
    path("", include("miasto.territory.urls")),
    path("", include("miasto.proposals.urls")),
    path("", include("miasto.proposals.web_urls")),
    path("", include("miasto.datahub.urls")),
    path("", include("miasto.datahub.web_urls")),
    path("", include("miasto.surveys.urls")),
    path("", include("miasto.surveys.web_urls")),
    path("", include("miasto.developers.urls")),
    path("", include("miasto.problems.urls")),
    path("", include("miasto.problems.web_urls")),
    path("", include("miasto.wfs.urls")),
    path("", include("miasto.web.casework_urls")),
    path("", include("miasto.web.urls")),
]

# Error answers: JSON under /api/ and /tiles/, elsewhere a page in the site's layout.
handler400 = "miasto.core.errors.bad_request"
handler403 = "miasto.core.errors.permission_denied"
handler404 = "miasto.core.errors.page_not_found"
handler500 = "miasto.core.errors.server_error"

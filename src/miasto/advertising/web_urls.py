"""The advertising module's pages (Polish paths), gathered from :mod:`.pages`."""

from django.urls import include, path

from miasto.advertising.pages import public, rule_editor, staff

app_name = "advertising"

urlpatterns = [*public.urlpatterns, *staff.urlpatterns, *rule_editor.urlpatterns]
urlpatterns.append(path("reklamy/", include("miasto.advertising.enforcement_urls")))

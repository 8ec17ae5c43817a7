"""The advertising module's pages (Polish paths), gathered from :mod:`.pages`."""

from miasto.advertising.pages import public, staff

app_name = "advertising"

urlpatterns = [*public.urlpatterns, *staff.urlpatterns]

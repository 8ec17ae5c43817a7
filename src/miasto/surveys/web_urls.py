"""Survey pages (Polish paths): public (:mod:`miasto.surveys.pages.public`) and staff
(:mod:`miasto.surveys.pages.staff`)."""

from miasto.surveys.pages import public, staff

app_name = "surveys"

urlpatterns = [*staff.urlpatterns, *public.urlpatterns]

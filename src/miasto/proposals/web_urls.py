"""Proposal pages (Polish paths): the staff's first, so that ``obsluga`` is never read as a
proposal's id."""

from miasto.proposals.pages import public, staff

app_name = "proposals"

urlpatterns = [*staff.urlpatterns, *public.urlpatterns]

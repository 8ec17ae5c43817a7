"""Planning's HTML pages and files, one module per area, each with its own ``urlpatterns``:

- :mod:`.report` — the parcel planning report page and the PDF *wypis i wyrys* draft;
- :mod:`.plans` — plan list, plan page, APP GML upload;
- :mod:`.analyses` — coverage, capacity, conflicts, accessibility and scenario pages.

Views stay thin: reads go through :mod:`miasto.planning.selectors` /
:mod:`miasto.planning.analyses`, writes through :mod:`miasto.planning.services`.
"""

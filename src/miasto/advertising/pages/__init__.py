"""The advertising module's pages (Polish paths under ``/reklamy/``): the public map and list
of registered carriers and the rules (:mod:`.public`), and the staff's tables and dashboards
under ``/reklamy/obsluga/`` (:mod:`.staff`)."""

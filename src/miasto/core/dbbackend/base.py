"""GeoDjango's PostGIS backend with a cheaper check of a reused connection.

With ``CONN_HEALTH_CHECKS`` Django checks a persistent connection before the first query of
each request by running ``SELECT 1``: a round trip per request, as long as a small API
request's own query. A healthy idle connection receives nothing from the server; one the
server has closed (a restart, a killed backend) has its goodbye or end-of-file waiting in the
socket. So: if nothing is waiting, the connection is usable without asking; if something is,
Django's ``SELECT 1`` decides (it fails on a dead connection, which is then replaced).
"""

from __future__ import annotations

import select

from django.contrib.gis.db.backends.postgis.base import DatabaseWrapper as PostGISWrapper


class DatabaseWrapper(PostGISWrapper):
    def is_usable(self) -> bool:
        conn = self.connection
        if conn is None or conn.closed:
            return False
        try:
            waiting, _, _ = select.select([conn.fileno()], [], [], 0)
        except (OSError, ValueError):
            return False
        return True if not waiting else bool(super().is_usable())

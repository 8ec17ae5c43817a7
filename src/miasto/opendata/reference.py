"""The OpenAPI 3 document of ``/api/v1``, assembled from every app's ``openapi.py``
(:data:`miasto.core.openapi.operation_registry`)."""

from __future__ import annotations

from typing import Any

from miasto import __version__
from miasto.core.openapi import ERROR_SCHEMA, operation_registry

TAGS = (
    ("Miasto i działki", "Miasto, działki w punkcie i ich karty, wyszukiwarka, warstwy mapy."),
    ("Zbiory danych", "Katalog zbiorów danych, wersje, jakość, różnice i pobieranie plików."),
    ("Planowanie", "Plany (POG, MPZP…), raport planistyczny działki, wypis i wyrys."),
    ("Analizy planistyczne", "Pokrycie planami, chłonność, konflikty, scenariusze."),
    ("Dostępność usług", "Dostępność usług publicznych wg standardów."),
    ("Zadania w tle", "Stan i anulowanie długich obliczeń."),
    ("Dokumentacja", "Ten dokument."),
)


def openapi_document(server: str) -> dict[str, Any]:
    """The document, with ``server`` (the site's address, e.g. ``https://miasto.example``)
    as its server. Paths are sorted, each with its operations."""
    paths: dict[str, dict[str, Any]] = {}
    for op in sorted(operation_registry, key=lambda o: (o.path, o.method)):
        paths.setdefault(op.path, {})[op.method.lower()] = op.to_dict()
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Miasto API",
            "version": __version__,
            "description": (
                "API platformy Miasto: dane przestrzenne miasta, katalog zbiorów danych, "
                "planowanie i analizy. Odczyt danych publicznych nie wymaga logowania. "
                'Błędy mają zawsze postać `{"error": kod, "message": opis po polsku}`. '
                "Zobacz też: OGC API Features (`/ogcapi/`), katalog DCAT-AP-PL "
                "(`/catalog.ttl`) i CKAN Action API (`/api/3/action/`)."
            ),
            "license": {
                "name": "AGPL-3.0-or-later (oprogramowanie); dane: licencja każdego zbioru",
                "url": "https://www.gnu.org/licenses/agpl-3.0.html",
            },
        },
        "servers": [{"url": server}],
        "tags": [{"name": n, "description": d} for n, d in TAGS],
        "paths": paths,
        "components": {
            "schemas": {"Error": ERROR_SCHEMA},
            "securitySchemes": {
                "session": {
                    "type": "apiKey",
                    "in": "cookie",
                    "name": "sessionid",
                    "description": "Sesja zalogowanego użytkownika; zapisy (POST) wymagają też "
                    "tokenu CSRF w nagłówku X-CSRFToken.",
                }
            },
        },
    }

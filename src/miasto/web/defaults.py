"""Polish defaults of the pages an administrator edits (:mod:`miasto.web.models`).

They describe Miasto itself (what it stores, what is known not to be accessible) and the
procedure of the act of 4 April 2019 on digital accessibility (Dz. U. 2023 poz. 1440), so that
a new installation publishes a truthful statement at once; the municipality then fills in its
own name, contact person and building. Stored in Polish: the statement is the public body's
document, kept in the official language. The texts are plain text in
``templates/web/defaults/<name>.txt`` (the format of :func:`miasto.web.site_pages.text_blocks`).
"""

from __future__ import annotations

from django.template.loader import get_template

CONTACT_TITLE = "Kontakt"
PRIVACY_TITLE = "Prywatność"

#: the statement's text fields with a default, by field name
STATEMENT_TEXTS = (
    "inaccessible_content",
    "exemptions",
    "keyboard_shortcuts",
    "procedure",
    "architecture",
    "mobile_apps",
)


def default_text(name: str) -> str:
    """The default text ``name`` (``privacy``, ``procedure``, …)."""
    return get_template(f"web/defaults/{name}.txt").render({}).strip()

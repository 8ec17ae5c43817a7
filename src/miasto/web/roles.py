"""Who edits the site's own pages (docs/roles.md): the accessibility statement and the
contact and privacy pages are the municipality's public statements — administrators only."""

from miasto.core.roles import grant

grant(
    "administrator",
    "web.view_accessibilitystatement",
    "web.change_accessibilitystatement",
    "web.view_sitepage",
    "web.change_sitepage",
)

"""The map's way in on the home page (:mod:`miasto.core.entrances`)."""

from django.utils.translation import gettext_lazy as _

from miasto.core.entrances import Entrance, entrance_registry

entrance_registry.register(
    "map",
    Entrance(
        title=_("City map"),
        text=_(
            "Parcels, buildings, streets, services and constraints, with a table of each layer."
        ),
        url_name="web:map",
        order=10,
    ),
)

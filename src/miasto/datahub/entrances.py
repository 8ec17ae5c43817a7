"""The data hub's way in on the home page (:mod:`miasto.core.entrances`)."""

from django.utils.translation import gettext_lazy as _

from miasto.core.entrances import Entrance, entrance_registry

entrance_registry.register(
    "catalogue",
    Entrance(
        title=_("City data catalogue"),
        text=_("Datasets of the city's units to browse, preview on a map and download."),
        url_name="datahub:catalogue",
        order=40,
    ),
)

"""The advertising module's way in on the home page (:mod:`miasto.core.entrances`)."""

from django.utils.translation import gettext_lazy as _

from miasto.core.entrances import Entrance, entrance_registry

entrance_registry.register(
    "advertising",
    Entrance(
        title=_("Advertising and the landscape resolution"),
        text=_("Where which advertising may stand, and the register of carriers on a map."),
        url_name="advertising:public",
        order=60,
    ),
)

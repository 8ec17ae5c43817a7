from django.utils.translation import gettext_lazy as _

from miasto.core.entrances import Entrance, entrance_registry

entrance_registry.register(
    "consultations",
    Entrance(
        title=_("Consultations"),
        text=_("Comment on draft plans on the map; every comment gets a published answer."),
        url_name="consultations:list",
        order=35,
    ),
)

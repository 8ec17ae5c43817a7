from django.utils.translation import gettext_lazy as _

from miasto.core.entrances import Entrance, entrance_registry

entrance_registry.register(
    "problems",
    Entrance(
        title=_("Report a problem"),
        text=_("A pothole, a broken lamp, rubbish: tell the city where, and follow what it does."),
        url_name="problems:list",
        order=40,
    ),
)

"""Proposals' way in on the home page (:mod:`miasto.core.entrances`)."""

from django.utils.translation import gettext_lazy as _

from miasto.core.entrances import Entrance, entrance_registry

entrance_registry.register(
    "proposals",
    Entrance(
        title=_("Residents' proposals"),
        text=_("Propose an idea for a place in the city, support others' and follow answers."),
        url_name="proposals:list",
        order=60,
    ),
)

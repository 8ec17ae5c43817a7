"""Surveys' way in on the home page (:mod:`miasto.core.entrances`)."""

from django.utils.translation import gettext_lazy as _

from miasto.core.entrances import Entrance, entrance_registry

entrance_registry.register(
    "surveys",
    Entrance(
        title=_("Map surveys"),
        text=_("Tell the city on the map where you walk, what to change and what you value."),
        url_name="surveys:list",
        order=60,
    ),
)

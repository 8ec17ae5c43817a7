"""Planning's ways in on the home page (:mod:`miasto.core.entrances`)."""

from django.utils.translation import gettext_lazy as _

from miasto.core.entrances import Entrance, entrance_registry

entrance_registry.register(
    "parcel-report",
    Entrance(
        title=_("Planning extract for a parcel (wypis i wyrys)"),
        text=_("What the plans allow on a parcel, with a draft of the extract and its fee."),
        url_name="planning:report-form",
        order=20,
    ),
)
entrance_registry.register(
    "plans",
    Entrance(
        title=_("Local and general plans"),
        text=_("The register of plans in force and in preparation, each with its map and zones."),
        url_name="planning:plans",
        order=30,
    ),
)
entrance_registry.register(
    "analyses",
    Entrance(
        title=_("Analyses"),
        text=_("Plan coverage, building capacity, conflicts and access to public services."),
        url_name="planning:analyses",
        order=50,
    ),
)

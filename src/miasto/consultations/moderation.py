"""Published comments may be reported as breaking the rules (:mod:`miasto.core.moderation`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from miasto.consultations.lifecycle import PUBLIC_STATUSES
from miasto.consultations.models import Comment, Moderation
from miasto.core.moderation import Reportable, reportable_registry

KIND = "consultations.comment"


def _is_public(object_id: str) -> bool:
    return (
        object_id.isdigit()
        and Comment.objects.filter(
            pk=int(object_id),
            moderation=Moderation.PUBLISHED,
            consultation__status__in=PUBLIC_STATUSES,
        ).exists()
    )


reportable_registry.register(KIND, Reportable(KIND, _("consultation comment"), _is_public))

"""Problem reports are published content: anyone signed in may report one that breaks the
rules (core.moderation); a moderator hides it with a reason shown publicly."""

from django.utils.translation import gettext_lazy as _

from miasto.core.moderation import Reportable, reportable_registry
from miasto.problems.models import Report


def _is_public(object_id: str) -> bool:
    return (
        object_id.isdigit() and Report.objects.filter(pk=int(object_id), hidden_reason="").exists()
    )


reportable_registry.register(
    "problems.report", Reportable("problems.report", _("problem report"), _is_public)
)

"""The documents of an enforcement case, generated as accessible PDF (:mod:`miasto.core.pdf`)
from templates (``advertising/documents/*.html``) and stored with the case:

- the **inspection protocol** (*protokół oględzin*): what the inspector measured and saw;
- the **notice** (*wezwanie*): the violations found and the day by which the carrier is to be
  adjusted to the landscape resolution or removed, else proceedings on the art. 37d penalty;
- the **decision draft** (*projekt decyzji*): the penalty of art. 37d u.p.z.p. with its
  derivation (40 × the fixed rate + 40 × the variable rate × the display area, per day, from
  the start of the proceedings to the adjustment or removal).

Official documents of a Polish authority are written in Polish (ustawa o języku polskim,
art. 5), so they are rendered in Polish whatever the language of the page that asks for them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from miasto.advertising.enforcement import MACHINE, OFFICERS, CaseError, case_penalty
from miasto.advertising.enforcement_config import deadlines_for
from miasto.advertising.models.enforcement import CaseDocument, CaseState, EnforcementCase
from miasto.core import pdf
from miasto.core.limits import run_bounded
from miasto.core.statemachine import TransitionError, roles_of

K = CaseDocument.Kind
S = CaseState
#: who may generate each document
AUTHORS = {
    K.PROTOCOL: OFFICERS | {"inspector"},
    K.NOTICE: OFFICERS,
    K.DECISION: OFFICERS,
}
#: in which states of the case each document may be generated
STATES = {
    K.PROTOCOL: frozenset(CaseState.values) - {S.DETECTED},
    K.NOTICE: frozenset({S.INSPECTED, S.NOTICE_SENT}),
    K.DECISION: frozenset({S.PROCEEDINGS, S.DECISION, S.APPEALED}),
}
TEMPLATES = {
    K.PROTOCOL: "advertising/documents/protocol.html",
    K.NOTICE: "advertising/documents/notice.html",
    K.DECISION: "advertising/documents/decision.html",
}


@dataclass(frozen=True)
class Draft:
    """What a document is made of: the case, the day it is dated and its kind."""

    case: EnforcementCase
    kind: str
    on: dt.date


def documents_allowed(case: EnforcementCase, user: Any) -> list[str]:
    """The kinds of documents ``user`` may generate for ``case`` now."""
    roles = roles_of(user)
    kinds = [k for k in K.values if AUTHORS[K(k)] & roles and case.state in STATES[K(k)]]
    if K.PROTOCOL in kinds and not case.inspections.exists():
        kinds.remove(K.PROTOCOL)
    return kinds


def context(draft: Draft) -> dict[str, Any]:
    """The template's context: the case, its carrier, the party, violations, the inspection,
    the notice's deadline or the penalty with its derivation."""
    case, carrier = draft.case, draft.case.carrier
    data: dict[str, Any] = {
        "case": case,
        "carrier": carrier,
        "party": carrier.owner or carrier.operator,
        "violations": case.violations,
        "on": draft.on,
        "state": MACHINE.label(case.state),
        "city": _city_name(),
        "generated_at": timezone.localtime(),
    }
    if draft.kind == K.PROTOCOL:
        data["inspection"] = case.inspections.select_related("inspector").first()
    if draft.kind == K.NOTICE:
        rule = deadlines_for(draft.on).per_state["notice_sent"]
        data["adjust_by"] = rule.due(draft.on)
        data["adjust_days"] = rule.days
    if draft.kind == K.DECISION:
        data["penalty"] = _decision_penalty(case, draft.on)
        data["appeal"] = deadlines_for(draft.on).per_state["decision"]
    return data


def _decision_penalty(case: EnforcementCase, on: dt.date) -> dict[str, Any]:
    """The decided penalty, or — before the decision — the penalty as it would be today."""
    if case.state != S.PROCEEDINGS and case.penalty_derivation:
        return case.penalty_derivation
    return case_penalty(case, on)[1]


def _city_name() -> str:
    from miasto.territory.models import City

    city = City.objects.order_by("pk").first()
    return city.name if city is not None else ""


def document_html(draft: Draft) -> str:
    with translation.override("pl"):
        return render_to_string(TEMPLATES[K(draft.kind)], context(draft))


def _limits() -> dict[str, Any]:
    return {
        "cpu_seconds": float(getattr(settings, "MIASTO_PDF_CPU_S", 5)),
        "seconds": float(getattr(settings, "MIASTO_PDF_TIMEOUT_S", 15)),
        "memory_mb": int(getattr(settings, "MIASTO_PDF_MEMORY_MB", 300)),
    }


def document_generate(case: EnforcementCase, kind: str, user: Any) -> CaseDocument:
    """Generate the ``kind`` document of ``case`` (dated today) and store it with the case.
    Refused (:class:`TransitionError`, :class:`CaseError`) when ``user`` may not or the case
    is not in a state for it. The layout runs in a bounded child process."""
    if kind not in K.values:
        raise CaseError(_("Unknown document."))
    if not AUTHORS[K(kind)] & roles_of(user):
        raise TransitionError(_("You may not generate this document."))
    if kind not in documents_allowed(case, user):
        raise CaseError(_("This document cannot be generated in the case's current state."))
    html = document_html(Draft(case, kind, timezone.localdate()))
    content = run_bounded(pdf.render, html, **_limits())
    digest = hashlib.sha256(content).hexdigest()
    with transaction.atomic():
        document = CaseDocument(case=case, kind=kind, sha256=digest, created_by=user)
        name = f"{kind}-{case.pk}-{timezone.localtime():%Y%m%d-%H%M%S}.pdf"
        document.file.save(name, ContentFile(content), save=False)
        document.save()
    return document

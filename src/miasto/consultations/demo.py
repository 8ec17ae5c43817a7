"""Demo consultations (``miasto demo-consultations``): on the demo city's draft local plans
(found through :mod:`miasto.core.acts`), a running consultation with a few hundred comments —
some handled, some waiting, a few waiting for moderation — and a closed one with its summary
report published. Deterministic (seeded); the authors are invented."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.gis.geos import GEOSGeometry, LineString, Point
from django.db import transaction
from django.utils import timezone

from miasto.consultations.models import Comment, Consultation, Status, StatusChange
from miasto.consultations.report import report_build
from miasto.consultations.services import (
    Setup,
    consultation_create,
    consultation_transition,
    report_file_save,
)
from miasto.core.acts import ActPart, act_registry

SEED = 16
RUNNING_COMMENTS = 320
CLOSED_COMMENTS = 90
FORMS = ["comments", "meeting", "study_walk", "geo_survey", "duty_hours"]
FIRST = ["Anna", "Piotr", "Maria", "Tomasz", "Katarzyna", "Paweł", "Agnieszka", "Michał", "Ewa"]
LAST = ["Nowak", "Kowalska", "Wiśniewski", "Wójcik", "Kamińska", "Lewandowski", "Zielińska"]
STREETS = ["Lipowa", "Długa", "Krótka", "Ogrodowa", "Polna", "Szkolna", "Leśna"]
TEXTS = {
    "land_use": ["Proszę o przeznaczenie działki pod zabudowę jednorodzinną.",
                 "Teren powinien pozostać rolniczy.", "Wnoszę o usługi w parterach."],
    "building": ["Wysokość zabudowy jest za duża dla tej części osiedla.",
                 "Proponuję zwiększyć intensywność zabudowy przy przystanku.",
                 "Linia zabudowy powinna przebiegać dalej od ulicy."],
    "greenery": ["Proszę zachować istniejące drzewa wzdłuż ulicy.",
                 "Brakuje terenu zieleni publicznej w tej części planu.",
                 "Wnoszę o ochronę zadrzewienia nad rowem."],
    "transport": ["Droga dojazdowa jest za wąska dla śmieciarki.",
                  "Proszę o ścieżkę rowerową do szkoły.", "Brakuje miejsc parkingowych."],
    "services": ["Potrzebne jest przedszkole w zasięgu spaceru.",
                 "Proszę przewidzieć teren pod plac zabaw."],
    "heritage": ["Dawny młyn powinien zostać objęty ochroną.",
                 "Należy chronić widok na kościół z doliny."],
    "other": ["Projekt jest dla mnie niezrozumiały — proszę o spotkanie.",
              "Popieram projekt w całości."],
}  # fmt: skip
ANSWERS = {
    "accepted": "Uwaga uwzględniona: projekt zmieniono zgodnie z wnioskiem.",
    "partly": "Uwaga uwzględniona częściowo: zmieniono parametry, zachowując ustalenia "
    "planu ogólnego.",
    "not_accepted": "Uwaga nieuwzględniona: rozwiązanie byłoby niezgodne z planem ogólnym.",
}


class NoDraftPlans(Exception):
    pass


@dataclass
class DemoResult:
    running: int
    closed: int
    comments: int

    def summary(self) -> str:
        return (
            f"konsultacje: trwające #{self.running}, zakończone #{self.closed} "
            f"z opublikowanym raportem; uwag: {self.comments}"
        )


def _planner() -> Any:
    user = get_user_model().objects.filter(groups__name="planner", is_active=True).first()
    if user is None:
        raise NoDraftPlans("Brak planisty: najpierw uruchom `miasto demo-users`.")
    return user


def _random_point(rng: random.Random, area: GEOSGeometry) -> Point:
    x0, y0, x1, y1 = area.extent
    for _ in range(200):
        p = Point(rng.uniform(x0, x1), rng.uniform(y0, y1), srid=area.srid)
        if area.contains(p):
            return p
    return area.point_on_surface


def _geometry(rng: random.Random, area: GEOSGeometry) -> GEOSGeometry:
    p = _random_point(rng, area)
    roll = rng.random()
    if roll < 0.15:
        q = Point(p.x + rng.uniform(-60, 60), p.y + rng.uniform(-60, 60), srid=p.srid)
        line = LineString(p, q, srid=p.srid)
        return line if area.contains(line) else p
    if roll < 0.25:
        square = p.buffer(rng.uniform(10, 30), quadsegs=1)
        return square if area.contains(square) else p
    return p


def _comments(rng: random.Random, c: Consultation, parts: list[ActPart], plan: dict[str, Any]):
    """``plan``: count, handled share, pending share, days (received on, from the start)."""
    rows = []
    for n in range(1, plan["count"] + 1):
        category = rng.choice(list(TEXTS))
        part = rng.choice(parts) if parts and rng.random() < 0.7 else None
        geom = _geometry(rng, part.geometry if part else c.area or Point(0, 0, srid=2180))
        handling = rng.choice(list(ANSWERS)) if rng.random() < plan["handled"] else ""
        pending = not handling and rng.random() < plan["pending"]
        rows.append(
            Comment(
                consultation=c,
                number=n,
                text=rng.choice(TEXTS[category]),
                category=category,
                part_key=part.key if part else "",
                part_label=part.label if part else "",
                geom=geom,
                channel=rng.choice(["online"] * 6 + ["paper", "email", "meeting"]),
                received_on=c.starts_on + dt.timedelta(days=rng.randrange(plan["days"])),
                author_name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                author_address=f"ul. {rng.choice(STREETS)} {rng.randint(1, 90)}",
                is_owner=rng.random() < 0.4,
                moderation="pending" if pending else "published",
                handling=handling,
                justification=ANSWERS.get(handling, ""),
                handled_at=timezone.now() if handling else None,
            )  # fmt: skip
        )
    Comment.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def _walk(c: Consultation, planner: Any, until: str) -> None:
    """Announce, open and (if asked) close, each on its lawful day."""
    consultation_transition(
        consultation=c, target=Status.ANNOUNCED, user=planner,
        today=c.starts_on - dt.timedelta(days=7),
    )  # fmt: skip
    consultation_transition(consultation=c, target=Status.OPEN, user=None, today=c.starts_on)
    if until != Status.OPEN:
        consultation_transition(
            consultation=c, target=Status.CLOSED, user=None,
            today=c.ends_on + dt.timedelta(days=1),
        )  # fmt: skip


def _consultation(act: str, title: str, start: dt.date, planner: Any) -> Consultation:
    return consultation_create(
        setup=Setup(
            title=title, starts_on=start, ends_on=start + dt.timedelta(days=29), forms=FORMS,
            act=act,
            summary="Projekt planu miejscowego: nowe tereny zabudowy mieszkaniowej, zieleń "
            "publiczna i układ dróg. Prosimy o uwagi — na mapie, działka po działce.",
            forms_details="Spotkanie otwarte z prezentacją projektu: szkoła nr 3, sala "
            "gimnastyczna. Spacer studyjny po terenie planu: zbiórka przy pętli autobusowej. "
            "Dyżur projektanta: urząd, pokój 214, wtorki 15–17.",
            # the planner's own unit handles the comments (its queue and templates)
            unit_id=planner.org_units.values_list("id", flat=True).first(),
        ),
        user=planner,
    )  # fmt: skip


@transaction.atomic
def demo_consultations_generate(*, if_missing: bool = False) -> DemoResult | None:
    if if_missing and Consultation.objects.exists():
        return None
    kind = act_registry.get("plan")
    drafts = kind.choices() if kind else []
    if len(drafts) < 1:
        raise NoDraftPlans("Brak projektów planów: najpierw uruchom `miasto demo-plans`.")
    planner = _planner()
    Comment.objects.all().delete()
    StatusChange.objects.all().delete()
    Consultation.objects.all().delete()
    rng = random.Random(SEED)
    today = timezone.localdate()
    running_id, running_title = drafts[0]
    running = _consultation(
        f"plan:{running_id}", f"Konsultacje projektu planu {running_title}",
        today - dt.timedelta(days=12), planner,
    )  # fmt: skip
    _walk(running, planner, Status.OPEN)
    parts = kind.parts(running_id) if kind else []
    count = _comments(rng, running, parts, {"count": RUNNING_COMMENTS, "handled": 0.35,
                                            "pending": 0.1, "days": 12})  # fmt: skip
    closed_id, closed_title = drafts[1] if len(drafts) > 1 else drafts[0]
    closed = _consultation(
        f"plan:{closed_id}", f"Konsultacje projektu planu {closed_title} (I etap)",
        today - dt.timedelta(days=90), planner,
    )  # fmt: skip
    _walk(closed, planner, Status.CLOSED)
    parts = kind.parts(closed_id) if kind else []
    count += _comments(rng, closed, parts, {"count": CLOSED_COMMENTS, "handled": 1.0,
                                            "pending": 0.0, "days": 30})  # fmt: skip
    Consultation.objects.filter(pk=closed.pk).update(
        course="Ogłoszenie w prasie, na tablicy ogłoszeń, na stronie urzędu i w BIP. Spotkanie "
        "otwarte (48 osób), spacer studyjny (21 osób), 9 dyżurów projektanta, geoankieta "
        "(212 odpowiedzi). Uwagi zbierano na mapie, pocztą i e-mailem."
    )
    closed.refresh_from_db()
    pdf, csv_text, n = report_build(closed, lambda _p, _m: None)
    report_file_save(closed, pdf, csv_text, n)
    consultation_transition(consultation=closed, target=Status.REPORT_PUBLISHED, user=planner)
    return DemoResult(running.pk, closed.pk, count)

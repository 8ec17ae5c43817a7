"""Demo proposals over the demo city: about 40 ideas at addresses, on parcels and along streets,
with supports of demo residents, comments, and the city's answers in every status.
Deterministic (seeded); ``if_missing`` leaves existing proposals alone."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.gis.geos import GEOSGeometry
from django.db import transaction

from miasto.core.models import AnswerTemplate
from miasto.proposals.models import Category, Proposal
from miasto.proposals.services import (
    ProposalInput,
    comment_add,
    proposal_change_status,
    proposal_submit,
    proposal_support,
)
from miasto.proposals.statuses import Status
from miasto.territory.models import Address, City, OrgUnit, Parcel, Street

SEED = 16
COUNT = 40
SUPPORTERS = 30
DEMO_DOMAIN = "miasto-przykladowe.example"

IDEAS: dict[str, list[str]] = {
    Category.GREENERY: ["Nowe drzewa przy ulicy", "Łąka kwietna zamiast trawnika",
                        "Park kieszonkowy na pustym placu"],
    Category.TRANSPORT: ["Droga rowerowa do szkoły", "Przejście dla pieszych przy przystanku",
                         "Wiata na przystanku"],
    Category.SAFETY: ["Oświetlenie ścieżki", "Progi zwalniające przed szkołą"],
    Category.PUBLIC_SPACE: ["Ławki i cień na skwerze", "Poidełko z wodą pitną"],
    Category.SPORT: ["Plac zabaw dla starszych dzieci", "Siłownia plenerowa"],
    Category.CULTURE: ["Kino letnie na placu", "Mural na ścianie szczytowej"],
    Category.OTHER: ["Toaleta publiczna", "Stojaki na rowery przy urzędzie"],
}  # fmt: skip
FEEDBACK = {
    Status.UNDER_REVIEW: "Pomysł przekazano do analizy w wydziale merytorycznym.",
    Status.ACCEPTED: "Pomysł przyjęto do realizacji; ujmiemy go w planie prac na przyszły rok.",
    Status.REJECTED: "Nie możemy zrealizować pomysłu: teren nie należy do miasta.",
    Status.IMPLEMENTED: "Pomysł zrealizowano. Dziękujemy!",
}
#: the path to each final status (from ``submitted``)
PATHS = {
    Status.SUBMITTED: [],
    Status.UNDER_REVIEW: [Status.UNDER_REVIEW],
    Status.ACCEPTED: [Status.UNDER_REVIEW, Status.ACCEPTED],
    Status.REJECTED: [Status.UNDER_REVIEW, Status.REJECTED],
    Status.IMPLEMENTED: [Status.UNDER_REVIEW, Status.ACCEPTED, Status.IMPLEMENTED],
}
COMMENTS = ["Popieram, bardzo potrzebne.", "Dobry pomysł, ale warto pomyśleć o utrzymaniu.",
            "Mieszkam obok i chętnie pomogę.", "Czy jest na to miejsce?"]  # fmt: skip


class NoCity(RuntimeError):
    pass


@dataclass
class Result:
    created: int = 0
    supports: int = 0
    comments: int = 0

    def summary(self) -> str:
        return (
            f"Pomysły mieszkańców: {self.created} pomysłów, {self.supports} poparć, "
            f"{self.comments} komentarzy"
        )


def _resident(username: str) -> Any:
    """A demo resident with a verified address (no password: they never sign in)."""
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username, defaults={"email": f"{username}@{DEMO_DOMAIN}"}
    )
    if created:
        user.set_unusable_password()
        user.save()
        user.groups.add(Group.objects.get_or_create(name="resident")[0])
    EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return user


def _staff() -> Any:
    """The demo planner if ``demo-users`` ran, else a demo planner of our own."""
    User = get_user_model()
    user = User.objects.filter(username="planista").first()
    if user is None:
        user = _resident("demo-planista")
        user.groups.add(Group.objects.get_or_create(name="planner")[0])
    return user


def _places(rng: random.Random) -> list[GEOSGeometry]:
    addresses = list(Address.objects.order_by("id").values_list("geom", flat=True)[:2000])
    parcels = list(Parcel.objects.order_by("id").values_list("geom", flat=True)[:2000])
    streets = list(Street.objects.order_by("id").values_list("geom", flat=True)[:200])
    places: list[GEOSGeometry] = []
    for i in range(COUNT):
        kind = i % 4
        if kind == 1 and parcels:
            geom = rng.choice(parcels)
            places.append(geom if geom.geom_type == "Polygon" else geom[0])
        elif kind == 2 and streets:
            line = rng.choice(streets)
            places.append(line if line.geom_type == "LineString" else line[0])
        elif addresses:
            places.append(rng.choice(addresses))
    return places


def demo_proposals_generate(*, if_missing: bool = False) -> Result:
    if not City.objects.exists():
        raise NoCity("Brak miasta demonstracyjnego: najpierw `miasto demo-city`.")
    if if_missing and Proposal.objects.exists():
        return Result()
    with transaction.atomic():
        return _generate(random.Random(SEED))


def _generate(rng: random.Random) -> Result:
    result = Result()
    Proposal.objects.all().delete()
    people = [_resident(f"demo-mieszkaniec-{n:02d}") for n in range(1, SUPPORTERS + 1)]
    author = get_user_model().objects.filter(username="mieszkaniec").first()
    if author is not None:
        EmailAddress.objects.filter(user=author).update(verified=True)
    staff = _staff()
    unit = OrgUnit.objects.order_by("code").first()
    AnswerTemplate.objects.get_or_create(
        module="proposals",
        title="Przekazanie do analizy",
        defaults={"body": FEEDBACK[Status.UNDER_REVIEW]},
    )
    statuses = list(PATHS)
    categories = list(IDEAS)
    for i, place in enumerate(_places(rng)):
        category = categories[i % len(categories)]
        title = rng.choice(IDEAS[category])
        data = ProposalInput(
            title=title,
            description=f"{title}. Proponuję to miejsce, bo korzysta z niego wiele osób.",
            category=category,
            geom=place,
            budget_line="Budżet obywatelski 2027" if i % 5 == 0 else "",
        )
        proposal = proposal_submit(
            data, author=author if (author and i % 3 == 0) else people[i % SUPPORTERS]
        )
        proposal.unit = unit
        proposal.save(update_fields=["unit"])
        result.created += 1
        for person in rng.sample(people, rng.randint(0, SUPPORTERS // 2)):
            proposal_support(proposal, user=person)
            result.supports += 1
        for n in range(rng.randint(0, 3)):
            comment_add(proposal, user=people[(i + n) % SUPPORTERS], body=COMMENTS[(i + n) % 4])
            result.comments += 1
        for target in PATHS[statuses[i % len(statuses)]]:
            proposal_change_status(proposal, target=target, feedback=FEEDBACK[target], user=staff)
    return result

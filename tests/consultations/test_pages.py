"""The consultation pages through the Django client: a resident's comment (typed place, no map),
hostile input answered 400 in Polish with nothing written, staff entry, moderation, handling,
the lifecycle buttons and the report job — and no personal data on public pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from miasto.consultations.models import Comment, Moderation, Status
from miasto.core.models import Job
from tests.consultations.factories import add_comment, make_consultation
from tests.i18n import compile_messages
from tests.territory import factories as tf


@pytest.fixture(autouse=True)
def polish() -> Any:
    compile_messages("consultations")
    with translation.override("pl"):
        yield


def login(client: Any, make_user: Any, role: str) -> Any:
    user = make_user(role)
    client.force_login(user)
    return user


def form(**kw: Any) -> dict[str, Any]:
    data = {"text": "Proszę o chodnik.", "category": "transport", "name": "Ewa Zielińska",
            "address": "ul. Polna 3", "email": "", "website": ""}  # fmt: skip
    data.update(kw)
    return data


def test_a_resident_comments_by_typing_a_parcel(client: Any, plan: Any, make_user: Any) -> None:
    c = make_consultation(plan, Status.OPEN)
    parcel = tf.ParcelFactory()
    login(client, make_user, "resident")
    url = f"/konsultacje/{c.pk}/uwagi/nowa/"
    page = client.get(url)
    assert page.status_code == 200 and "Albo podaj działkę lub adres" in page.content.decode()
    answer = client.post(url, form(place=parcel.identifier))
    assert answer.status_code == 302
    comment = Comment.objects.get()
    assert comment.parcel == parcel.identifier and comment.moderation == Moderation.PENDING
    # waiting for moderation: not on the public page yet
    assert "Proszę o chodnik." not in client.get(f"/konsultacje/{c.pk}/").content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (form(text=""), "Uwaga jest pusta"),
        (form(text="x" * 6000), "Uwaga jest za długa"),
        (form(place="Nieistniejąca 999"), "Nie znaleziono działki ani adresu"),
        (form(geom='{"type": "Point", "coordinates": [0, 0]}'), "Rysunek leży poza miastem"),
        (form(website="http://spam.example"), "Nie udało się wysłać"),
    ],
)
def test_hostile_comments_get_400_in_polish(
    client: Any, plan: Any, make_user: Any, data: dict[str, Any], message: str
) -> None:
    c = make_consultation(plan, Status.OPEN)
    login(client, make_user, "resident")
    answer = client.post(f"/konsultacje/{c.pk}/uwagi/nowa/", data)
    assert answer.status_code == 400
    assert message in answer.content.decode()
    assert not Comment.objects.exists()


def test_a_comment_after_the_close_is_409(client: Any, plan: Any, make_user: Any) -> None:
    c = make_consultation(plan, Status.CLOSED)
    login(client, make_user, "resident")
    answer = client.post(f"/konsultacje/{c.pk}/uwagi/nowa/", form())
    assert answer.status_code == 409
    assert "tylko w czasie trwania konsultacji" in answer.content.decode()
    assert not Comment.objects.exists()


def test_public_page_shows_comments_and_answers_not_people(client: Any, plan: Any) -> None:
    c = make_consultation(plan, Status.OPEN)
    add_comment(c, 1, text="Więcej zieleni", handling="accepted", justification="Dodano park.")
    add_comment(c, 2, text="Spam", moderation="hidden", hidden_reason="reklama")
    html = client.get(f"/konsultacje/{c.pk}/").content.decode()
    assert "Więcej zieleni" in html and "Dodano park." in html and "uwzględniona" in html
    assert "ukryta przez moderatora: reklama" in html and ">Spam<" not in html
    assert "Anna Nowak" not in html and "Krótka" not in html
    assert "zbieranie uwag" in html and 'id="consultation-map"' in html


def test_staff_enter_moderate_and_handle(client: Any, plan: Any, make_user: Any) -> None:
    c = make_consultation(plan, Status.OPEN)
    login(client, make_user, "planner")
    entered = client.post(
        f"/konsultacje/obsluga/{c.pk}/uwagi/nowa/",
        form(channel="paper", received_on=c.starts_on.isoformat()),
    )
    assert entered.status_code == 302
    paper = Comment.objects.get()
    assert paper.channel == "paper" and paper.moderation == Moderation.PUBLISHED
    handled = client.post(
        f"/konsultacje/obsluga/uwagi/{paper.pk}/",
        {"handling": "not_accepted", "justification": "Chodnik już jest w projekcie."},
    )
    assert handled.status_code == 302
    paper.refresh_from_db()
    assert paper.handling == "not_accepted"
    staff_page = client.get(f"/konsultacje/obsluga/uwagi/{paper.pk}/").content.decode()
    assert "Ewa Zielińska" in staff_page  # the planners see the author; nobody else does

    client.force_login(make_user("moderator"))
    online = add_comment(c, 2, moderation="pending", text="Do sprawdzenia")
    queue = client.get("/konsultacje/obsluga/moderacja/").content.decode()
    assert "Do sprawdzenia" in queue
    refused = client.post(f"/konsultacje/obsluga/uwagi/{online.pk}/moderacja/",
                          {"decision": "hide", "reason": ""})  # fmt: skip
    assert refused.status_code == 400 and "Podaj powód ukrycia" in refused.content.decode()
    client.post(f"/konsultacje/obsluga/uwagi/{online.pk}/moderacja/",
                {"decision": "hide", "reason": "wulgaryzmy"})  # fmt: skip
    online.refresh_from_db()
    assert online.moderation == Moderation.HIDDEN and online.hidden_reason == "wulgaryzmy"


def test_lifecycle_buttons_and_report_job(client: Any, plan: Any, make_user: Any) -> None:
    login(client, make_user, "planner")
    open_one = make_consultation(plan, Status.OPEN)
    early = client.post(f"/konsultacje/obsluga/{open_one.pk}/status/", {"target": "closed"})
    assert early.status_code == 409 and "nie wcześniej" in early.content.decode()
    closed = make_consultation(plan, Status.CLOSED)
    assert client.post(f"/konsultacje/obsluga/{closed.pk}/raport/").status_code == 302
    job = Job.objects.get(kind="consultations.report")
    assert job.payload == {"consultation_id": closed.pk}
    page = client.get(f"/konsultacje/obsluga/{closed.pk}/").content.decode()
    assert "Generowanie:" in page


def test_setup_form_checks_art_8i(client: Any, plan: Any, make_user: Any) -> None:
    login(client, make_user, "planner")
    data = {"title": "Nowe", "act": f"plan:{plan.pk}", "starts_on": "2027-03-01",
            "ends_on": "2027-03-31", "methods": ["comments", "meeting"]}  # fmt: skip
    refused = client.post("/konsultacje/obsluga/nowe/", data)
    assert refused.status_code == 400 and "art. 8i ust. 1 pkt 3–5" in refused.content.decode()
    data["methods"] = ["comments", "meeting", "consultation_point"]
    assert client.post("/konsultacje/obsluga/nowe/", data).status_code == 302

"""The Atom feed at a secret address: valid Atom (RFC 4287's required elements), only the
owner's entries, a wrong or replaced token is a 404, nothing names the person."""

from __future__ import annotations

from lxml import etree

from miasto.alerts.events import alerts_match
from miasto.alerts.services import feed_token_reset, profile_for
from tests.alerts.conftest import X, Y, event, point, square

ATOM = "{http://www.w3.org/2005/Atom}"


def _url(token: str) -> str:
    return f"/konto/powiadomienia/kanal/{token}.atom"


def _parse(content: bytes) -> etree._Element:
    root = etree.fromstring(
        content, parser=etree.XMLParser(resolve_entities=False, no_network=True)
    )
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{required}") is not None, required
    for entry in root.findall(f"{ATOM}entry"):
        for required in ("id", "title", "updated"):
            assert (entry.findtext(f"{ATOM}{required}") or "").strip(), required
        assert entry.find(f"{ATOM}link").get("href").startswith("http")
    return root


def test_the_feed_is_atom_with_the_owners_entries_only(
    client, topics, subscribe, make_user
) -> None:
    owner = make_user(username="ala-kowalska", email="ala@example.org")
    other = make_user()
    subscribe(owner, square(X, Y, 100), feed=True)
    subscribe(other, square(X + 500, Y, 100), feed=True)
    alerts_match(event(point(X + 5, Y + 5), title="Konsultacje placu"))
    alerts_match(event(point(X + 505, Y + 5), subject="k-2", title="Cudze zgłoszenie"))
    response = client.get(_url(profile_for(owner).feed_token))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    root = _parse(response.content)
    titles = [e.findtext(f"{ATOM}title") for e in root.findall(f"{ATOM}entry")]
    assert titles == ["Konsultacje placu"]
    [entry] = root.findall(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}id").startswith("urn:uuid:")
    text = response.content.decode()
    assert "ala-kowalska" not in text and "ala@example.org" not in text


def test_only_areas_with_the_feed_channel_fill_it(client, topics, subscribe, make_user) -> None:
    owner = make_user()
    subscribe(owner, square(X, Y, 100), feed=False)
    alerts_match(event(point(X + 5, Y + 5)))
    root = _parse(client.get(_url(profile_for(owner).feed_token)).content)
    assert root.findall(f"{ATOM}entry") == []


def test_wrong_tokens_are_not_found(client, make_user) -> None:
    profile_for(make_user())
    for token in ["x", "a" * 43, "a" * 300, "' OR 1=1 --", "..%2F..%2Fetc"]:
        assert client.get(_url(token)).status_code == 404, token
    assert client.get(_url("%00")).status_code == 400  # the NUL guard answers first


def test_a_new_address_replaces_the_old_one(client, make_user) -> None:
    user = make_user()
    old = profile_for(user).feed_token
    assert len(old) >= 40
    new = feed_token_reset(user).feed_token
    assert new != old
    assert client.get(_url(old)).status_code == 404
    assert client.get(_url(new)).status_code == 200


def test_a_deactivated_account_has_no_feed(client, make_user) -> None:
    user = make_user()
    token = profile_for(user).feed_token
    user.is_active = False
    user.save()
    assert client.get(_url(token)).status_code == 404


def test_the_reset_is_a_post_of_the_owner(client, make_user) -> None:
    user = make_user()
    old = profile_for(user).feed_token
    client.force_login(user)
    assert client.get("/konto/powiadomienia/kanal/nowy-adres/").status_code == 405
    response = client.post("/konto/powiadomienia/kanal/nowy-adres/")
    assert response.status_code == 302
    assert profile_for(user).feed_token != old

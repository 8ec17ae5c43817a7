"""The accessibility statement, contact and privacy pages: their structure, defaults, the
footer that links them, editing in the admin (administrators only, audited), and the plain
text of an administrator that never becomes HTML."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from miasto.core.models import AuditEntry
from miasto.web.models import AccessibilityStatement, SitePage
from miasto.web.site_pages import accessibility_statement, site_page, text_blocks

pytestmark = pytest.mark.django_db

#: the elements of the minister's template, by their ids
STATEMENT_IDS = (
    "a11y-wstep",
    "a11y-podmiot",
    "a11y-url",
    "a11y-data-publikacja",
    "a11y-data-aktualizacja",
    "a11y-status",
    "a11y-data-sporzadzenie",
    "a11y-kontakt",
    "a11y-osoba",
    "a11y-email",
    "a11y-telefon",
    "a11y-procedura",
    "a11y-architektura",
    "a11y-aplikacje",
)


def get(client: Client, url: str, lang: str = "pl"):  # type: ignore[no-untyped-def]
    client.cookies["django_language"] = lang
    return client.get(url, HTTP_ACCEPT_LANGUAGE=lang)


def test_statement_has_the_structure_of_the_act_with_polish_defaults(client, small_city):
    response = get(client, "/deklaracja-dostepnosci/")
    assert response.status_code == 200
    html = response.content.decode()
    for element_id in STATEMENT_IDS:
        assert f'id="{element_id}"' in html, element_id
    assert "Urząd Miasta Miastko Testowe" in html  # the entity, from the city
    assert "częściowo zgodna" in html
    assert "samooceny przeprowadzonej przez podmiot publiczny" in html
    assert "Rzecznika Praw Obywatelskich" in html
    assert "7 dni" in html and "2 miesiące" in html  # the request's deadlines
    assert "skargę" in html
    today = datetime.date.today().isoformat()
    assert f'id="a11y-data-publikacja" datetime="{today}"' in html
    assert '<meta name="deklaracja-dostępności"' in html
    assert AccessibilityStatement.objects.count() == 1


def test_statement_is_polish_in_the_english_interface_too(client):
    html = get(client, "/deklaracja-dostepnosci/", lang="en").content.decode()
    assert '<html lang="en"' in html
    assert '<article class="prose statement" lang="pl">' in html
    assert "Urząd Miasta" in html  # no city yet: the generic name


def test_statement_shows_what_the_administrator_entered(client):
    statement = accessibility_statement()
    statement.status = AccessibilityStatement.Status.COMPLIANT
    statement.contact_person = "Anna Kowalska"
    statement.contact_email = "dostepnosc@um.example.pl"
    statement.contact_phone = "+48 42 123 45 67"
    statement.inaccessible_content = ""
    statement.save()
    html = get(client, "/deklaracja-dostepnosci/").content.decode()
    assert "<strong>zgodna</strong>" in html
    assert "z powodu niezgodności" not in html
    assert "Treści niedostępne" not in html  # nothing listed: no empty section
    assert '<dd id="a11y-osoba">Anna Kowalska</dd>' in html
    assert 'href="mailto:dostepnosc@um.example.pl"' in html
    assert 'href="tel:+48421234567"' in html


def test_contact_and_privacy_pages_have_their_defaults(client):
    contact = get(client, "/kontakt/")
    privacy = get(client, "/prywatnosc/")
    assert contact.status_code == privacy.status_code == 200
    html = privacy.content.decode()
    assert "<h1>Prywatność</h1>" in html
    assert "<h2>Pliki cookie</h2>" in html
    for cookie in ("sessionid", "csrftoken", "django_language"):
        assert cookie in html
    assert "<h2>Dzienniki</h2>" in html and "<h2>Konto</h2>" in html
    assert "<h1>Kontakt</h1>" in contact.content.decode()
    assert SitePage.objects.count() == 2


def test_an_administrators_text_never_becomes_html(client):
    page = site_page(SitePage.Key.CONTACT)
    page.body = (
        "## Biuro <b>obsługi</b>\n\nPisz: biuro@um.example.pl <script>alert(1)</script>\n"
        "- pokój 12\n- https://um.example.pl/"
    )
    page.save()
    html = get(client, "/kontakt/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<h2>Biuro &lt;b&gt;obsługi&lt;/b&gt;</h2>" in html
    assert '<a href="mailto:biuro@um.example.pl">' in html
    assert "<li>pokój 12</li>" in html
    assert 'href="https://um.example.pl/"' in html


def test_text_blocks_split_headings_paragraphs_and_lists():
    blocks = text_blocks("Raz\ndwa\n\n## Nagłówek\n- a\n- b\nPo liście\r\n\n")
    assert [(b.kind, b.text, b.items) for b in blocks] == [
        ("paragraph", "Raz dwa", ()),
        ("heading", "Nagłówek", ()),
        ("list", "", ("a", "b")),
        ("paragraph", "Po liście", ()),
    ]
    assert text_blocks("") == []


@pytest.mark.parametrize("path", ["/", "/map/", "/dane/", "/nie-ma-takiej-strony/"])
def test_every_page_links_the_statement_contact_and_privacy(client, path):
    html = get(client, path).content.decode()
    for href in ('href="/deklaracja-dostepnosci/"', 'href="/kontakt/"', 'href="/prywatnosc/"'):
        assert href in html, (path, href)


def _form_data(statement: AccessibilityStatement, **changes: object) -> dict[str, object]:
    data = {
        f.name: getattr(statement, f.name)
        for f in AccessibilityStatement._meta.fields
        if f.editable and f.name != "id"
    }
    data.update(changes)
    return {k: ("" if v is None else v) for k, v in data.items()}


def test_administrator_edits_the_statement_and_the_edit_is_audited(client, make_user):
    admin = make_user("administrator")
    client.force_login(admin)
    statement = accessibility_statement()
    url = f"/admin/web/accessibilitystatement/{statement.pk}/change/"
    form = client.get(url)
    assert form.status_code == 200
    assert 'name="_save"' in form.content.decode()
    response = client.post(
        url,
        _form_data(statement, entity_name="Urząd Miasta Zgierz", contact_phone="42 714 31 00"),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    statement.refresh_from_db()
    assert statement.entity_name == "Urząd Miasta Zgierz"
    entry = AuditEntry.objects.filter(
        model="web.accessibilitystatement", object_id=str(statement.pk), action="update"
    ).get()
    assert entry.actor_id == admin.pk
    assert entry.source == "admin"
    assert entry.changes["entity_name"]["after"] == "Urząd Miasta Zgierz"
    assert "Urząd Miasta Zgierz" in client.get("/deklaracja-dostepnosci/").content.decode()


def test_nobody_adds_or_deletes_the_statement(client, make_user):
    client.force_login(make_user("administrator"))
    statement = accessibility_statement()
    assert client.get("/admin/web/accessibilitystatement/add/").status_code == 403
    delete = f"/admin/web/accessibilitystatement/{statement.pk}/delete/"
    assert client.get(delete).status_code == 403
    # the list makes the rows that must exist
    SitePage.objects.all().delete()
    assert client.get("/admin/web/sitepage/").status_code == 200
    assert set(SitePage.objects.values_list("key", flat=True)) == {"contact", "privacy"}


@pytest.mark.parametrize("role", ["planner", "data_steward", "moderator"])
def test_other_staff_cannot_change_the_statement(client, make_user, role):
    client.force_login(make_user(role))
    statement = accessibility_statement()
    url = f"/admin/web/accessibilitystatement/{statement.pk}/change/"
    assert client.get(url).status_code == 403
    response = client.post(url, _form_data(statement, entity_name="Przejęte"))
    assert response.status_code == 403
    statement.refresh_from_db()
    assert statement.entity_name != "Przejęte"


def test_administrator_edits_the_privacy_page(client, make_user):
    client.force_login(make_user("administrator"))
    page = site_page(SitePage.Key.PRIVACY)
    url = f"/admin/web/sitepage/{page.pk}/change/"
    response = client.post(url, {"title": "Polityka prywatności", "body": "Nowy tekst."})
    assert response.status_code == 302
    html = client.get("/prywatnosc/").content.decode()
    assert "<h1>Polityka prywatności</h1>" in html and "<p>Nowy tekst.</p>" in html
    assert AuditEntry.objects.filter(model="web.sitepage", action="update").exists()

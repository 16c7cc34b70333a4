"""The client card and the history read as the clerk speaks (labels, names, readable values, no keys or
JSON); notes and persons added from the card; the history list's filters; no query per row."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from domain.history import pending_changes, record_change
from models import ChangeLog, ClientGroup, Contact, ContactPerson, Note, db
from tests.helpers import (
    PORTAL_PASSWORD,
    StatementCounter,
    csrf_token,
    english_words_in,
    user_named,
    visible_text,
)

SOCKET_PATH = "Opava › Nádražní › 12 › R1 › R1-7"
# The test's own data on the card (names that are neither interface words nor Czech).
DATA = (
    "Dvořák Antonín",
    "Dvořáková Eva",
    "Nádražní",
    "Zlatí",
    "Stříbrní",
    "Platící",
    "Sever",
    "Internet",
    "Fast",
    "Basic",
    "TV",
    "Group",
    "antonin@example.cz",
    "tonda@example.cz",
    "Test staff",
)


def card(client, contact_id: int, language: str = "en", **args) -> str:
    response = client.get(
        "/admin/contact/details/", query_string={"id": contact_id, **args}, headers={"Accept-Language": language}
    )
    assert response.status_code == 200
    return response.get_data(as_text=True)


def no_database_words(text: str) -> None:
    """Nothing of how the database stores things: keys, Python's booleans, JSON, a bare country code."""
    assert "_id" not in text and "True" not in text and "False" not in text
    assert "{" not in text and '"old"' not in text
    assert not re.search(r"\b(CZ|SK)\b", text), re.findall(r".{30}\b(?:CZ|SK)\b.{30}", text)


@pytest.mark.parametrize(
    "language,countries,phones",
    [
        ("en", ("Czechia", "Slovakia"), ("+420 601 123 456", "+420 777 000 111", "+420 602 000 222")),
        ("cs", ("Česko", "Slovensko"), ("+420 601 123 456", "+420 777 000 111", "+420 602 000 222")),
    ],
)
def test_the_card_reads_as_the_form_in_the_users_language(staff, full_contact, language, countries, phones):
    html = card(staff, full_contact, language)
    text = visible_text(html)
    no_database_words(text)
    for shown in (*countries, *phones, SOCKET_PATH, "Zlatí", "Stříbrní", "Platící", "Horní 5", "Volat po 17. hodině"):
        assert shown in text, shown
    # The history names the person changed, the socket by its path, the country by its name.
    history = visible_text(html.split('id="card-history"')[1])
    assert (
        f"Dvořáková Eva: {'Phone' if language == 'en' else 'Telefon'}: +420 602 000 111 → +420 602 000 222" in history
    )
    assert f"{countries[1]} → {countries[0]}" in history and f"— → {SOCKET_PATH}" in history
    assert ("the client (portal)" if language == "en" else "klient (portál)") in history
    if language == "cs":
        assert english_words_in(html, allowed=DATA) == []


def test_the_card_has_its_tabs_for_the_keyboard(staff, full_contact):
    html = card(staff, full_contact, tab="history")
    tabs = re.findall(r'<a class="nav-link[^"]*" id="tab-(\w+)"[^>]*role="tab"[^>]*>', html)
    assert tabs == ["overview", "services", "catv", "persons", "history"]
    # Only the open tab is in the Tab order; each names its panel, which names it back.
    assert re.search(r'id="tab-history"[^>]*aria-selected="true"(?![^>]*tabindex="-1")', html)
    assert re.search(r'id="tab-overview"[^>]*aria-selected="false"[^>]*tabindex="-1"', html)
    assert 'id="pane-history" role="tabpanel"\n       aria-labelledby="tab-history"' in html
    assert 'class="tab-pane show active" id="pane-history"' in html
    assert "contact_card.js" in html and "onclick" not in html


def test_a_note_and_a_person_added_on_the_card_show_there_and_in_its_history(app, staff, make_contact):
    contact_id = make_contact(name="Karta Karel")
    token = csrf_token(staff, f"/admin/contact/details/?id={contact_id}")
    response = staff.post(
        f"/admin/contact/card/note/?id={contact_id}", data={"csrf_token": token, "text": "Volá po 17. hodině"}
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/admin/contact/details/?id={contact_id}&tab=persons#card-tabs")
    person = {
        "csrf_token": token,
        "name": "Karlová Jana",
        "role": "manželka",
        "email": "jana@example.cz",
        "phone": "+420 603 000 111",
    }
    assert staff.post(f"/admin/contact/card/person/?id={contact_id}", data=person).status_code == 302
    html = card(staff, contact_id, tab="persons")
    assert "The contact person was added." in html
    assert "Volá po 17. hodině" in html.split('id="card-notes"')[1]
    assert "Karlová Jana" in html.split('id="card-persons"')[1]
    history = visible_text(html.split('id="card-history"')[1])
    assert "Contact person Karlová Jana: Role: — → manželka" in history
    assert "Note: Text: — → Volá po 17. hodině" in history
    with app.app_context():
        note = db.session.scalars(sa.select(Note)).one()
        assert (note.contact_id, note.author.username) == (contact_id, "staff")
        assert db.session.scalars(sa.select(ContactPerson.email)).all() == ["jana@example.cz"]
        entries = db.session.scalars(sa.select(ChangeLog).order_by(ChangeLog.id)).all()
        assert [(e.contact_id, e.user.username, e.action) for e in entries] == [(contact_id, "staff", "update")] * 2


def test_a_refused_note_or_person_keeps_what_was_typed_with_the_error_next_to_the_field(app, staff, make_contact):
    contact_id = make_contact()
    other = make_contact()
    token = csrf_token(staff, "/admin/")
    person = {"csrf_token": token, "name": "", "role": "syn <b>", "email": "not-an-address", "contact": str(other)}
    response = staff.post(f"/admin/contact/card/person/?id={contact_id}", data=person)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    # Each error under its field and tied to it; what was typed is still there.
    name_input = (
        '<input aria-describedby="name-error" aria-invalid="true" class="form-control form-control-sm is-invalid"'
    )
    assert f'{name_input} id="name"' in html
    assert '<div class="invalid-feedback" id="name-error">This field is required.</div>' in html
    assert (
        '<div class="invalid-feedback" id="email-error">“not-an-address” is not a valid e-mail address.</div>' in html
    )
    assert 'value="syn &lt;b&gt;"' in html and 'value="not-an-address"' in html
    assert 'class="tab-pane show active" id="pane-persons"' in html  # the form is in view
    for blank in ("", "  \n "):  # spaces alone are no note either
        response = staff.post(f"/admin/contact/card/note/?id={contact_id}", data={"csrf_token": token, "text": blank})
        assert response.status_code == 200 and 'id="text-error"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ContactPerson)) == 0
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Note)) == 0
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ChangeLog)) == 0


def test_the_card_forms_need_the_token_and_a_staff_login(app, client, make_portal_client):
    contact_id = make_portal_client(client_number=5001)
    url = f"/admin/contact/card/note/?id={contact_id}"
    assert client.post(url, data={"text": "Hi"}).status_code == 400  # no token
    token = csrf_token(client, "/login")
    response = client.post(url, data={"csrf_token": token, "text": "Hi"})
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")  # anonymous
    token = csrf_token(client, "/portal/login")
    client.post("/portal/login", data={"csrf_token": token, "login": "5001", "password": PORTAL_PASSWORD})
    assert client.get("/portal/").status_code == 200
    # Logged in to the portal, with the panel's own token: to the panel this browser is not logged in.
    response = client.post(url, data={"csrf_token": csrf_token(client, "/login"), "text": "Hi"})
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Note)) == 0


# --- The history list ------------------------------------------------------------------------------


@pytest.fixture
def histories(app, make_contact):
    """Entries of two contacts by staff and admin on 1, 2 and 3 March 2026 (Prague time); returns the contact ids."""
    first, second = (
        make_contact(client_number=8001, name="Prvňák Petr"),
        make_contact(client_number=8002, name="Druhý Dan"),
    )
    with app.app_context():
        staff, admin = user_named("staff"), user_named("admin")
        for contact_id, user, when, city in (
            (first, staff, datetime(2026, 3, 1, 10, 0, tzinfo=UTC), "Brno"),
            (first, admin, datetime(2026, 3, 1, 23, 30, tzinfo=UTC), "Ostrava"),  # 2 March in Prague
            (second, staff, datetime(2026, 3, 3, 8, 0, tzinfo=UTC), "Plzeň"),
        ):
            contact = db.session.get(Contact, contact_id)
            contact.city = city
            record_change(contact, "update", pending_changes(contact), user).created_at = when
            db.session.commit()
    return first, second


def listed_cities(client, **filters) -> list[str]:
    response = client.get("/admin/change_log/", query_string=filters)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    return re.findall(r"<ins>(\w+)</ins>", html)


def test_the_history_list_filters_by_contact_user_and_days(admin, histories):
    assert listed_cities(admin) == ["Plzeň", "Ostrava", "Brno"]
    assert listed_cities(admin, flt0_client_number_or_name_is="8001") == ["Ostrava", "Brno"]
    assert listed_cities(admin, flt0_client_number_or_name_is="druhy") == ["Plzeň"]  # accents and case aside
    with admin.application.app_context():
        staff_id = user_named("staff").id
    assert listed_cities(admin, flt0_user_equals=staff_id) == ["Plzeň", "Brno"]
    assert listed_cities(admin, flt0_user_equals="staff") == ["Plzeň", "Ostrava", "Brno"]  # not a user: no filter
    assert listed_cities(admin, flt0_when_between="2. 3. 2026 – 3. 3. 2026") == ["Plzeň", "Ostrava"]
    assert listed_cities(admin, flt0_when_between="1. 3. 2026 – 1. 3. 2026") == ["Brno"]
    assert listed_cities(admin, flt0_when_between="1. 3. 2026 – 3. 3. 2026", flt1_user_equals=staff_id) == [
        "Plzeň",
        "Brno",
    ]


def test_the_history_list_its_entries_and_export_are_readable(app, admin, histories):
    with app.app_context():
        contact = db.session.get(Contact, histories[1])
        contact.street = "<img src=x>"
        entry = record_change(contact, "update", pending_changes(contact), user_named("staff"))
        db.session.commit()
        entry_id = entry.id
    html = admin.get("/admin/change_log/", headers={"Accept-Language": "cs"}).get_data(as_text=True)
    text = visible_text(html)
    no_database_words(text)
    assert "Obec: Praha → Brno" in text and "8001 Prvňák Petr" in text
    assert f'href="/admin/contact/details/?id={histories[0]}"' in html
    assert "<ins>&lt;img src=x&gt;</ins>" in html and "<img src=x>" not in html
    details = admin.get(f"/admin/change_log/details/?id={entry_id}").get_data(as_text=True)
    no_database_words(visible_text(details))
    assert '<span class="history-field">Street:</span> <del>Hlavní 1</del> → <ins>&lt;img src=x&gt;</ins>' in details
    export = admin.get("/admin/change_log/export/csv/").get_data(as_text=True)
    assert "City: Praha → Brno" in export and "{" not in export


def test_the_card_links_to_its_contacts_history(admin, histories):
    html = card(admin, histories[0])
    link = re.search(r'href="([^"]+)">This contact in the history list', html).group(1)
    assert link == "/admin/change_log/?flt0_client_number_or_name_is=8001"


def test_no_query_per_row_in_the_history_list_or_on_the_card(app, admin, make_contact, make_socket, full_contact):
    """More history entries, persons, notes, services and sockets cost no more queries: the card and the
    history list already show each kind (a code list, a socket, a country, a person) once."""

    def queries(url: str) -> int:
        counter = StatementCounter(app)
        with counter:
            assert admin.get(url).status_code == 200
        return counter.count

    urls = ("/admin/change_log/", f"/admin/contact/details/?id={full_contact}")
    few = [queries(url) for url in urls]
    contacts = [make_contact() for _ in range(3)] + [full_contact]
    sockets = [make_socket(f"S{n}", street=f"Ulice {n}").socket for n in range(4)]
    with app.app_context():
        groups = [ClientGroup(name=f"G{n}") for n in range(4)]
        db.session.add_all(groups)
        db.session.flush()
        staff = user_named("staff")
        for n, contact_id in enumerate(contacts):
            contact = db.session.get(Contact, contact_id)
            contact.client_group_id, contact.socket_id, contact.country = groups[n].id, sockets[n], "AT"
            contact.persons.append(ContactPerson(name=f"Osoba {n}", phone="+420601000001"))
            contact.notes.append(Note(text=f"Poznámka {n}", author=staff))
            record_change(contact, "update", pending_changes(contact), staff)
            db.session.flush()
            person = contact.persons[-1]
            changes = {f"person {person.id}: phone": {"old": "+420601000001", "new": "+420601000002"}}
            record_change(contact, "update", changes, staff)
        db.session.commit()
    assert [queries(url) for url in urls] == few

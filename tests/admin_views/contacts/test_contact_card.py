"""The client card and its history, and reverting one change."""

from __future__ import annotations

import re
from decimal import Decimal
from html import unescape

import pytest
import sqlalchemy as sa

from domain.history import pending_changes, record_change
from models import ChangeLog, ClientGroup, ClientStatus, Contact, ContactPerson, Note, User, db
from tests.helpers import csrf_token, log_in


@pytest.fixture
def edited(app, client, make_contact):
    """A contact whose city and group a clerk changed through the form; returns (id, entry id)."""
    with app.app_context():
        old, new = ClientGroup(name="Old group"), ClientGroup(name="New group")
        db.session.add_all([old, new])
        db.session.commit()
        old_id, new_id = old.id, new.id
    contact_id = make_contact(
        client_number=3001, name="Karta Karel", city="Praha", client_group_id=old_id, email="karel@example.cz"
    )
    log_in(client, "staff")
    html = client.get(f"/admin/contact/edit/?id={contact_id}").get_data(as_text=True)
    assert "Karta Karel" in html
    with app.app_context():
        staff = db.session.scalars(sa.select(User).where(User.username == "staff")).one()
        contact = db.session.get(Contact, contact_id)
        contact.city = "Brno"
        contact.client_group_id = new_id
        record_change(contact, "update", pending_changes(contact), staff)
        db.session.add(Note(contact_id=contact_id, text="<b>Calls</b> after 5", author_id=staff.id))
        db.session.commit()
        entry_id = db.session.scalars(sa.select(ChangeLog.id)).one()
    return contact_id, entry_id


def test_card_shows_sections_notes_and_history_with_names(app, client, edited):
    contact_id, _entry_id = edited
    html = client.get(f"/admin/contact/details/?id={contact_id}").get_data(as_text=True)
    assert "Karta Karel" in html and "karel@example.cz" in html
    assert "&lt;b&gt;Calls&lt;/b&gt; after 5" in html
    history = html.split('id="card-history"')[1]
    assert "<del>Praha</del> → <ins>Brno</ins>" in history
    assert "<del>Old group</del> → <ins>New group</ins>" in history
    assert "Test staff" in history
    assert "Revert" not in history  # staff cannot revert


def test_admin_reverts_one_entry_and_the_revert_is_recorded(app, client, edited):
    contact_id, entry_id = edited
    client.post("/logout", data={"csrf_token": csrf_token(client, "/admin/")})
    log_in(client, "admin")
    response = client.post(
        "/admin/contact/revert/",
        data={"csrf_token": csrf_token(client, "/admin/"), "entry_id": entry_id},
        follow_redirects=True,
    )
    assert f"History entry #{entry_id} was reverted." in response.get_data(as_text=True)
    with app.app_context():
        contact = db.session.get(Contact, contact_id)
        assert (contact.city, contact.client_group.name) == ("Praha", "Old group")
        revert = db.session.scalars(sa.select(ChangeLog).order_by(ChangeLog.id.desc())).first()
        assert revert.action == f"revert of #{entry_id}"
        assert revert.changes["city"] == {"old": "Brno", "new": "Praha"}
        assert revert.user.username == "admin"


def test_revert_that_would_break_a_rule_is_refused(app, client, make_contact):
    contact_id = make_contact(client_number=4001, name="Přečíslovaný")
    with app.app_context():
        contact = db.session.get(Contact, contact_id)
        contact.client_number = 4002
        entry = record_change(contact, "update", pending_changes(contact))
        db.session.commit()
        entry_id = entry.id
    make_contact(client_number=4001, name="Nový Držitel")
    log_in(client, "admin")
    response = client.post(
        "/admin/contact/revert/",
        data={"csrf_token": csrf_token(client, "/admin/"), "entry_id": entry_id},
        follow_redirects=True,
    )
    assert "Not reverted: Client number 4001 belongs to Nový Držitel." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Contact, contact_id).client_number == 4002
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ChangeLog)) == 1


def test_a_revert_the_database_refuses_after_the_check_is_a_message(app, client, make_contact, monkeypatch):
    # The check passes (as when another clerk takes the login in the same moment); the unique
    # index then refuses the commit: a message on the card, not a server error.
    contact_id = make_contact(portal_login="jana")
    with app.app_context():
        contact = db.session.get(Contact, contact_id)
        contact.portal_login = "jana2"
        entry = record_change(contact, "update", pending_changes(contact))
        db.session.commit()
        entry_id = entry.id
    make_contact(portal_login="jana")
    monkeypatch.setattr("domain.revert.uniqueness_errors", lambda values, contact_id: {})
    log_in(client, "admin")
    response = client.post(
        "/admin/contact/revert/",
        data={"csrf_token": csrf_token(client, "/admin/"), "entry_id": entry_id},
        follow_redirects=True,
    )
    assert "Not reverted: a value it would put back is now used by another contact." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Contact, contact_id).portal_login == "jana2"


def test_staff_cannot_revert(client, edited):
    _contact_id, entry_id = edited
    response = client.post(
        "/admin/contact/revert/", data={"csrf_token": csrf_token(client, "/admin/"), "entry_id": entry_id}
    )
    assert response.status_code == 403


def test_markup_in_names_and_notes_is_text_in_card_and_history(app, client, make_contact):
    payload = '<img src=x onerror="alert(1)">'
    contact_id = make_contact(name=payload, internal_note_1=payload)
    with app.app_context():
        contact = db.session.get(Contact, contact_id)
        contact.city = payload
        record_change(contact, "update", pending_changes(contact))
        db.session.add(Note(contact_id=contact_id, text=payload))
        db.session.commit()
    log_in(client, "staff")
    for url in (
        f"/admin/contact/details/?id={contact_id}",
        "/admin/contact/",
        "/admin/note/",
        f"/admin/contact/edit/?id={contact_id}",
    ):
        html = client.get(url).get_data(as_text=True)
        assert payload not in html, url
        assert "&lt;img src=x" in html, url


def test_card_queries_do_not_grow_with_what_the_contact_has(app, client, make_contact):
    """Code lists, persons, notes and services come with the contact, not one query each."""
    with app.app_context():
        group, status = ClientGroup(name="G"), ClientStatus(name="S")
        db.session.add_all([group, status])
        db.session.commit()
        codes = {"client_group_id": group.id, "client_status_id": status.id}
    bare = make_contact(name="Bare")
    full = make_contact(name="Full", **codes)
    with app.app_context():
        author = db.session.scalar(sa.select(User.id))
        db.session.add_all(
            [ContactPerson(contact_id=full, name=f"Person {n}") for n in range(3)]
            + [Note(contact_id=full, text=f"Note {n}", author_id=author) for n in range(3)]
        )
        db.session.commit()
    log_in(client, "staff")

    def queries(contact_id: int) -> int:
        statements = []
        with app.app_context():
            listener = lambda *args: statements.append(args[2])  # noqa: E731
            sa.event.listen(db.engine, "before_cursor_execute", listener)
            try:
                assert client.get(f"/admin/contact/details/?id={contact_id}").status_code == 200
            finally:
                sa.event.remove(db.engine, "before_cursor_execute", listener)
        return len(statements)

    assert queries(full) == queries(bare)


def test_card_names_fields_as_the_form_does_and_says_yes_in_the_users_language(client, make_contact):
    contact_id = make_contact(
        name="Firma s.r.o.", is_corporate=True, company_name="Firma", vat_id="CZ12345678", www="https://firma.example"
    )
    log_in(client, "staff")
    english = client.get(f"/admin/contact/details/?id={contact_id}").get_data(as_text=True)
    for label in ("Corporate client", "VAT ID", "Web", "Street"):
        assert f"<dt>{label}</dt>" in english
    assert "Is Corporate" not in english and "Vat Id" not in english and "True" not in english
    assert "<dd>Yes</dd>" in english
    czech = client.get(f"/admin/contact/details/?id={contact_id}", headers={"Accept-Language": "cs"}).get_data(
        as_text=True
    )
    assert "<dd>Ano</dd>" in czech and "<dt>Ulice</dt>" in czech and "<dt>DIČ</dt>" in czech


def test_card_shows_each_address_gps_as_mapy_cz_writes_it_with_a_map_link(client, make_contact):
    contact_id = make_contact(
        gps_lat=Decimal("50.075525"),
        gps_lon=Decimal("14.437801"),
        has_different_address=True,
        install_street="Dlouhá 5",
        install_postcode="602 00",
        install_city="Brno",
        install_gps_lat=Decimal("49.195000"),
        install_gps_lon=Decimal("16.608000"),
    )
    log_in(client, "staff")
    html = client.get(f"/admin/contact/details/?id={contact_id}").get_data(as_text=True)
    links = re.findall(r'<dd>([^<]*) <a href="([^"]*)" target="_blank" rel="noopener">Show on map</a></dd>', html)
    assert [(shown, unescape(url)) for shown, url in links] == [
        (
            "50.075525N, 14.437801E",
            "https://mapy.cz/zakladni?source=coor&id=14.437801,50.075525&x=14.437801&y=50.075525&z=17",
        ),
        (
            "49.195N, 16.608E",
            "https://mapy.cz/zakladni?source=coor&id=16.608000,49.195000&x=16.608000&y=49.195000&z=17",
        ),
    ]
    assert "<dt>GPS</dt>" in html and "<dt>Installation GPS</dt>" in html
    czech = client.get(f"/admin/contact/details/?id={contact_id}", headers={"Accept-Language": "cs"})
    assert "Zobrazit na mapě</a>" in czech.get_data(as_text=True)


def test_card_shows_no_gps_row_without_a_position(client, make_contact):
    contact_id = make_contact()
    log_in(client, "staff")
    html = client.get(f"/admin/contact/details/?id={contact_id}").get_data(as_text=True)
    assert "mapy.cz" not in html and "<dt>GPS</dt>" not in html


# --- What can be reverted ----------------------------------------------------------------------------


def revert_buttons(html: str) -> set[int]:
    """The history entries the card offers a Revert button on."""
    history = html.split('id="card-history"')[1]
    return {int(entry_id) for entry_id in re.findall(r'name="entry_id" value="(\d+)"', history)}


def test_revert_is_offered_only_where_it_can_act_and_a_creation_answers_with_a_message(
    app, admin, post_contact, form_data
):
    assert post_contact(form_data(city="Praha")).status_code == 302
    with app.app_context():
        contact_id = db.session.scalar(sa.select(Contact.id))
    assert post_contact(form_data(city="Brno"), id=contact_id).status_code == 302
    assert post_contact(form_data(city="Brno", street="Nová 2"), id=contact_id).status_code == 302
    with app.app_context():
        created, city, street = db.session.scalars(sa.select(ChangeLog.id).order_by(ChangeLog.id)).all()
    html = admin.get(f"/admin/contact/details/?id={contact_id}").get_data(as_text=True)
    assert revert_buttons(html) == {city, street}
    assert post_contact(form_data(city="Ostrava", street="Nová 2"), id=contact_id).status_code == 302
    html = admin.get(f"/admin/contact/details/?id={contact_id}").get_data(as_text=True)
    assert city not in revert_buttons(html) and street in revert_buttons(html)  # the city changed again since
    # Called anyway, reverting the creation is refused with a message and changes nothing.
    response = admin.post(
        "/admin/contact/revert/",
        data={"csrf_token": csrf_token(admin, "/admin/"), "entry_id": created},
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "Not reverted: The creation of a contact cannot be reverted; delete the contact instead." in (
        response.get_data(as_text=True)
    )
    with app.app_context():
        assert db.session.get(Contact, contact_id).city == "Ostrava"


def test_persons_and_notes_changed_on_the_form_are_in_the_history_and_can_be_reverted(
    app, admin, post_contact, form_data
):
    assert post_contact(form_data(**{"persons-0-name": "Jan", "notes-0-text": "Calls after 5"})).status_code == 302
    with app.app_context():
        contact = db.session.scalars(sa.select(Contact)).one()
        contact_id, jan, note = contact.id, contact.persons[0].id, contact.notes[0].id
    edit = form_data(
        **{"persons-0-id": str(jan), "persons-0-name": "Jan", "persons-0-phone": "+420601000009"},
        **{"notes-0-id": str(note), "notes-0-text": "Calls after 5", "del-notes-0": "y"},
    )
    assert post_contact(edit, id=contact_id).status_code == 302
    with app.app_context():
        entry = db.session.scalars(sa.select(ChangeLog).order_by(ChangeLog.id.desc())).first()
        assert entry.changes == {
            f"person {jan}: phone": {"old": None, "new": "+420601000009"},
            f"note {note}: id": {"old": note, "new": None},
            f"note {note}: text": {"old": "Calls after 5", "new": None},
        }
        assert db.session.get(Contact, contact_id).version == 2  # rows alone make a new version too
    html = admin.get(f"/admin/contact/details/?id={contact_id}").get_data(as_text=True)
    assert "Contact person Jan: Phone" in html and entry.id in revert_buttons(html)
    response = admin.post(
        "/admin/contact/revert/",
        data={"csrf_token": csrf_token(admin, "/admin/"), "entry_id": entry.id},
        follow_redirects=True,
    )
    assert f"History entry #{entry.id} was reverted." in response.get_data(as_text=True)
    with app.app_context():
        contact = db.session.get(Contact, contact_id)
        assert [(p.name, p.phone) for p in contact.persons] == [("Jan", None)]
        assert [n.text for n in contact.notes] == ["Calls after 5"]


def test_persons_and_notes_changed_in_their_own_lists_are_in_the_contacts_history(app, staff, make_contact):
    contact_id, other_id = make_contact(name="Karta Karel"), make_contact(name="Jiný Jan")
    token = csrf_token(staff, "/admin/")

    def actions() -> list[tuple[int, list[str]]]:
        with app.app_context():
            entries = db.session.scalars(sa.select(ChangeLog).order_by(ChangeLog.id)).all()
            return [(entry.contact_id, sorted(entry.changes)) for entry in entries]

    new = {"csrf_token": token, "contact": str(contact_id), "name": "Jan", "phone": "+420601000001"}
    assert staff.post("/admin/contact_person/new/", data=new).status_code == 302
    assert (
        staff.post("/admin/note/new/", data={"csrf_token": token, "contact": str(contact_id), "text": "Hi"}).status_code
        == 302
    )
    with app.app_context():
        person = db.session.scalar(sa.select(ContactPerson.id))
        note = db.session.scalar(sa.select(Note.id))
        assert db.session.get(Contact, contact_id).version == 3
    edit = new | {"phone": "+420601000009"}
    assert staff.post(f"/admin/contact_person/edit/?id={person}", data=edit).status_code == 302
    assert (
        staff.post(f"/admin/contact_person/edit/?id={person}", data=edit | {"contact": str(other_id)}).status_code
        == 302
    )
    assert staff.post("/admin/note/delete/", data={"csrf_token": token, "id": str(note)}).status_code == 302
    assert actions() == [
        (contact_id, [f"person {person}: id", f"person {person}: name", f"person {person}: phone"]),
        (contact_id, [f"note {note}: id", f"note {note}: text"]),
        (contact_id, [f"person {person}: phone"]),
        (contact_id, [f"person {person}: id", f"person {person}: name", f"person {person}: phone"]),
        (other_id, [f"person {person}: id", f"person {person}: name", f"person {person}: phone"]),
        (contact_id, [f"note {note}: id", f"note {note}: text"]),
    ]
    with app.app_context():
        moved_out = db.session.scalars(sa.select(ChangeLog).where(ChangeLog.contact_id == contact_id)).all()[3]
        assert moved_out.changes[f"person {person}: id"] == {"old": person, "new": None}

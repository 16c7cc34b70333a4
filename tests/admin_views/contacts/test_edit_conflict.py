"""Two people change one contact at once: the loser's form is merged three-way, and nothing is lost.

The clerks post the edit form as a browser would: every input of the page as rendered, with
their own changes on top, and after a conflict the merged form as it came back.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
import sqlalchemy as sa

from domain.identifiers import parse_id_number
from models import ChangeLog, Contact, ContactPerson, Note, db
from tests.helpers import PORTAL_PASSWORD, csrf_token, field_errors, input_value

CONFLICT = "Someone else saved this contact after you opened it."


class _FormReader(HTMLParser):
    """The name/value pairs a browser posts for the contact form (the inputs, selects and textareas)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.pairs: list[tuple[str, str]] = []
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        a = {key: value or "" for key, value in attrs}
        if tag == "input" and a.get("name") and a.get("type", "text") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio"):
                if "checked" in a:
                    self.pairs.append((a["name"], a.get("value") or "y"))
            else:
                self.pairs.append((a["name"], a.get("value", "")))
        elif tag == "select" and a.get("name"):
            self._select, self._options = a["name"], []
        elif tag == "option" and self._select is not None:
            self._options.append((a.get("value", ""), "selected" in a))
        elif tag == "textarea" and a.get("name"):
            self._textarea, self._text = a["name"], ""

    def handle_data(self, data):
        if self._textarea is not None:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "select" and self._select is not None:
            chosen = [value for value, selected in self._options if selected] or [v for v, _ in self._options[:1]]
            self.pairs += [(self._select, value) for value in chosen]
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            # A browser drops the one newline that follows <textarea>.
            self.pairs.append((self._textarea, self._text.removeprefix("\n").removeprefix("\r\n")))
            self._textarea = None


def browser_form(html: str) -> dict[str, str]:
    """The contact edit form of the page as a browser would post it unchanged (one value per name)."""
    form = next(part for part in html.split("<form")[1:] if 'id="opened_version"' in part)
    reader = _FormReader()
    reader.feed(form.split("</form>")[0])
    return dict(reader.pairs)


def open_form(client, contact_id: int) -> dict[str, str]:
    return browser_form(client.get(f"/admin/contact/edit/?id={contact_id}").get_data(as_text=True))


def save(client, contact_id: int, form: dict[str, str]):
    return client.post(f"/admin/contact/edit/?id={contact_id}", data=form)


def stored(app, contact_id: int) -> Contact:
    with app.app_context():
        contact = db.session.get(Contact, contact_id)
        db.session.expunge(contact)
        return contact


def rows(app, contact_id: int) -> tuple[dict[int, tuple], dict[int, str]]:
    """The contact's persons {id: (name, role, email, phone)} and notes {id: text}."""
    with app.app_context():
        persons = db.session.scalars(sa.select(ContactPerson).where(ContactPerson.contact_id == contact_id)).all()
        notes = db.session.scalars(sa.select(Note).where(Note.contact_id == contact_id)).all()
        return {p.id: (p.name, p.role, p.email, p.phone) for p in persons}, {n.id: n.text for n in notes}


def row_prefix(form: dict[str, str], field: str, row_id: int) -> str:
    """The name prefix ("persons-2-") of the inline row with that id in a posted form."""
    return next(
        name[: -len("id")]
        for name, value in form.items()
        if name.startswith(f"{field}-") and name.endswith("-id") and value == str(row_id)
    )


@pytest.fixture
def contact(app, make_contact):
    """A contact with three persons and a note; returns its id and the rows' ids."""
    contact_id = make_contact(
        client_number=2001, name="Souběžný Karel", city="Praha", street="Hlavní 1", email="karel@example.cz"
    )
    with app.app_context():
        persons = [
            ContactPerson(contact_id=contact_id, name="Jan", role="CEO", phone="+420601000001"),
            ContactPerson(contact_id=contact_id, name="Eva", role="Accounts"),
            ContactPerson(contact_id=contact_id, name="Karel", role="Technician"),
        ]
        note = Note(contact_id=contact_id, text="Calls after 5")
        db.session.add_all([*persons, note])
        db.session.commit()
        return contact_id, [p.id for p in persons], note.id


# --- Contact fields --------------------------------------------------------------------------------


def test_fields_the_clerk_did_not_touch_take_what_others_saved_meanwhile(
    app, staff, admin, contact, make_portal_client
):
    """The issue's case: the client's portal change of the mobile and another clerk's invoicing e-mail."""
    contact_id, _, _ = contact
    with app.app_context():
        karel = db.session.get(Contact, contact_id)
        karel.portal_login = "karel"
        from domain.passwords import set_portal_password

        set_portal_password(karel, PORTAL_PASSWORD)
        db.session.commit()
    mine = open_form(staff, contact_id)
    # The client changes its mobile in the portal; another clerk the invoicing e-mail.
    portal = app.test_client()
    portal.post(
        "/portal/login",
        data={"csrf_token": csrf_token(portal, "/portal/login"), "login": "karel", "password": PORTAL_PASSWORD},
    )
    response = portal.post(
        "/portal/details",
        data={
            "csrf_token": csrf_token(portal, "/portal/details"),
            "mobile": "+420 777 123 456",
            "email": "karel@example.cz",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    theirs = open_form(admin, contact_id)
    assert save(admin, contact_id, theirs | {"invoice_email": "billing@example.cz"}).status_code == 302

    response = save(staff, contact_id, mine | {"city": "Ostrava"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and CONFLICT in html
    assert stored(app, contact_id).city == "Praha"  # nothing saved yet
    # The merged form: their values where the clerk typed nothing, the clerk's city; no clash marked.
    assert input_value(html, "invoice_email") == "billing@example.cz"
    assert input_value(html, "mobile") == "+420 777 123 456"
    assert input_value(html, "city") == "Ostrava"
    assert field_errors(html, "city") == field_errors(html, "mobile") == field_errors(html, "invoice_email") == []
    assert "Changed meanwhile" not in html

    assert save(staff, contact_id, browser_form(html)).status_code == 302
    saved = stored(app, contact_id)
    assert (saved.city, saved.invoice_email, saved.mobile) == ("Ostrava", "billing@example.cz", "+420777123456")


def test_a_field_both_changed_is_marked_with_both_values_and_the_clerk_decides(app, staff, admin, contact):
    contact_id, _, _ = contact
    mine = open_form(staff, contact_id)
    assert (
        save(admin, contact_id, open_form(admin, contact_id) | {"city": "Brno", "street": "Nová 2"}).status_code == 302
    )

    html = save(staff, contact_id, mine | {"city": "Ostrava", "street": "Nová 2"}).get_data(as_text=True)
    assert CONFLICT in html
    assert input_value(html, "city") == "Ostrava"  # the clerk's typing stays in the field
    assert field_errors(html, "city") == [
        "Changed meanwhile by Test admin to: Brno; your value: Ostrava (kept in the field; saving again keeps it)."
    ]
    assert field_errors(html, "street") == []  # both typed the same: no clash
    # The conflict box lists what the other clerk changed.
    box = html.split('id="edit-conflict"')[1].split("</div>")[0]
    assert "Test admin" in box and "Praha → Brno" in box

    assert save(staff, contact_id, browser_form(html)).status_code == 302
    assert (stored(app, contact_id).city, stored(app, contact_id).street) == ("Ostrava", "Nová 2")


def test_a_czech_clerk_reads_the_clash_in_czech(app, staff, admin, contact):
    contact_id, _, _ = contact
    mine = open_form(staff, contact_id)
    assert save(admin, contact_id, open_form(admin, contact_id) | {"city": "Brno"}).status_code == 302
    response = staff.post(
        f"/admin/contact/edit/?id={contact_id}", data=mine | {"city": "Ostrava"}, headers={"Accept-Language": "cs"}
    )
    assert field_errors(response.get_data(as_text=True), "city") == [
        "Mezitím změnil(a) Test admin na: Brno; vaše hodnota: Ostrava (je v poli; dalším uložením ji ponecháte)."
    ]


def test_a_clash_on_a_code_list_shows_the_names(app, staff, admin, contact):
    from models import ClientGroup

    contact_id, _, _ = contact
    with app.app_context():
        business, home = ClientGroup(name="Business"), ClientGroup(name="Home")
        db.session.add_all([business, home])
        db.session.commit()
        business_id, home_id = business.id, home.id
    mine = open_form(staff, contact_id)
    assert save(admin, contact_id, open_form(admin, contact_id) | {"client_group": str(business_id)}).status_code == 302
    html = save(staff, contact_id, mine | {"client_group": str(home_id)}).get_data(as_text=True)
    assert field_errors(html, "client_group") == [
        "Changed meanwhile by Test admin to: Business; your value: Home (kept in the field; saving again keeps it)."
    ]


@pytest.mark.parametrize("opened_values", [None, "forged"])
def test_a_form_without_its_opened_values_is_merged_from_the_history(app, staff, admin, contact, opened_values):
    """A form opened before it carried its values, or with them altered: the history since its mark
    tells what it showed."""
    contact_id, (_, eva, _), _ = contact
    mine = open_form(staff, contact_id)
    if opened_values is None:
        del mine["opened_values"]
    else:
        mine["opened_values"] = mine["opened_values"][:-3] + "xyz"
    theirs = open_form(admin, contact_id)
    theirs |= {"city": "Brno", f"del-{row_prefix(theirs, 'persons', eva)[:-1]}": "y", "persons-9-name": "Petr"}
    assert save(admin, contact_id, theirs).status_code == 302
    html = save(staff, contact_id, mine | {"street": "Nová 2"}).get_data(as_text=True)
    assert CONFLICT in html and "meanwhile" not in html
    assert input_value(html, "city") == "Brno" and input_value(html, "street") == "Nová 2"
    assert save(staff, contact_id, browser_form(html)).status_code == 302
    persons, _ = rows(app, contact_id)
    assert sorted(name for name, *_ in persons.values()) == ["Jan", "Karel", "Petr"]
    assert (stored(app, contact_id).city, stored(app, contact_id).street) == ("Brno", "Nová 2")


# --- Contact persons and notes ---------------------------------------------------------------------


def test_rows_added_changed_and_deleted_by_the_other_side_survive(app, staff, admin, contact):
    contact_id, (jan, eva, karel), note = contact
    mine = open_form(staff, contact_id)
    theirs = open_form(admin, contact_id)
    # The other clerk: Jan's phone, Eva deleted, a new person Petr, the note reworded.
    jan_theirs, eva_theirs = row_prefix(theirs, "persons", jan), row_prefix(theirs, "persons", eva)
    note_theirs = row_prefix(theirs, "notes", note)
    theirs |= {
        f"{jan_theirs}phone": "+420601000009",
        f"del-{eva_theirs[:-1]}": "y",
        "persons-9-name": "Petr",
        f"{note_theirs}text": "Calls after 6",
    }
    assert save(admin, contact_id, theirs).status_code == 302
    # The clerk: Jan's role (another field of the same row), Karel's e-mail, a new note.
    jan_mine, karel_mine = row_prefix(mine, "persons", jan), row_prefix(mine, "persons", karel)
    mine |= {f"{jan_mine}role": "Owner", f"{karel_mine}email": "karel@example.cz", "notes-7-text": "New note"}
    html = save(staff, contact_id, mine).get_data(as_text=True)
    assert CONFLICT in html and "Changed meanwhile" not in html and "Deleted meanwhile" not in html

    merged = browser_form(html)
    assert not any(value == str(eva) for name, value in merged.items() if name.endswith("-id"))
    assert save(staff, contact_id, merged).status_code == 302
    persons, notes = rows(app, contact_id)
    assert sorted(persons.values(), key=str) == sorted(
        [
            ("Jan", "Owner", None, "+420601000009"),
            ("Karel", "Technician", "karel@example.cz", None),
            ("Petr", None, None, None),
        ],
        key=str,
    )
    assert eva not in persons
    assert sorted(notes.values()) == ["Calls after 6", "New note"]


def test_row_clashes_keep_the_clerks_work_and_say_so(app, staff, admin, contact):
    contact_id, (jan, eva, karel), _ = contact
    mine = open_form(staff, contact_id)
    theirs = open_form(admin, contact_id)
    # The other clerk deletes Jan and renames Eva; the clerk changes Jan, deletes Eva and Karel.
    theirs |= {
        f"del-{row_prefix(theirs, 'persons', jan)[:-1]}": "y",
        f"{row_prefix(theirs, 'persons', eva)}name": "Eva K.",
    }
    assert save(admin, contact_id, theirs).status_code == 302
    mine |= {
        f"{row_prefix(mine, 'persons', jan)}role": "Owner",
        f"del-{row_prefix(mine, 'persons', eva)[:-1]}": "y",
        f"del-{row_prefix(mine, 'persons', karel)[:-1]}": "y",
    }
    html = save(staff, contact_id, mine).get_data(as_text=True)
    assert "Deleted meanwhile by Test admin; your version is kept as a new row: saving again adds it back." in html
    assert "Changed meanwhile by Test admin; you deleted it. Tick Delete? again to delete it anyway." in html
    merged = browser_form(html)
    eva_row = row_prefix(merged, "persons", eva)
    assert merged[f"{eva_row}name"] == "Eva K." and f"del-{eva_row[:-1]}" not in merged
    assert f"del-{row_prefix(merged, 'persons', karel)[:-1]}" in merged  # nobody else touched Karel: still ticked

    assert save(staff, contact_id, merged).status_code == 302
    persons, _ = rows(app, contact_id)
    assert sorted(persons.values(), key=str) == [
        ("Eva K.", "Accounts", None, None),
        ("Jan", "Owner", None, "+420601000001"),
    ]
    assert jan not in persons and karel not in persons  # Jan is back as a new row


def test_a_row_ticked_for_deletion_stays_ticked_after_an_error(app, staff, contact):
    contact_id, (jan, _, _), _ = contact
    form = open_form(staff, contact_id)
    form |= {f"del-{row_prefix(form, 'persons', jan)[:-1]}": "y", "name": ""}
    html = save(staff, contact_id, form).get_data(as_text=True)
    assert field_errors(html, "name")
    assert f"del-{row_prefix(form, 'persons', jan)[:-1]}" in browser_form(html)


def test_a_change_of_persons_or_notes_alone_makes_a_new_version(app, staff, admin, contact):
    contact_id, (jan, _, _), _ = contact
    mine = open_form(staff, contact_id)
    theirs = open_form(admin, contact_id)
    assert (
        save(admin, contact_id, theirs | {f"{row_prefix(theirs, 'persons', jan)}phone": "+420601000009"}).status_code
        == 302
    )
    html = save(staff, contact_id, mine | {"city": "Brno"}).get_data(as_text=True)
    assert CONFLICT in html
    assert browser_form(html)[f"{row_prefix(mine, 'persons', jan)}phone"] == "+420601000009"


# --- Two editors, 30 rounds --------------------------------------------------------------------------

FIELDS = ("city", "street", "internal_note_1", "internal_note_2", "floor", "flat", "id_number")


def stored_form(name: str, value: str) -> str:
    """A typed value as the contact stores it (an ID number upper case, without spaces)."""
    return parse_id_number(value) if name == "id_number" else value


def test_two_editors_thirty_rounds_lose_no_update(app, staff, admin, contact):
    """Each round both clerks open the form and change a field (every fifth round the same one) and a
    person; the first save wins, the loser saves the merged form it got back. Nothing made is lost;
    on a clash the loser's value is the deliberate last word."""
    contact_id, (jan, eva, _), _ = contact
    expected = {name: getattr(stored(app, contact_id), name) or None for name in FIELDS}
    expected_roles = {jan: "CEO", eva: "Accounts"}
    clients = {"staff": staff, "admin": admin}
    for round_ in range(30):
        first, second = ("staff", "admin") if round_ % 2 else ("admin", "staff")
        forms = {who: open_form(client, contact_id) for who, client in clients.items()}
        same = round_ % 5 == 0
        changes = {
            who: {FIELDS[(round_ + (0 if same or who == first else 1)) % len(FIELDS)]: f"{who} {round_}"}
            for who in clients
        }
        # Each also changes the role of "their" person (staff: Jan, admin: Eva).
        for who, person in (("staff", jan), ("admin", eva)):
            changes[who][f"{row_prefix(forms[who], 'persons', person)}role"] = f"{who} role {round_}"
            expected_roles[person] = f"{who} role {round_}"
        assert save(clients[first], contact_id, forms[first] | changes[first]).status_code == 302
        response = save(clients[second], contact_id, forms[second] | changes[second])
        html = response.get_data(as_text=True)
        assert response.status_code == 200 and CONFLICT in html, round_
        marked = "Changed meanwhile" in html
        assert save(clients[second], contact_id, browser_form(html)).status_code == 302, round_
        for who in (first, second):  # the loser's value is the last word on a clash
            expected |= {name: stored_form(name, value) for name, value in changes[who].items() if name in FIELDS}
        saved = stored(app, contact_id)
        assert {name: getattr(saved, name) or None for name in FIELDS} == expected, round_
        persons, _ = rows(app, contact_id)
        assert {person: persons[person][1] for person in expected_roles} == expected_roles, round_
        assert marked == same, round_  # only the same field changed on both sides is a clash
    with app.app_context():
        entries = db.session.scalar(
            sa.select(sa.func.count()).select_from(ChangeLog).where(ChangeLog.contact_id == contact_id)
        )
    assert entries == 60

"""The contacts list's columns per clerk: only the chosen ones are read and shown, the choice is
remembered with the clerk, names the list does not know are ignored, and the name always shows."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from admin_views.contacts.list_columns import shown_columns
from domain.preferences import preference, remember_preference
from models import ClientGroup, db
from tests.helpers import csrf_token, export_csv, user_named

LIST = ["client_number", "name", "city", "phone", "email"]


@pytest.mark.parametrize(
    "chosen,shown",
    [
        (None, LIST),  # not chosen yet: every column
        (["email", "city"], ["name", "city", "email"]),  # the list's order, and the name
        (["phone", "fax", "<script>"], ["name", "phone"]),  # names the list does not have
        ([], ["name"]),
    ],
)
def test_shown_columns(chosen, shown):
    assert shown_columns(LIST, chosen) == shown


def columns_in(html: str) -> tuple[list[str], set[str]]:
    """The header's columns in order, and the columns the rows have cells of."""
    headers = re.findall(r'<th class="column-header col-(\w+)"', html)
    cells = set(re.findall(r'<td class="col-(\w+)"', html))
    return headers, cells


def choose(app, username: str, items: list[str]) -> None:
    with app.app_context():
        remember_preference(user_named(username), "contact_list_columns", items)
        db.session.commit()


def test_hidden_columns_are_neither_read_nor_shown(app, staff, admin, make_contact):
    make_contact(name="Novák Jan", city="Praha", email="jan@example.cz", phone="+420601123456")
    headers, cells = columns_in(staff.get("/admin/contact/").get_data(as_text=True))
    assert len(headers) == 11 and cells == set(headers)  # no choice yet: every column

    choose(app, "staff", ["client_status", "city", "no_such_column"])
    statements = []
    with app.app_context():
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        sa.event.listen(db.engine, "before_cursor_execute", listener)
        try:
            html = staff.get("/admin/contact/").get_data(as_text=True)
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", listener)
    assert columns_in(html) == (["name", "city", "client_status"], {"name", "city", "client_status"})
    assert "jan@example.cz" not in html and "Novák Jan" in html and "Praha" in html
    rows_query = next(sql for sql in statements if "marked_reason" in sql)
    assert "email" not in rows_query and "client_group" not in rows_query and "invoice_group" not in rows_query
    # The chooser: what is shown is ticked, the name cannot be unticked.
    chooser = html.split('id="column-chooser"')[1].split("</details>")[0]
    assert re.search(r'value="city"\s*checked', chooser) and re.search(r'value="email">', chooser)
    assert re.search(r'value="name"\s*checked disabled', chooser)

    # Another clerk's list is their own.
    assert len(columns_in(admin.get("/admin/contact/").get_data(as_text=True))[0]) == 11


def test_the_chooser_works_without_javascript(app, staff, make_contact):
    make_contact(name="Novák Jan")
    token = csrf_token(staff, "/admin/contact/")
    back = "/admin/contact/?search=nov%C3%A1k&page_size=25"
    response = staff.post("/admin/contact/columns/", data={"csrf_token": token, "item": ["phone"], "url": back})
    assert response.status_code == 302 and response.headers["Location"] == back
    with app.app_context():
        assert preference(user_named("staff"), "contact_list_columns") == ["phone"]
    assert columns_in(staff.get(back).get_data(as_text=True))[0] == ["name", "phone"]
    # Only back to this site; a choice without the form's token is refused.
    away = staff.post("/admin/contact/columns/", data={"csrf_token": token, "url": "https://example.com/"})
    assert away.headers["Location"] == "/admin/contact/"
    assert staff.post("/admin/contact/columns/", data={"item": ["city"]}).status_code == 400


def test_the_scripts_endpoint_stores_the_same_choice(app, staff):
    token = csrf_token(staff, "/admin/contact/")
    response = staff.post("/admin/preferences/contact_list_columns", data={"csrf_token": token, "item": ["email"]})
    assert response.status_code == 204
    assert columns_in(staff.get("/admin/contact/").get_data(as_text=True))[0] == ["name", "email"]


def test_a_sort_by_a_hidden_column_gives_way_to_the_usual_order(app, staff, make_contact):
    """The list (and its export) would otherwise be in an order nothing on the page explains."""
    for name, city in (("Adam", "Zlín"), ("Bára", "Brno"), ("Cyril", "Aš")):
        make_contact(name=name, city=city)
    by_city = ["Cyril", "Bára", "Adam"]
    assert [row[1] for row in export_csv(staff, sort=3)[1:]] == by_city  # column 3: the city
    choose(app, "staff", ["email"])
    html = staff.get("/admin/contact/", query_string={"sort": 3}).get_data(as_text=True)
    assert re.findall(r'<td class="col-name">(.*?)</td>', html) == ["Adam", "Bára", "Cyril"]
    assert [row[1] for row in export_csv(staff, sort=3)[1:]] == ["Adam", "Bára", "Cyril"]
    # The export keeps every column: it is the office's data, not the clerk's view of it.
    assert len(export_csv(staff)[0]) == 11


def test_a_code_list_sort_of_a_shown_column_still_works(app, staff, make_contact):
    with app.app_context():
        groups = [ClientGroup(name=name) for name in ("Zeta", "Alpha")]
        db.session.add_all(groups)
        db.session.commit()
        ids = [group.id for group in groups]
    make_contact(name="In Zeta", client_group_id=ids[0])
    make_contact(name="In Alpha", client_group_id=ids[1])
    choose(app, "staff", ["client_group"])
    html = staff.get("/admin/contact/", query_string={"sort": 7}).get_data(as_text=True)  # column 7: the group
    assert re.findall(r'<td class="col-name">(.*?)</td>', html) == ["In Alpha", "In Zeta"]

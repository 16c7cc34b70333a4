"""Code lists: usage counts, refused deletes, case-insensitive names, payment-type rules, quick create."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

import admin_views.code_lists
import admin_views.usage
from domain.code_lists import entry_named
from models import ClientGroup, ClientStatus, Location, PaymentType, db
from tests.helpers import StatementCounter, csrf_token, field_errors


def token(client) -> str:
    return csrf_token(client, "/admin/")


def add(app, *rows):
    with app.app_context():
        db.session.add_all(rows)
        db.session.commit()
        return [row.id for row in rows]


def test_list_shows_usage_linked_to_filtered_contacts(app, admin, make_contact):
    vip, _empty = add(app, ClientGroup(name="VIP"), ClientGroup(name="Empty"))
    for _ in range(3):
        make_contact(client_group_id=vip)
    html = admin.get("/admin/client_group/").get_data(as_text=True)
    link = re.search(r'<a href="([^"]*)">3</a>', html)
    assert link, html
    contacts_html = admin.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert contacts_html.count("Novák Jan") == 3


def test_usage_is_counted_in_one_query_not_per_row(app, admin, make_contact):
    [first] = add(app, ClientGroup(name="G0"))
    make_contact(client_group_id=first)
    admin.get("/admin/client_group/")  # the first page view fills the caches that outlive a change
    counts = []
    for more in (1, 29):
        add(app, *(ClientGroup(name=f"G{len(counts)}-{i}") for i in range(more)))
        with StatementCounter(app) as statements:
            html = admin.get("/admin/client_group/").get_data(as_text=True)
        counts.append(statements.count)
    # 2 groups, then 31: as many statements for either list, and the usage is still shown.
    assert counts[0] == counts[1], counts
    assert re.search(r'<a href="[^"]*">1</a>', html)


def test_deleting_an_entry_in_use_is_refused_with_the_count(app, admin, make_contact):
    [vip] = add(app, ClientGroup(name="VIP"))
    make_contact(client_group_id=vip)
    make_contact(client_group_id=vip)
    response = admin.post(
        "/admin/client_group/delete/", data={"csrf_token": token(admin), "id": vip}, follow_redirects=True
    )
    assert "“VIP” is used by 2 contacts" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(ClientGroup, vip) is not None


def test_bulk_delete_touches_nothing_when_one_entry_is_in_use(app, admin, make_contact):
    used, unused = add(app, ClientStatus(name="Connected"), ClientStatus(name="Unused"))
    make_contact(client_status_id=used)
    response = admin.post(
        "/admin/client_status/action/",
        data={"csrf_token": token(admin), "action": "delete", "rowid": [str(used), str(unused)]},
        follow_redirects=True,
    )
    assert "“Connected” is used by 1 contacts" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ClientStatus)) == 2


def test_unused_entry_is_deleted(app, admin):
    [gone] = add(app, ClientGroup(name="Gone"))
    admin.post("/admin/client_group/delete/", data={"csrf_token": token(admin), "id": gone})
    with app.app_context():
        assert db.session.get(ClientGroup, gone) is None


def test_bulk_delete_removes_unused_entries(app, admin):
    ids = add(app, ClientGroup(name="A"), ClientGroup(name="B"), ClientGroup(name="Kept"))
    response = admin.post(
        "/admin/client_group/action/",
        data={"csrf_token": token(admin), "action": "delete", "rowid": [str(ids[0]), str(ids[1])]},
        follow_redirects=True,
    )
    assert "2 records were successfully deleted." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(sa.select(ClientGroup.name)).all() == ["Kept"]


def test_names_are_unique_whatever_the_case(app, admin):
    add(app, ClientGroup(name="VIP"))
    response = admin.post(
        "/admin/client_group/new/", data={"csrf_token": token(admin), "name": " vip ", "position": "2"}
    )
    html = response.get_data(as_text=True)
    assert "“VIP” already exists." in html
    assert 'value="2"' in html


def check_passes_once(monkeypatch, module) -> None:
    """The name check in `module` finds nothing the first time: as when another administrator saves
    the same name between this save's check and its write."""
    calls = []

    def racing(*args, **kwargs):
        calls.append(args)
        return None if len(calls) == 1 else entry_named(*args, **kwargs)

    monkeypatch.setattr(module, "entry_named", racing)


@pytest.mark.parametrize("url", ["/admin/client_group/new/", "/admin/client_group/edit/?id={other}"])
def test_a_name_saved_at_the_same_moment_is_the_same_field_error(app, admin, monkeypatch, url):
    _vip, other = add(app, ClientGroup(name="VIP"), ClientGroup(name="Gold"))
    check_passes_once(monkeypatch, admin_views.usage)
    response = admin.post(url.format(other=other), data={"csrf_token": token(admin), "name": "vip", "position": "7"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert field_errors(html, "name") == ["“VIP” already exists."]
    assert "nothing was saved" in html and 'value="7"' in html
    with app.app_context():
        assert sorted(db.session.scalars(sa.select(ClientGroup.name))) == ["Gold", "VIP"]


def test_quick_create_of_a_name_saved_at_the_same_moment_is_refused(app, admin, monkeypatch):
    add(app, Location(name="Tower B"))
    monkeypatch.setattr(admin_views.code_lists, "entry_named", lambda *args, **kwargs: None)
    response = admin.post("/admin/location/quick-create/", data={"csrf_token": token(admin), "name": "TOWER B"})
    assert response.status_code == 400
    assert response.get_json() == {"error": "“TOWER B” already exists."}
    with app.app_context():
        assert db.session.scalars(sa.select(Location.name)).all() == ["Tower B"]


def test_status_colour_must_be_rrggbb_and_shows_a_swatch(app, admin):
    for bad in ("red", "#12345g", "red;background:url(x)"):
        html = admin.post(
            "/admin/client_status/new/", data={"csrf_token": token(admin), "name": "Bad", "colour": bad}
        ).get_data(as_text=True)
        assert "Use #rrggbb." in html or "longer than 7" in html
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ClientStatus)) == 0
    admin.post("/admin/client_status/new/", data={"csrf_token": token(admin), "name": "Good", "colour": "#00AA00"})
    html = admin.get("/admin/client_status/").get_data(as_text=True)
    assert 'style="background-color: #00aa00"' in html
    assert 'type="color"' in admin.get("/admin/client_status/new/").get_data(as_text=True)


def test_staff_reads_code_lists_but_cannot_change_them(app, staff):
    assert staff.get("/admin/client_group/").status_code == 200
    assert staff.get("/admin/client_group/new/").status_code == 403
    response = staff.post("/admin/client_group/quick-create/", data={"csrf_token": token(staff), "name": "X"})
    assert response.status_code == 403


# --- Payment types ---------------------------------------------------------------------------


def payment_types(app) -> dict[str, PaymentType]:
    with app.app_context():
        types = db.session.scalars(sa.select(PaymentType)).all()
        for t in types:
            db.session.expunge(t)
        return {t.system_code or t.name: t for t in types}


def test_system_payment_types_cannot_be_deleted(app, admin):
    types = payment_types(app)
    for code in ("cash", "bank_transfer"):
        response = admin.post(
            "/admin/payment_type/delete/",
            data={"csrf_token": token(admin), "id": types[code].id},
            follow_redirects=True,
        )
        assert "cannot be deleted" in response.get_data(as_text=True)
    admin.post(
        "/admin/payment_type/action/",
        data={"csrf_token": token(admin), "action": "delete", "rowid": [str(t.id) for t in types.values()]},
    )
    assert len(payment_types(app)) == 5


def test_system_payment_types_keep_their_names_and_codes(app, admin):
    cash = payment_types(app)["cash"]
    html = admin.post(
        f"/admin/payment_type/edit/?id={cash.id}",
        data={"csrf_token": token(admin), "name": "Hotovost", "position": "4"},
    ).get_data(as_text=True)
    assert "System payment types cannot be renamed." in html
    assert payment_types(app)["cash"].name == "Cash"


def test_setting_a_new_default_unsets_the_old_one(app, admin):
    cash = payment_types(app)["cash"]
    response = admin.post(
        f"/admin/payment_type/edit/?id={cash.id}",
        data={"csrf_token": token(admin), "name": "Cash", "position": "4", "is_default": "y"},
    )
    assert response.status_code == 302
    defaults = [t.system_code for t in payment_types(app).values() if t.is_default]
    assert defaults == ["cash"]


def test_the_default_cannot_be_unset_or_hidden(app, admin):
    transfer = payment_types(app)["bank_transfer"]
    html = admin.post(
        f"/admin/payment_type/edit/?id={transfer.id}",
        data={"csrf_token": token(admin), "name": "Bank transfer", "position": "0"},
    ).get_data(as_text=True)
    assert "one type is always the default" in html
    html = admin.post(
        f"/admin/payment_type/edit/?id={transfer.id}",
        data={"csrf_token": token(admin), "name": "Bank transfer", "position": "0", "is_default": "y", "hidden": "y"},
    ).get_data(as_text=True)
    assert "The default payment type cannot be hidden." in html
    assert payment_types(app)["bank_transfer"].is_default


def test_a_new_custom_type_can_become_the_default(app, admin):
    admin.post(
        "/admin/payment_type/new/",
        data={"csrf_token": token(admin), "name": "Card", "position": "9", "is_default": "y"},
    )
    types = payment_types(app)
    assert [name for name, t in types.items() if t.is_default] == ["Card"]


# --- Quick create from the contact form ---------------------------------------------------------


def test_quick_create_makes_an_entry_and_returns_it(app, admin):
    response = admin.post("/admin/location/quick-create/", data={"csrf_token": token(admin), "name": " Tower B "})
    assert response.status_code == 201
    body = response.get_json()
    assert body["text"] == "Tower B"
    duplicate = admin.post("/admin/location/quick-create/", data={"csrf_token": token(admin), "name": "tower b"})
    assert duplicate.status_code == 400
    assert "already exists" in duplicate.get_json()["error"]


def test_quick_create_needs_the_csrf_token(admin):
    assert admin.post("/admin/location/quick-create/", data={"name": "X"}).status_code == 400
    assert (
        admin.post(
            "/admin/location/quick-create/", data={"name": "X"}, headers={"X-CSRFToken": token(admin)}
        ).status_code
        == 201
    )

"""Who may open what: every URL of the app is checked for anonymous, staff and admin users."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
import sqlalchemy as sa
from flask import url_for

from models import (
    ChangeLog,
    ClientGroup,
    ClientStatus,
    Contact,
    ContactPerson,
    InfoMessage,
    Job,
    Location,
    Note,
    SocketAssignment,
    User,
    db,
    utcnow,
)
from storage.uploads import store_image
from tests.helpers import csrf_token, log_in, png_bytes

# endpoint -> (who may read, who may change); None: nobody changes data there.
ADMIN_VIEWS = {
    "admin": ("staff", None),
    "contact": ("staff", "staff"),
    "deleted_contact": ("staff", "staff"),
    "contact_person": ("staff", "staff"),
    "note": ("staff", "staff"),
    "change_log": ("staff", None),
    "service": ("staff", "staff"),
    "client_group": ("staff", "admin"),
    "client_status": ("staff", "admin"),
    "location": ("staff", "admin"),
    "service_type": ("staff", "admin"),
    "payment_type": ("staff", "admin"),
    "invoice_group": ("staff", "admin"),
    "city": ("staff", "admin"),
    "street": ("staff", "admin"),
    "building": ("staff", "admin"),
    "switchboard": ("staff", "admin"),
    "socket": ("staff", "admin"),
    "socket_assignment": ("staff", None),
    "setting": ("admin", "admin"),
    "info_message": ("admin", "admin"),
    "user": ("admin", "admin"),
    "jobs": ("staff", "staff"),
    "contact_import": ("admin", "admin"),
}
# Endpoints switched off for everyone: the settings row is never created or deleted, a service
# is ended rather than deleted.
NEVER = {
    ("setting", "create_view"),
    ("setting", "delete_view"),
    ("service", "delete_view"),
    ("deleted_contact", "create_view"),
    ("deleted_contact", "edit_view"),
    ("deleted_contact", "delete_view"),
}
# Routes outside the admin panel, with what anyone may do there.
# (auth.alive only answers whether a staff session holds, tested in tests/auth/test_sessions.py.)
# (The language switch is for anyone, the login pages too: tests/i18n/test_switch.py.)
PUBLIC_ENDPOINTS = {
    "auth.login",
    "auth.logout",
    "auth.alive",
    "i18n.switch",
    "i18n.portal_switch",
    "index",
    "favicon",
    "static",
    "admin.static",
}
# The portal's own rules are checked in tests/portal/test_portal.py.
PORTAL_ENDPOINTS = {"portal.login", "portal.logout", "portal.index", "portal.details", "portal.password"}
READ_METHODS = {"index", "index_view", "details_view", "export", "ajax_lookup", "image"}
# Values for URL parts, by endpoint.
URL_ARGUMENTS = {
    "invoice_group.image": lambda ids: {"group_id": ids["invoice_group"], "kind": "logo"},
    "admin.remember": lambda ids: {"preference_name": "contact_list_columns"},
    "jobs.details": lambda ids: {"job_id": ids["job"]},
    "jobs.progress": lambda ids: {"job_id": ids["job"]},
    "jobs.cancel": lambda ids: {"job_id": ids["job"]},
    "contact_import.settings": lambda ids: {"token": ids["import"]},
    "contact_import.save": lambda ids: {"token": ids["import"]},
    "contact_import.check": lambda ids: {"token": ids["import"], "job_id": ids["import_check"]},
    "contact_import.problems": lambda ids: {"token": ids["import"], "job_id": ids["import_check"], "kind": "csv"},
    "contact_import.saved": lambda ids: {"token": ids["import"], "job_id": ids["import_save"]},
}
WRITE_METHODS = {
    "create_view",
    "edit_view",
    "delete_view",
    "action_view",
    "ajax_update",
    "quick_create",
    "bulk_sockets",
    "revert",
    "bulk_view",
    "cancel",
}
# Write endpoints of staff views that only administrators may use.
ADMIN_ONLY = {("contact", "revert")}
# Endpoints that work on one record, named by ?id=.
RECORD_METHODS = {"edit_view", "details_view", "bulk_sockets"}


@pytest.fixture
def one_of_each(app, make_contact, make_socket, make_service_type, make_service) -> dict[str, int]:
    """One record for every model view: endpoint -> id."""
    contact_id = make_contact()
    ids = {"contact": contact_id, "deleted_contact": make_contact(deleted_at=utcnow())}
    chain = make_socket("A1")
    ids.update(
        city=chain.city,
        street=chain.street,
        building=chain.building,
        switchboard=chain.switchboard,
        socket=chain.socket,
    )
    ids["service_type"] = make_service_type("Internet")
    ids["service"] = make_service(contact_id, "Internet", tariff_name="Fast", start_date=date(2026, 1, 1))
    with app.app_context():
        records = {
            "contact_person": ContactPerson(contact_id=contact_id, name="Jana"),
            "note": Note(contact_id=contact_id, text="Called"),
            "change_log": ChangeLog(contact_id=contact_id, action="update", changes={}),
            "client_group": ClientGroup(name="VIP"),
            "client_status": ClientStatus(name="Connected", colour="#00ff00"),
            "location": Location(name="Tower A"),
            "socket_assignment": SocketAssignment(socket_id=chain.socket, contact_id=contact_id),
            "info_message": InfoMessage(title="Outage"),
            "job": Job(kind="import", created_by=db.session.scalars(sa.select(User).filter_by(username="staff")).one()),
        }
        db.session.add_all(records.values())
        db.session.commit()
        ids.update({name: record.id for name, record in records.items()})
        contact = db.session.get(Contact, contact_id)
        ids["invoice_group"] = contact.invoice_group_id
        ids["payment_type"] = contact.payment_type_id
        contact.invoice_group.logo_path = store_image(png_bytes(), "logo")
        db.session.commit()
        ids["setting"] = 1
        ids["user"] = db.session.scalars(sa.select(User.id).filter_by(username="staff")).one()
        ids.update(finished_import())
    return ids


def finished_import() -> dict[str, int | str]:
    """An uploaded import file with a finished dry run and a finished save, as the import pages need."""
    from domain.imports.jobs import CHECK, SAVE
    from domain.imports.run import Report
    from storage import import_files

    admin = db.session.scalars(sa.select(User).filter_by(username="admin")).one()
    meta = {"user_id": admin.id, "filename": "a.csv", "mode": "add", "numbers": "file"}
    token = import_files.store_upload(io.BytesIO(b"Name\nJan\n"), meta)
    jobs = {kind: Job(kind=kind, state="done", params={"token": token}, created_by=admin) for kind in (CHECK, SAVE)}
    db.session.add_all(jobs.values())
    db.session.commit()
    for job in jobs.values():
        import_files.save_report(token, job.id, Report("add"))
    return {"import": token, "import_check": jobs[CHECK].id, "import_save": jobs[SAVE].id}


def admin_requests(app, ids) -> list[tuple[str, str, str, dict, str]]:
    """Every admin URL as (view endpoint, method name, HTTP method, kwargs, url)."""
    requests = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if rule.endpoint in PUBLIC_ENDPOINTS | PORTAL_ENDPOINTS:
                continue
            endpoint, _, method_name = rule.endpoint.partition(".")
            assert endpoint in ADMIN_VIEWS, f"{rule.rule} ({rule.endpoint}) is not in the access table"
            params = {}
            if method_name in RECORD_METHODS:
                params["id"] = ids[endpoint]
            if method_name == "export":
                params["export_type"] = "csv"
            if rule.endpoint in URL_ARGUMENTS:
                params.update(URL_ARGUMENTS[rule.endpoint](ids))
            if method_name == "ajax_lookup":
                view = app.view_functions[rule.endpoint].__self__  # the admin view that serves the rule
                params["name"] = next(iter(getattr(view, "form_ajax_refs", None) or {"none": None}))
                params["query"] = "a"
            url = url_for(rule.endpoint, **params)
            requests.extend(
                (endpoint, method_name, http_method, url) for http_method in sorted(rule.methods - {"HEAD", "OPTIONS"})
            )
    # Deleting comes last, so that no page is asked for a record that is already gone.
    return sorted(requests, key=lambda r: r[1] == "delete_view")


def send(client, http_method, method_name, url, ids, endpoint):
    if http_method == "GET":
        response = client.get(url)
        response.get_data()  # consume streamed exports and files, then let them go
        response.close()
        return response
    data = {"csrf_token": csrf_token(client)}
    if method_name == "delete_view":
        data["id"] = ids[endpoint]
    if method_name == "revert":
        data["entry_id"] = ids["change_log"]
    if method_name == "action_view":
        data.update(action="delete", rowid=999_999)
    return client.post(url, data=data)


def allowed(role: str | None, needed: str | None) -> bool:
    if role is None or needed is None:
        return False
    return needed == "staff" or role == "admin"


@pytest.mark.parametrize("role", [None, "staff", "admin"])
def test_every_admin_url_enforces_the_access_table(app, client, one_of_each, role):
    ids = one_of_each
    if role:
        log_in(client, role)
    requests = admin_requests(app, ids)
    assert len(requests) > 100
    for endpoint, method_name, http_method, url in requests:
        read_role, write_role = ADMIN_VIEWS[endpoint]
        response = send(client, http_method, method_name, url, ids, endpoint)
        where = f"{role} {http_method} {url}"
        if role is None:
            assert response.status_code == 302, where
            assert response.headers["Location"].startswith("/login?next="), where
            continue
        needed = write_role if method_name in WRITE_METHODS else read_role
        if (endpoint, method_name) in ADMIN_ONLY:
            needed = "admin"
        if not allowed(role, read_role) or not allowed(role, needed) or (endpoint, method_name) in NEVER:
            assert response.status_code == 403, where
        elif method_name == "ajax_lookup" and "name=none" in url:
            # The view has no lookups; the endpoint exposes nothing.
            assert response.status_code == 404, where
        elif method_name == "ajax_update":
            # No list is editable in place; the endpoint exposes nothing.
            assert response.status_code == 404, where
        elif method_name in {"delete_view", "action_view", "revert"}:
            assert response.status_code == 302, where
        elif method_name == "remember":
            # A user's own choice, remembered: nothing to show.
            assert response.status_code == 204, where
        elif method_name == "quick_create":
            # Posted without a name: refused with a message, nothing created.
            assert response.status_code == 400, where
        elif http_method == "POST":
            # An empty form comes back with field errors, or saves the record unchanged.
            assert response.status_code in (200, 302), where
        else:
            assert response.status_code == 200, where


def test_post_without_csrf_token_is_refused_everywhere(app, admin, one_of_each):
    ids = one_of_each
    posts = [(e, m, url) for e, m, h, url in admin_requests(app, ids) if h == "POST"]
    posts += [
        ("auth", "login", "/login"),
        ("auth", "logout", "/logout"),
        ("portal", "login", "/portal/login"),
        ("portal", "logout", "/portal/logout"),
        ("portal", "details", "/portal/details"),
        ("portal", "password", "/portal/password"),
        ("i18n", "switch", "/language"),
        ("i18n", "portal_switch", "/portal/language"),
    ]
    assert len(posts) > 50
    for endpoint, _method_name, url in posts:
        data = {"id": ids.get(endpoint, 1), "action": "delete", "rowid": ids.get(endpoint, 1)}
        response = admin.post(url, data=data)
        assert response.status_code == 400, url
        assert "security token" in response.get_data(as_text=True), url
    # Nothing was deleted by the refused requests.
    with app.app_context():
        assert db.session.get(Note, ids["note"]) is not None


def test_staff_sees_no_admin_only_menu_entries(staff):
    html = staff.get("/admin/").get_data(as_text=True)
    assert "/admin/contact/" in html
    assert "/admin/user/" not in html
    assert "/admin/setting/" not in html


def test_the_menu_follows_the_user_and_the_open_view(admin, staff):
    """The menu is rendered once per role and view, then reused: never another role's menu."""
    for _ in range(2):
        assert '/admin/user/"' in admin.get("/admin/contact/").get_data(as_text=True)
        assert '/admin/user/"' not in staff.get("/admin/contact/").get_data(as_text=True)

    def active_entries(url: str) -> list[str]:
        menu = staff.get(url).get_data(as_text=True).split("navbar-nav mr-auto")[1].split("navbar-right")[0]
        return re.findall(r'class="dropdown-item active[^"]*" href="([^"]+)"', menu)

    assert active_entries("/admin/contact/") == ["/admin/contact/"]
    assert active_entries("/admin/note/") == ["/admin/note/"]

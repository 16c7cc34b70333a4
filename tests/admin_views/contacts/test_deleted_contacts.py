"""Soft delete: deleted contacts leave the list, staff restore them, an administrator purges them."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from models import ChangeLog, Contact, Service, ServiceType, db, utcnow
from tests.helpers import csrf_token, log_in


def act(client, action: str, ids):
    return client.post(
        "/admin/deleted_contact/action/",
        data={"csrf_token": csrf_token(client, "/admin/"), "action": action, "rowid": [str(i) for i in ids]},
        follow_redirects=True,
    )


def test_deleted_contact_leaves_the_list_and_lookups(app, client, make_contact):
    kept = make_contact(name="Zůstává Zdeněk")
    gone = make_contact(name="Odchází Oto")
    log_in(client, "staff")
    client.post("/admin/contact/delete/", data={"csrf_token": csrf_token(client, "/admin/"), "id": gone})
    html = client.get("/admin/contact/").get_data(as_text=True)
    assert "Zůstává Zdeněk" in html and "Odchází Oto" not in html
    assert client.get(f"/admin/contact/edit/?id={gone}").status_code == 404
    assert "Odchází Oto" in client.get("/admin/deleted_contact/").get_data(as_text=True)
    lookup = client.get("/admin/contact_person/ajax/lookup/?name=contact&query=Od").get_json()
    assert lookup == []
    with app.app_context():
        assert db.session.get(Contact, kept).deleted_at is None
        assert db.session.scalars(sa.select(ChangeLog.action).where(ChangeLog.contact_id == gone)).all() == ["delete"]


def test_staff_restores_with_history(app, client, make_contact):
    gone = make_contact(name="Vrácený Václav", deleted_at=utcnow())
    log_in(client, "staff")
    html = act(client, "restore", [gone]).get_data(as_text=True)
    assert "1 contact restored" in html
    assert "Vrácený Václav" in client.get("/admin/contact/").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(sa.select(ChangeLog.action).where(ChangeLog.contact_id == gone)).all() == ["restore"]


def test_staff_cannot_purge(app, client, make_contact):
    gone = make_contact(deleted_at=utcnow())
    log_in(client, "staff")
    act(client, "purge", [gone])
    with app.app_context():
        assert db.session.get(Contact, gone) is not None


def test_admin_purges_but_not_contacts_with_services(app, client, make_contact):
    plain = make_contact(name="Prostý Pavel", deleted_at=utcnow())
    served = make_contact(name="Služebný Saša", deleted_at=utcnow())
    with app.app_context():
        db.session.add(
            Service(
                contact_id=served,
                service_type=ServiceType(name="TV"),
                tariff_name="Basic",
                state="ended",
                start_date=date(2020, 1, 1),
                end_date=date(2021, 1, 1),
            )
        )
        db.session.commit()
    log_in(client, "admin")
    html = act(client, "purge", [plain, served]).get_data(as_text=True)
    assert "Nothing was purged. Služebný Saša has services." in html
    with app.app_context():
        assert db.session.get(Contact, plain) is not None
    assert "1 contact purged." in act(client, "purge", [plain]).get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Contact, plain) is None
        assert db.session.get(Contact, served) is not None


def test_deleting_a_client_ends_its_services_and_restoring_says_they_stay_ended(
    app, client, make_contact, make_service
):
    served = make_contact(name="Klient Karel")
    service = make_service(served, start_date=date(2025, 1, 1))
    log_in(client, "staff")
    html = client.post(
        "/admin/contact/delete/",
        data={"csrf_token": csrf_token(client, "/admin/"), "id": served},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "1 service of" in html and "Klient Karel was ended." in html
    with app.app_context():
        assert db.session.get(Service, service).state == "ended"
        assert not db.session.get(Contact, served).is_client
    html = act(client, "restore", [served]).get_data(as_text=True)
    assert "1 contact restored, without its former CATV socket; its services stay ended." in html
    with app.app_context():
        assert db.session.get(Service, service).state == "ended"


def test_a_service_cannot_be_deleted_so_its_client_cannot_be_purged(app, client, make_contact, make_service):
    served = make_contact(name="Služebný Saša")
    service = make_service(served)
    log_in(client, "admin")
    token = csrf_token(client, "/admin/")
    assert client.post("/admin/service/delete/", data={"csrf_token": token, "id": service}).status_code == 403
    client.post("/admin/service/action/", data={"csrf_token": token, "action": "delete", "rowid": [str(service)]})
    assert 'value="delete"' not in client.get("/admin/service/").get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Service, service) is not None
    client.post("/admin/contact/delete/", data={"csrf_token": token, "id": served})
    html = act(client, "purge", [served]).get_data(as_text=True)
    assert "Nothing was purged. Služebný Saša has services." in html
    with app.app_context():
        assert db.session.get(Contact, served) is not None

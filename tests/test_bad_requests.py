"""Requests no page expects answer a clear 400 or 404, never a server error: ids no row can have,
lookups paged from nowhere, Flask-Admin's own argument names on a list, text that is not text.

Each found by probing (issue 14); test_url_fuzz.py walks every URL with such input, these pin the
cases one by one. Tests let view exceptions through, so a server error fails the test.
"""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from models import ClientGroup, db
from tests.helpers import csrf_token

BEYOND_IDS = [str(2**31), str(2**63), str(2**64), "9" * 400, "9" * 5000, "-1", "0", "²", "١"]


def test_an_id_no_row_can_have_is_not_found(admin, make_contact, make_service):
    make_service(make_contact())
    token = csrf_token(admin, "/admin/")
    for row_id in BEYOND_IDS:
        for url in (
            f"/admin/contact/details/?id={row_id}",
            f"/admin/contact/edit/?id={row_id}",
            f"/admin/service/edit/?id={row_id}",
            f"/admin/city/details/?id={row_id}",
            f"/admin/deleted_contact/details/?id={row_id}",
            f"/admin/building/sockets/?id={row_id}",
            f"/admin/invoice_group/image/{row_id}/logo/",
        ):
            assert admin.get(url).status_code == 404, url
        deleted = admin.post("/admin/client_group/delete/", data={"csrf_token": token, "id": row_id})
        assert deleted.status_code == 404, row_id
        reverted = admin.post("/admin/contact/revert/", data={"csrf_token": token, "entry_id": row_id})
        assert reverted.status_code == 404, row_id


def test_ticked_rows_no_row_can_have_are_left_out(admin, make_contact):
    contact_id = make_contact()
    with admin.application.app_context():
        group = ClientGroup(name="Unused")
        db.session.add(group)
        db.session.commit()
        group_id = group.id
    token = csrf_token(admin, "/admin/")
    beyond = [str(2**31), str(2**63), "9" * 5000, "²"]
    response = admin.post(
        "/admin/client_group/action/",
        data={"csrf_token": token, "action": "delete", "rowid": [*beyond, str(group_id)]},
    )
    assert response.status_code == 302
    with admin.application.app_context():
        assert db.session.get(ClientGroup, group_id) is None  # the real row was deleted, the others ignored
    for row_id in beyond:
        # The contacts' bulk change, the restore of deleted contacts, the live duplicate check, a new service.
        bulk = admin.get(f"/admin/contact/bulk/?ids={row_id},{contact_id}").get_data(as_text=True)
        assert re.search(r"\b1 contact\b", bulk)
        restore = admin.post(
            "/admin/deleted_contact/action/", data={"csrf_token": token, "action": "restore", "rowid": row_id}
        )
        assert restore.status_code == 302
        duplicates = admin.get(f"/admin/contact/duplicates/?field=email&value=a@example.cz&id={row_id}")
        assert duplicates.get_json() == []
        assert admin.get(f"/admin/service/new/?contact_id={row_id}").status_code == 200


LOOKUPS = [
    "/admin/service/ajax/lookup/?name=contact",
    "/admin/contact/ajax/lookup/?name=catv_city",
    "/admin/street/ajax/lookup/?name=city",
]
PAGING = ["offset=-5", "offset=-5&limit=-1", f"offset={10**30}", f"offset={2**63}&limit={2**63}", "limit=1000000"]


def test_lookups_answer_any_paging_with_at_most_ten_rows(staff, make_contact, make_socket):
    for n in range(12):
        make_contact(name=f"Novák {n}")
        make_socket(city=f"Praha {n}")
    for lookup in LOOKUPS:
        for paging in PAGING:
            response = staff.get(f"{lookup}&query=a&{paging}")
            assert response.status_code == 200, (lookup, paging)
            assert len(response.get_json()) <= 10


def test_a_lookup_with_a_sane_offset_pages_on(staff, make_contact):
    for n in range(12):
        make_contact(name=f"Novák {n:02d}")
    first = staff.get("/admin/service/ajax/lookup/?name=contact&query=Nov&offset=0&limit=10").get_json()
    rest = staff.get("/admin/service/ajax/lookup/?name=contact&query=Nov&offset=10&limit=10").get_json()
    assert len(first) == 10 and len(rest) == 2


RESERVED = ["url", "all", "endpoint", "export_type", "_method", "self", "_anchor", "_external"]


def test_flask_admins_own_argument_names_are_refused_on_every_list(app, admin, make_contact):
    make_contact()  # the contacts list then shows its "change all matching" link, built from the arguments
    lists = [r.rule for r in app.url_map.iter_rules() if r.endpoint.endswith(".index_view")]
    assert len(lists) > 20
    for url in lists:
        for name in RESERVED:
            response = admin.get(url, query_string={name: "x", "search": "a"})
            assert response.status_code == 400, (url, name)
            assert "cannot accept" in response.get_data(as_text=True)
        assert admin.get(url, query_string={"search": "a"}).status_code == 200, url
    for name in RESERVED:
        assert admin.get("/admin/city/export/csv/", query_string={name: "x"}).status_code == 400


def test_the_bulk_change_still_takes_its_arguments(admin, make_contact):
    make_contact()
    response = admin.get("/admin/contact/bulk/?all=1&url=/admin/contact/?search=Nov")
    assert response.status_code == 200
    assert re.search(r"\b1 contact\b", response.get_data(as_text=True))


def test_a_query_that_is_not_text_is_refused(app, admin, make_contact):
    make_contact()
    lists = [r.rule for r in app.url_map.iter_rules() if r.endpoint.endswith(".index_view")]
    for query in ["search=a%00b", "search=%FF%FE", "search=%C3%28", "%00=1", "flt0_0=%00"]:
        for url in lists:
            assert admin.get(f"{url}?{query}").status_code == 400, (url, query)
        assert admin.get(f"/admin/contact/duplicates/?field=email&value=a&{query}").status_code == 400
        assert admin.get(f"/admin/service/ajax/lookup/?name=contact&{query}").status_code == 400
        assert admin.get(f"/portal/login?{query}").status_code == 400


def test_a_search_of_plain_unicode_still_works(admin, make_contact):
    make_contact(name="Žluťoučký Kůň")
    html = admin.get("/admin/contact/?search=Žluťoučký").get_data(as_text=True)
    assert "Žluťoučký Kůň" in html


def test_a_duplicate_check_with_a_nul_is_refused(staff, make_contact):
    make_contact(email="eva@example.cz")
    assert staff.get("/admin/contact/duplicates/?field=email&value=eva@example.cz%00").status_code == 400
    assert len(staff.get("/admin/contact/duplicates/?field=email&value=eva@example.cz").get_json()) == 1


def test_a_return_address_with_a_line_break_is_refused(admin, make_contact):
    contact_id = make_contact()
    response = admin.get(f"/admin/contact/details/?id={contact_id}&url=/admin/%0D%0ASet-Cookie:x=1")
    assert response.status_code == 400
    czech = admin.get("/admin/contact/?url=x%0Ay", headers={"Accept-Language": "cs"})
    assert czech.status_code == 400
    assert "nemůže přijmout" in czech.get_data(as_text=True)


@pytest.mark.parametrize("name", ["Tower\x00B", "Tower\r\nB", "\x00"])
def test_a_quick_created_name_with_control_characters_is_refused(app, admin, name):
    response = admin.post(
        "/admin/client_group/quick-create/", data={"csrf_token": csrf_token(admin, "/admin/"), "name": name}
    )
    assert response.status_code == 400
    assert "control characters" in response.get_json()["error"]
    with app.app_context():
        assert (
            db.session.scalar(
                sa.select(sa.func.count()).select_from(ClientGroup).where(ClientGroup.name.like("Tower%"))
            )
            == 0
        )


def test_the_history_is_not_sorted_by_its_changes(app, admin, make_contact):
    contact_id = make_contact()
    token = csrf_token(admin, "/admin/")
    admin.post("/admin/contact/delete/", data={"csrf_token": token, "id": str(contact_id)})
    html = admin.get("/admin/change_log/").get_data(as_text=True)
    header = re.search(r"<thead>.*?</thead>", html, re.S).group(0)
    assert "Changes" in header
    assert not re.search(r'<a [^>]*href="[^"]*sort=5[^"]*"', header), "the Changes column offers sorting"
    assert re.search(r'href="[^"]*sort=0', header), "the other columns still sort"
    # A crafted sort by that column is ignored: the list shows, newest first.
    response = admin.get("/admin/change_log/?sort=5&desc=1")
    assert response.status_code == 200
    assert "deleted" in response.get_data(as_text=True).lower()


def test_a_quick_created_name_taken_in_another_case_is_refused(app, admin):
    token = csrf_token(admin, "/admin/")
    first = admin.post("/admin/location/quick-create/", data={"csrf_token": token, "name": "Ústí"})
    assert first.status_code == 201
    again = admin.post("/admin/location/quick-create/", data={"csrf_token": token, "name": "ÚSTÍ"})
    assert again.status_code == 400
    assert "already exists" in again.get_json()["error"]

"""Invoice groups: the number series, uploads checked by content, and the in-use rule."""

from __future__ import annotations

import io
import threading

import pytest
import sqlalchemy as sa
from werkzeug.test import EnvironBuilder

from domain.invoicing import next_invoice_number
from models import InvoiceGroup, db
from tests.helpers import csrf_token, field_errors, png_bytes


def group_form(client, **overrides) -> dict:
    data = {
        "csrf_token": csrf_token(client, "/admin/"),
        "name": "Main",
        "company_name": "Síť s.r.o.",
        "company_id": "25596641",
        "vat_id": "CZ25596641",
        "country": "CZ",
        "currency": "CZK",
        "due_days": "14",
        "series_prefix": "2026",
        "number_digits": "6",
        "next_number": "1",
        "vat_payer": "y",
    }
    data.update(overrides)
    return data


def test_create_group_and_see_the_series_preview(app, admin):
    response = admin.post("/admin/invoice_group/new/", data=group_form(admin, next_number="42"))
    assert response.status_code == 302, response.get_data(as_text=True)
    html = admin.get("/admin/invoice_group/").get_data(as_text=True)
    assert "2026000042" in html
    with app.app_context():
        group = db.session.scalars(sa.select(InvoiceGroup)).one()
        assert group.next_invoice_preview == "2026000042"
        html = admin.get(f"/admin/invoice_group/edit/?id={group.id}").get_data(as_text=True)
        assert 'id="series-preview">2026000042<' in html


def test_group_names_are_unique_whatever_the_case(app, admin, make_invoice_group):
    make_invoice_group(name="Main")
    html = admin.post("/admin/invoice_group/new/", data=group_form(admin, name="MAIN")).get_data(as_text=True)
    assert field_errors(html, "name") == ["“Main” already exists."]
    with app.app_context():
        assert db.session.scalars(sa.select(InvoiceGroup.name)).all() == ["Main"]


@pytest.mark.parametrize(
    "overrides,field,message",
    [
        ({"series_prefix": "FA"}, "series_prefix", "Only digits"),
        ({"series_prefix": "20261", "number_digits": "6"}, "number_digits", "at most 10 digits"),
        ({"number_digits": "3", "next_number": "1000"}, "next_number", "does not fit into 3 digits"),
        ({"company_id": "25596642"}, "company_id", "Not a valid Czech company ID"),
        ({"iban": "CZ00 0800"}, "iban", "not a valid IBAN"),
    ],
)
def test_series_and_company_data_are_checked(app, admin, overrides, field, message):
    html = admin.post("/admin/invoice_group/new/", data=group_form(admin, **overrides)).get_data(as_text=True)
    assert message in html
    assert 'value="Síť s.r.o."' in html
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(InvoiceGroup)) == 0


def test_the_series_cannot_go_back(app, admin, make_invoice_group):
    group = make_invoice_group(series_prefix="2026", next_number=50)
    html = admin.post(
        f"/admin/invoice_group/edit/?id={group.id}", data=group_form(admin, name=group.name, next_number="10")
    ).get_data(as_text=True)
    assert "The series has reached 2026000050" in html


def test_next_invoice_number_moves_the_series(app, make_invoice_group):
    group = make_invoice_group(series_prefix="26", number_digits=4, next_number=9998)
    with app.app_context():
        group = db.session.get(InvoiceGroup, group.id)
        assert [next_invoice_number(group) for _ in range(2)] == ["269998", "269999"]
        db.session.commit()
        with pytest.raises(ValueError, match="exhausted"):
            next_invoice_number(group)


def test_concurrent_callers_never_get_the_same_invoice_number(app, make_invoice_group):
    group_id = make_invoice_group(series_prefix="", number_digits=8, next_number=1).id
    issued, errors = [], []

    def issue(count: int):
        try:
            with app.app_context():
                for _ in range(count):
                    group = db.session.get(InvoiceGroup, group_id)
                    issued.append(next_invoice_number(group))
                    db.session.commit()
                db.session.remove()
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=issue, args=(50,)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(issued) == [f"{n:08d}" for n in range(1, 201)]


def upload(admin, group_id, name, content, kind="logo"):
    data = group_form(admin, name="Main")
    data[kind] = (io.BytesIO(content), name)
    # Our own builder, closed here: the test client leaves a large body's temporary file open.
    builder = EnvironBuilder(path=f"/admin/invoice_group/edit/?id={group_id}", method="POST", data=data)
    environ = builder.get_environ()
    builder.close()
    try:
        return admin.open(environ)
    finally:
        environ["wsgi.input"].close()


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("logo.png", b"<?php system($_GET['x']); ?>", "not a readable PNG or JPEG"),
        ("logo.png", b"GIF89a" + b"\x00" * 40, "not a readable PNG or JPEG"),
        ("logo.gif", None, "Only PNG and JPEG"),
        ("huge.png", b"\x89PNG" + b"\x00" * (2 * 1024 * 1024 + 1), "larger than 2 MB"),
    ],
)
def test_non_images_and_oversized_files_are_refused(app, admin, make_invoice_group, name, content, message):
    if content is None:
        from PIL import Image

        buffer = io.BytesIO()
        Image.new("RGB", (5, 5)).save(buffer, format="GIF")
        content = buffer.getvalue()
    group = make_invoice_group(name="Main")
    html = upload(admin, group.id, name, content).get_data(as_text=True)
    assert message in html
    with app.app_context():
        assert db.session.get(InvoiceGroup, group.id).logo_path is None


def test_logo_is_stored_outside_static_and_served_with_thumbnail(app, admin, make_invoice_group, tmp_path):
    group = make_invoice_group(name="Main")
    response = upload(admin, group.id, "../../etc/passwd.jpg", png_bytes((800, 400), "JPEG"))
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        stored = db.session.get(InvoiceGroup, group.id).logo_path
    assert stored.startswith("logo-") and stored.endswith(".png") and "/" not in stored
    assert (tmp_path / "instance" / "uploads" / stored).is_file()
    full = admin.get(f"/admin/invoice_group/image/{group.id}/logo/")
    thumb = admin.get(f"/admin/invoice_group/image/{group.id}/logo/?thumbnail=1")
    assert full.mimetype == thumb.mimetype == "image/png"
    assert full.headers["X-Content-Type-Options"] == "nosniff"
    assert len(thumb.get_data()) < len(full.get_data())
    full.close()
    thumb.close()
    assert admin.get(f"/admin/invoice_group/image/{group.id}/../../secret_key").status_code == 404
    assert admin.get(f"/admin/invoice_group/image/{group.id}/stamp/").status_code == 404


def test_group_with_contacts_cannot_be_deleted(app, admin, make_invoice_group, make_contact):
    group = make_invoice_group(name="Used")
    make_contact(invoice_group_id=group.id)
    response = admin.post(
        "/admin/invoice_group/delete/",
        data={"csrf_token": csrf_token(admin, "/admin/"), "id": group.id},
        follow_redirects=True,
    )
    assert "“Used” is used by 1 contacts" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(InvoiceGroup, group.id) is not None

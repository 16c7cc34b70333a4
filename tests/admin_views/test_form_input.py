"""What every form does with what is typed: decimal commas, control characters, lost text, lengths,
foreign digits, huge numbers and odd dates are read as meant or refused at their field, never
stored changed and never a server error."""

from __future__ import annotations

import re
import time
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa
from wtforms import DecimalField, FieldList, IntegerField
from wtforms.widgets import NumberInput

from admin_views.base import BaseModelView
from admin_views.fields import DateTextField, DecimalTextField
from admin_views.forms import CheckedForm
from models import Building, ClientGroup, Contact, InvoiceGroup, Service, Setting, db
from tests.helpers import PORTAL_PASSWORD, csrf_token, field_errors, input_value


def post(client, url: str, data: dict):
    return client.post(url, data={"csrf_token": csrf_token(client, "/admin/"), **data})


def assert_refused(response, field: str, typed: str | None = None) -> str:
    """The form came back with an error at `field` and, if given, `typed` shown in it."""
    assert response.status_code == 200, response.status_code
    html = response.get_data(as_text=True)
    assert field_errors(html, field), f"no error at {field}"
    if typed is not None:
        assert input_value(html, field) == typed
    return html


@pytest.fixture
def service_form(app, make_contact, make_service_type):
    contact_id, type_id = make_contact(), make_service_type()

    def data(**overrides) -> dict:
        values = {
            "contact": str(contact_id),
            "service_type": str(type_id),
            "tariff_name": "Fiber",
            "price": "450,50",
            "start_date": "2026-01-15",
            "state": "active",
        }
        return values | overrides

    return data


def services(app) -> list[Service]:
    with app.app_context():
        rows = db.session.scalars(sa.select(Service).order_by(Service.id)).all()
        db.session.expunge_all()
        return rows


# --- Decimal comma --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("450,50", "450.50"), ("450.50", "450.50"), ("1 450,50", "1450.50"), ("1\u00a0450,50", "1450.50")],
)
def test_a_price_with_a_decimal_comma_is_stored_as_meant(app, admin, service_form, typed, stored):
    assert post(admin, "/admin/service/new/", service_form(price=typed)).status_code == 302
    assert services(app)[-1].price == Decimal(stored)


@pytest.mark.parametrize("typed", ["abc", "1,2,3", "NaN", "sNaN", "Infinity", "1e3", "0,001", "9" * 400, "٤٥٠"])
def test_any_other_price_is_a_field_error(app, admin, service_form, typed):
    assert_refused(post(admin, "/admin/service/new/", service_form(price=typed)), "price", typed)
    assert services(app) == []


def test_money_fields_are_text_inputs_with_a_decimal_keyboard(admin, make_service, make_contact):
    service_id = make_service(make_contact(), price=Decimal("1450.50"))
    html = admin.get(f"/admin/service/edit/?id={service_id}").get_data(as_text=True)
    tag = re.search(r'<input[^>]*\bid="price"[^>]*>', html).group(0)
    assert 'type="text"' in tag and 'inputmode="decimal"' in tag
    # A stored value is shown in the plain form, as the lists show it; saving it again changes nothing.
    assert input_value(html, "price") == "1450.50"
    contact_html = admin.get("/admin/contact/new/").get_data(as_text=True)
    for name in ("opening_balance", "suspend_min_amount"):
        tag = re.search(rf'<input[^>]*\bid="{name}"[^>]*>', contact_html).group(0)
        assert 'type="text"' in tag and 'inputmode="decimal"' in tag, name


def test_contact_amounts_take_a_decimal_comma(app, post_contact, form_data):
    response = post_contact(
        form_data(opening_balance="\u22121 450,50", suspend_mode="individual", suspend_min_amount="99,9")
    )
    assert response.status_code == 302
    with app.app_context():
        contact = db.session.scalars(sa.select(Contact)).one()
        assert (contact.opening_balance, contact.suspend_min_amount) == (Decimal("-1450.50"), Decimal("99.90"))


def test_contact_amounts_beyond_their_column_are_refused(app, post_contact, form_data):
    for field, typed in (
        ("opening_balance", "10 000 000 000"),
        ("opening_balance", "1,005"),
        ("suspend_min_amount", "x"),
    ):
        assert_refused(post_contact(form_data(**{field: typed})), field, typed)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Contact)) == 0


# --- Silent changes become field errors -------------------------------------------------------------


def test_a_nul_in_the_client_number_is_refused_not_stripped(app, post_contact, form_data):
    html = assert_refused(post_contact(form_data(client_number="98\x0076")), "client_number", "98\ufffd76")
    assert "not valid text" in " ".join(field_errors(html, "client_number"))
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Contact)) == 0


@pytest.mark.parametrize("typed", ["VIP\x00", "VIP\x1b", "two\r\nlines", "tab\there"])
def test_control_characters_in_a_code_list_name_are_refused(app, admin, typed):
    assert_refused(post(admin, "/admin/client_group/new/", {"name": typed}), "name")
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ClientGroup)) == 0


def test_multi_line_text_keeps_its_lines_and_tabs(app, admin):
    text = "line 1\r\nline 2\tend"
    assert post(admin, "/admin/client_group/new/", {"name": "VIP", "description": text}).status_code == 302
    with app.app_context():
        assert db.session.scalars(sa.select(ClientGroup)).one().description == text


def test_invalid_utf8_is_refused_not_stored_as_replacement_characters(app, admin):
    token = csrf_token(admin, "/admin/")
    # Latin-1 "é", not UTF-8: Werkzeug hands the field over as "Caf\ufffd".
    body = (
        f'--B\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token}\r\n'.encode()
        + b'--B\r\nContent-Disposition: form-data; name="name"\r\n\r\nCaf\xe9\r\n--B--\r\n'
    )
    response = admin.post("/admin/client_group/new/", data=body, content_type="multipart/form-data; boundary=B")
    html = assert_refused(response, "name")
    assert "not valid text" in " ".join(field_errors(html, "name"))
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ClientGroup)) == 0


def test_nul_in_either_login_form_is_a_refusal_not_a_server_error(client, make_portal_client):
    make_portal_client(client_number=5001)
    staff = client.post("/login", data={"csrf_token": csrf_token(client), "username": "adm\x00in", "password": "x"})
    assert staff.status_code == 200 and "control characters" in staff.get_data(as_text=True)
    portal = client.post(
        "/portal/login",
        data={"csrf_token": csrf_token(client, "/portal/login"), "login": "50\x0001", "password": PORTAL_PASSWORD},
    )
    assert portal.status_code == 200 and 'id="login-error-1"' in portal.get_data(as_text=True)


def test_a_portal_email_list_longer_than_its_column_is_refused(app, client, make_portal_client, admin):
    contact_id = make_portal_client(client_number=5001, email="alice@example.cz")
    client.post(
        "/portal/login",
        data={"csrf_token": csrf_token(client, "/portal/login"), "login": "5001", "password": PORTAL_PASSWORD},
    )
    addresses = ", ".join(f"alice.number{n}@example.cz" for n in range(30))  # 719 characters; the column has 500
    response = client.post(
        "/portal/details", data={"csrf_token": csrf_token(client, "/portal/details"), "email": addresses}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and input_value(html, "email") == addresses
    assert re.search(r'id="email-error-1">At most 500 characters.<', html)
    with app.app_context():
        assert db.session.get(Contact, contact_id).email == "alice@example.cz"
    # The staff form of that contact still opens with the stored list.
    edit = admin.get(f"/admin/contact/edit/?id={contact_id}").get_data(as_text=True)
    assert input_value(edit, "email") == "alice@example.cz"


@pytest.mark.parametrize("typed", ["٢٠٢٦", "２０２６", "20²6"])
def test_an_invoice_series_prefix_takes_ascii_digits_only(app, admin, typed):
    data = {"name": "Main", "company_name": "Main s.r.o.", "country": "CZ", "currency": "CZK", "due_days": "14"}
    data |= {"series_prefix": typed, "number_digits": "6", "next_number": "1"}
    assert_refused(post(admin, "/admin/invoice_group/new/", data), "series_prefix", typed)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(InvoiceGroup)) == 0


@pytest.mark.parametrize("field", ["invoicing_day", "due_days"])
def test_foreign_digits_are_no_number(app, post_contact, form_data, field):
    assert_refused(post_contact(form_data(**{field: "١٤"})), field, "١٤")


@pytest.mark.parametrize("typed", ["0001-01-01", "1899-12-31", "2101-01-01", "9999-12-31"])
def test_a_birth_date_outside_1900_to_2100_is_refused(app, post_contact, form_data, typed):
    html = assert_refused(post_contact(form_data(birth_date=typed)), "birth_date", typed)
    assert "1900-01-01" in " ".join(field_errors(html, "birth_date"))


def test_every_date_field_has_the_range(app, admin, service_form):
    for field in ("start_date", "end_date", "suspended_from"):
        assert_refused(post(admin, "/admin/service/new/", service_form(**{field: "0001-01-01"})), field, "0001-01-01")
    assert_refused(post(admin, "/admin/info_message/new/", {"title": "Hi", "valid_to": "3000-01-01"}), "valid_to")
    assert services(app) == []


# --- Dates as a Czech clerk types them -----------------------------------------------------------------


def date_input(html: str, name: str) -> str:
    return re.search(rf'<input[^>]*\bid="{name}"[^>]*>', html).group(0)


def test_a_birth_date_typed_the_czech_way_is_stored_and_shown_in_the_users_language(
    app, client, post_contact, form_data
):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "cs"
    assert post_contact(form_data(birth_date="12.2.1985")).status_code == 302
    with app.app_context():
        contact = db.session.scalars(sa.select(Contact)).one()
        assert contact.birth_date == date(1985, 2, 12)
    edit = f"/admin/contact/edit/?id={contact.id}"
    czech = client.get(edit).get_data(as_text=True)
    assert input_value(czech, "birth_date") == "12. 2. 1985"
    assert 'placeholder="např. 12. 2. 1985"' in date_input(czech, "birth_date")
    english = client.get(edit, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert input_value(english, "birth_date") == "1985-02-12"
    assert 'placeholder="e.g. 1985-02-12"' in date_input(english, "birth_date")
    # Saving the form as shown changes nothing.
    resaved = post_contact(form_data(birth_date="12. 2. 1985", client_number=str(contact.client_number)), id=contact.id)
    assert resaved.status_code == 302
    with app.app_context():
        assert db.session.get(Contact, contact.id).birth_date == date(1985, 2, 12)


def test_a_date_field_is_a_plain_text_input_flask_admins_picker_leaves_alone(admin):
    tag = date_input(admin.get("/admin/contact/new/").get_data(as_text=True), "birth_date")
    assert 'type="text"' in tag and 'autocomplete="off"' in tag and "data-date-input" in tag
    assert "data-role" not in tag and "numeric" not in tag


@pytest.mark.parametrize("typed", ["12/2/1985", "31.2.1985", "12.13.1985", "1985-2-30", "12.2.85", "včera"])
def test_a_wrong_birth_date_keeps_the_typed_text_and_names_the_format(app, client, post_contact, form_data, typed):
    html = assert_refused(post_contact(form_data(birth_date=typed)), "birth_date", typed)
    assert "12. 2. 1985" in " ".join(field_errors(html, "birth_date"))
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "cs"
    html = assert_refused(post_contact(form_data(birth_date=typed)), "birth_date", typed)
    assert re.search(r"Zadejte datum|Takový den", " ".join(field_errors(html, "birth_date")))
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Contact)) == 0


def test_service_dates_take_the_czech_way_too(app, admin, service_form):
    admin.environ_base["HTTP_ACCEPT_LANGUAGE"] = "cs"
    data = service_form(start_date="1.3.2026", state="ended", end_date="31. 12. 2026")
    assert post(admin, "/admin/service/new/", data).status_code == 302
    service = services(app)[-1]
    assert (service.start_date, service.end_date) == (date(2026, 3, 1), date(2026, 12, 31))
    html = admin.get(f"/admin/service/edit/?id={service.id}").get_data(as_text=True)
    assert (input_value(html, "start_date"), input_value(html, "end_date")) == ("1. 3. 2026", "31. 12. 2026")


def test_every_date_column_of_every_admin_form_is_typed_the_same_way(app):
    seen = set()
    with app.test_request_context("/admin/"):
        for view in app.extensions["admin"][0]._views:
            if not isinstance(view, BaseModelView) or not hasattr(view, "_create_form_class"):
                continue
            form = view._create_form_class()
            for name, column in view.model.__table__.columns.items():
                if name in form and isinstance(column.type, sa.Date):
                    assert isinstance(form[name], DateTextField), (view.endpoint, name)
                    seen.add(f"{view.endpoint}.{name}")
    assert {"contact.birth_date", "service.start_date", "info_message.valid_to"} <= seen


def test_the_contact_lists_created_filter_takes_dates_as_typed(app, staff, make_contact):
    make_contact(name="Nový kontakt")
    today = date.today()
    czech = f"{today.day}. {today.month}. {today.year} – {today.day}.{today.month}.{today.year}"
    html = staff.get("/admin/contact/", query_string={"flt0_created_between": czech}).get_data(as_text=True)
    assert "Nový kontakt" in html and "Invalid Filter Value" not in html
    long_ago = "1. 1. 2000 – 31. 12. 2000"
    html = staff.get("/admin/contact/", query_string={"flt0_created_between": long_ago}).get_data(as_text=True)
    assert "Nový kontakt" not in html
    html = staff.get("/admin/contact/", query_string={"flt0_created_between": "31. 2. 2026 – 1. 3. 2026"})
    assert "Invalid Filter Value" in html.get_data(as_text=True)


# --- Range-checked integers ---------------------------------------------------------------------------

HUGE = "9" * 400


def test_huge_integers_are_field_errors(app, admin, post_contact, form_data, make_socket):
    for field in ("due_days", "invoicing_day", "suspend_days_after_due"):
        assert_refused(post_contact(form_data(**{field: HUGE})), field, HUGE)
    assert_refused(post(admin, "/admin/setting/edit/?id=1", {"min_search_length": HUGE}), "min_search_length", HUGE)
    assert_refused(post(admin, "/admin/client_group/new/", {"name": "VIP", "position": HUGE}), "position", HUGE)
    building_id = make_socket().building
    response = post(admin, f"/admin/building/edit/?id={building_id}", {"number": "12", "floors": HUGE})
    assert_refused(response, "floors", HUGE)
    with app.app_context():
        assert db.session.get(Building, building_id).floors == 4


@pytest.mark.parametrize(
    ("field", "typed"),
    [
        ("position", str(2**31)),  # INTEGER on PostgreSQL
        ("position", "2147483647"),  # fits the column, not the form's range
    ],
)
def test_integers_beyond_the_column_or_the_rule_are_field_errors(app, admin, field, typed):
    assert_refused(post(admin, "/admin/client_group/new/", {"name": "VIP", field: typed}), field, typed)


def test_settings_keep_their_checks_as_field_errors(app, admin):
    for field, typed in (("min_search_length", "0"), ("min_search_length", "21"), ("default_due_days", "-1")):
        assert_refused(post(admin, "/admin/setting/edit/?id=1", {field: typed}), field, typed)
    with app.app_context():
        assert db.session.get(Setting, 1).min_search_length == 2


@pytest.mark.parametrize("digits", ["2147483648", "2147483647", "11"])
def test_an_invoice_group_with_huge_digits_is_refused_at_once(app, admin, digits):
    data = {"name": "Main", "company_name": "Main s.r.o.", "country": "CZ", "currency": "CZK", "due_days": "14"}
    data |= {"series_prefix": "", "number_digits": digits, "next_number": "5"}
    started = time.perf_counter()
    assert_refused(post(admin, "/admin/invoice_group/new/", data), "number_digits", digits)
    assert time.perf_counter() - started < 5
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(InvoiceGroup)) == 0


def test_a_next_number_beyond_bigint_is_a_field_error(app, admin):
    data = {"name": "Main", "company_name": "Main s.r.o.", "country": "CZ", "currency": "CZK", "due_days": "14"}
    data |= {"series_prefix": "", "number_digits": "10", "next_number": str(2**63)}
    assert_refused(post(admin, "/admin/invoice_group/new/", data), "next_number", str(2**63))


# --- One mechanism for every form ---------------------------------------------------------------------


def form_fields(form):
    """Every field of a form, inline rows' fields included."""
    for item in form:
        if isinstance(item, FieldList):
            for entry in item.entries:
                yield from form_fields(entry.form)
        else:
            yield form.__class__, item


def test_every_admin_form_reads_numbers_as_text_and_checks_typed_input(app, make_contact):
    """New views and new Numeric or Integer columns get the same fields and checks without a word."""
    contact_id = make_contact()
    checked = 0
    with app.test_request_context("/admin/"):
        for view in app.extensions["admin"][0]._views:
            if not isinstance(view, BaseModelView) or not hasattr(view, "_create_form_class"):
                continue
            forms = [view._create_form_class()]
            if view.endpoint == "contact":
                forms.append(view._edit_form_class(obj=db.session.get(Contact, contact_id)))
                forms[-1].persons.append_entry()
                forms[-1].notes.append_entry()
            for form in forms:
                for form_class, item in form_fields(form):
                    assert issubclass(form_class, CheckedForm), (view.endpoint, form_class)
                    assert not isinstance(item, (IntegerField, DecimalField)), (view.endpoint, item.name)
                    assert not isinstance(item.widget, NumberInput), (view.endpoint, item.name)
                    checked += 1
            for name, column in view.model.__table__.columns.items():
                if name in forms[0] and isinstance(column.type, sa.Numeric) and view.model is not Contact:
                    assert isinstance(forms[0][name], DecimalTextField), (view.endpoint, name)
    assert checked > 150


def test_a_number_missing_from_the_post_keeps_its_stored_value(app, post_contact, form_data, make_contact):
    contact_id = make_contact(suspend_days_after_due=10, suspend_min_amount=Decimal("5.00"))
    with app.app_context():
        number = db.session.get(Contact, contact_id).client_number
    assert post_contact(form_data(client_number=str(number), name="Renamed"), id=contact_id).status_code == 302
    with app.app_context():
        contact = db.session.get(Contact, contact_id)
        assert (contact.name, contact.suspend_days_after_due, contact.suspend_min_amount) == (
            "Renamed",
            10,
            Decimal("5.00"),
        )

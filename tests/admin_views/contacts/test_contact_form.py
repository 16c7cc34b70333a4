"""The add/edit contact form: rules 1-15 of spec section A, through the real form with CSRF on."""

from __future__ import annotations

import re
from datetime import date, timedelta
from html import unescape

import pytest
import sqlalchemy as sa

from domain.passwords import check_portal_password
from domain.template_vars import render_template_vars
from models import ChangeLog, Contact, ContactPerson, Note, PaymentType, Setting, User, db
from tests.helpers import csrf_token, field_errors, input_value


def contact_count(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(Contact))


def saved(app, number: int = 2001) -> Contact:
    with app.app_context():
        contact = db.session.scalars(sa.select(Contact).where(Contact.client_number == number)).one()
        db.session.expunge(contact)
        return contact


# --- Rule 1: client number ------------------------------------------------------------------


def test_form_offers_lowest_unused_number_above_last_issued(app, client, login, make_contact):
    with app.app_context():
        db.session.get(Setting, 1).last_client_number = 100
        db.session.commit()
    make_contact(client_number=101)
    make_contact(client_number=102)
    make_contact(client_number=104)
    login("staff")
    html = client.get("/admin/contact/new/").get_data(as_text=True)
    assert input_value(html, "client_number") == "103"


def test_typed_number_moves_the_series_on(app, client, post_contact, form_data):
    response = post_contact(form_data(client_number="20090001"))
    assert response.status_code == 302
    html = client.get("/admin/contact/new/").get_data(as_text=True)
    assert input_value(html, "client_number") == "20090002"


def test_client_number_clash_names_the_other_contact_and_offers_next(app, post_contact, form_data, make_contact):
    make_contact(client_number=2001, name="Dvořák Petr")
    response = post_contact(form_data(client_number="2001", name="Nový Klient", street="Polní 3"))
    html = response.get_data(as_text=True)
    [error] = field_errors(html, "client_number")
    assert "Dvořák Petr" in error and "next free number is 2002" in error
    assert input_value(html, "name") == "Nový Klient"
    assert input_value(html, "street") == "Polní 3"
    assert contact_count(app) == 1


def test_client_number_of_a_deleted_contact_stays_taken(app, post_contact, form_data, make_contact):
    from models import utcnow

    make_contact(client_number=2001, name="Smazaný Karel", deleted_at=utcnow())
    html = post_contact(form_data()).get_data(as_text=True)
    assert "Smazaný Karel (deleted)" in field_errors(html, "client_number")[0]


@pytest.mark.parametrize(
    "typed,message",
    [
        ("12a", "Only digits"),
        ("12345678901", "1 to 10 digits"),
        ("0", "1 to 10 digits"),
        ("", "This field is required"),
    ],
)
def test_client_number_must_be_up_to_ten_digits(app, post_contact, form_data, typed, message):
    html = post_contact(form_data(client_number=typed)).get_data(as_text=True)
    assert message in " ".join(field_errors(html, "client_number"))
    assert contact_count(app) == 0


def test_automatic_mode_hides_the_number_and_assigns_it_on_save(app, client, post_contact, form_data):
    with app.app_context():
        settings = db.session.get(Setting, 1)
        settings.client_number_mode, settings.last_client_number = "automatic", 500
        db.session.commit()
    html = client.get("/admin/contact/new/").get_data(as_text=True)
    assert 'id="client_number"' not in html
    assert post_contact(form_data(client_number="9")).status_code == 302
    assert saved(app, 501).name == "Novák Jan"


def test_client_number_change_is_in_the_history(app, post_contact, form_data, make_contact):
    contact_id = make_contact(client_number=2001)
    response = post_contact(form_data(client_number="2005", name="Novák Jan 1"), id=contact_id)
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        entry = db.session.scalars(sa.select(ChangeLog).where(ChangeLog.contact_id == contact_id)).one()
        assert entry.changes["client_number"] == {"old": 2001, "new": 2005}
        assert entry.user.username == "staff"


# --- Rule 2: private / corporate ------------------------------------------------------------


def test_corporate_contact_needs_a_company_name(app, post_contact, form_data):
    html = post_contact(form_data(is_corporate="y", company_id="25596641")).get_data(as_text=True)
    assert field_errors(html, "company_name") == ["A corporate client needs a company name."]
    assert input_value(html, "company_id") == "25596641"


def test_private_contact_keeps_no_company_name_but_its_company_and_vat_id(app, client, post_contact, form_data):
    data = form_data(company_name="Hidden s.r.o.", company_id="2559 6641", vat_id="cz25596641")
    assert post_contact(data).status_code == 302
    contact = saved(app)
    assert contact.company_name is None
    assert (contact.company_id, contact.vat_id) == ("25596641", "CZ25596641")
    html = client.get(f"/admin/contact/edit/?id={contact.id}").get_data(as_text=True)
    assert (input_value(html, "company_id"), input_value(html, "vat_id")) == ("25596641", "CZ25596641")


def test_corporate_block_is_marked_for_the_live_toggle(client, login):
    login("staff")
    html = client.get("/admin/contact/new/").get_data(as_text=True)
    block = html.split('data-checkbox="is_corporate"', 1)[1].split("data-checkbox=", 1)[0]
    assert 'id="company_name"' in block and 'id="contact_person"' in block
    # A self-employed person has a company and VAT ID too: shown whatever the checkbox says.
    assert 'id="company_id"' not in block and 'id="vat_id"' not in block
    assert 'id="company_id"' in html and 'id="vat_id"' in html


# --- Rule 3: address -------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["street", "postcode", "city"])
def test_address_fields_are_required(app, post_contact, form_data, field):
    html = post_contact(form_data(**{field: ""})).get_data(as_text=True)
    assert field_errors(html, field) == ["This field is required."]


@pytest.mark.parametrize(
    "country,typed,stored", [("CZ", "11000", "110 00"), ("CZ", "110 00", "110 00"), ("PL", "00-950", "00-950")]
)
def test_postcode_is_checked_per_country(app, post_contact, form_data, country, typed, stored):
    assert post_contact(form_data(country=country, postcode=typed, phone=None)).status_code == 302
    assert saved(app).postcode == stored


def test_wrong_postcode_shape_names_the_format(app, post_contact, form_data):
    html = post_contact(form_data(postcode="1100")).get_data(as_text=True)
    assert field_errors(html, "postcode") == ["Use the postcode format 123 45."]


def test_country_defaults_to_the_settings(app, client, login):
    with app.app_context():
        db.session.get(Setting, 1).default_country = "SK"
        db.session.commit()
    login("staff")
    html = client.get("/admin/contact/new/").get_data(as_text=True)
    assert re.search(r'<option selected value="SK">|<option value="SK" selected>', html)


@pytest.mark.parametrize(
    "typed,lat,lon",
    [
        ("50.0755, 14.4378", "50.075500", "14.437800"),
        ("50°4'31.8\"N 14°26'16.1\"E", "50.075500", "14.437806"),
        ("33°51'54\"S 151°12'34\"E", "-33.865000", "151.209444"),
        ("50.0755247N, 14.4378006E", "50.075525", "14.437801"),  # Mapy.cz, rounded to 6 places
        ("50,0755247, 14,4378006", "50.075525", "14.437801"),
        ("50,0755247 14,4378006", "50.075525", "14.437801"),
    ],
)
def test_gps_accepts_decimal_and_dms(app, post_contact, form_data, typed, lat, lon):
    assert post_contact(form_data(gps=typed)).status_code == 302
    contact = saved(app)
    assert (str(contact.gps_lat), str(contact.gps_lon)) == (lat, lon)


def test_a_stored_gps_is_shown_as_mapy_cz_writes_it_and_saves_back_unchanged(app, client, post_contact, form_data):
    assert post_contact(form_data(gps="50,0755247, 14,4378006")).status_code == 302
    contact_id = saved(app).id
    html = client.get(f"/admin/contact/edit/?id={contact_id}").get_data(as_text=True)
    assert input_value(html, "gps") == "50.075525N, 14.437801E"
    assert post_contact(form_data(gps=input_value(html, "gps")), id=contact_id).status_code == 302
    contact = saved(app)
    assert (str(contact.gps_lat), str(contact.gps_lon)) == ("50.075525", "14.437801")


@pytest.mark.parametrize("typed", ["95.1, 14.4", "50.1, 181", "north", "50°61'0\"N 14°0'0\"E", "50,1,14"])
def test_gps_out_of_range_or_garbled_is_a_field_error(app, post_contact, form_data, typed):
    html = post_contact(form_data(gps=typed)).get_data(as_text=True)
    assert field_errors(html, "gps")
    assert input_value(html, "gps") == typed


def test_installation_address_is_required_only_when_ticked(app, post_contact, form_data):
    html = post_contact(form_data(has_different_address="y", install_city="Brno")).get_data(as_text=True)
    assert field_errors(html, "install_street") == ["Fill in the installation address or untick the box."]
    assert input_value(html, "install_city") == "Brno"
    post_contact(form_data(install_street="Ignored 1"))
    assert saved(app).install_street is None


# --- Rule 5: identification -------------------------------------------------------------------


@pytest.mark.parametrize("field,typed", [("company_id", "25596642"), ("vat_id", "CZ25596642")])
def test_company_and_vat_ids_are_checked(app, post_contact, form_data, field, typed):
    html = post_contact(form_data(is_corporate="y", company_name="Firma", **{field: typed})).get_data(as_text=True)
    assert field_errors(html, field)
    assert contact_count(app) == 0


def test_a_slovak_contact_saves_with_a_slovak_vat_and_company_id(app, client, post_contact, form_data):
    data = form_data(country="SK", postcode="811 01", phone=None, company_id="35 763 469", vat_id="2022749619")
    assert post_contact(data).status_code == 302
    contact = saved(app)
    assert (contact.company_id, contact.vat_id) == ("35763469", "SK2022749619")


@pytest.mark.parametrize(
    "field,typed,message",
    [
        ("vat_id", "SK 2022749618", "Not a valid Slovak VAT ID (IČ DPH): SK and 10 digits."),
        ("vat_id", "CZ25596641", "Not a valid Slovak VAT ID (IČ DPH): SK and 10 digits."),
        ("company_id", "35763468", "Not a valid Slovak company ID (IČO): up to 8 digits, the last a check digit."),
    ],
)
def test_a_wrong_slovak_id_is_named_next_to_its_field_and_kept(app, post_contact, form_data, field, typed, message):
    data = form_data(country="SK", postcode="811 01", phone=None, name="Kováč Peter", **{field: typed})
    html = post_contact(data).get_data(as_text=True)
    assert field_errors(html, field) == [message]
    assert input_value(html, field) == typed and input_value(html, "name") == "Kováč Peter"
    assert contact_count(app) == 0


def test_an_id_number_is_stored_upper_case_without_spaces_and_shown_as_typed_after_an_error(
    app, post_contact, form_data
):
    html = post_contact(form_data(id_number="ab 123 456", postcode="1")).get_data(as_text=True)
    assert input_value(html, "id_number") == "ab 123 456"
    assert post_contact(form_data(id_number="ab 123 456")).status_code == 302
    assert saved(app).id_number == "AB123456"


def test_birth_date_cannot_be_in_the_future(app, post_contact, form_data):
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    html = post_contact(form_data(birth_date=tomorrow)).get_data(as_text=True)
    assert field_errors(html, "birth_date") == ["A birth date cannot be in the future."]


@pytest.mark.parametrize(
    "field,value,stored",
    [
        ("id_number", "AB123456", "AB123456"),
        ("id_number", "ab 123 456", "AB123456"),
        ("company_id", "25596641", "25596641"),
        ("email", "jan.novak@example.cz", "jan.novak@example.cz"),
        ("mobile", "601 123 456", "+420601123456"),
    ],
)
def test_duplicate_warns_names_and_links_then_saves_anyway(
    app, post_contact, form_data, make_contact, field, value, stored
):
    other_id = make_contact(client_number=1500, name="Starý Záznam", **{field: stored})
    extra = {"is_corporate": "y", "company_name": "Firma"} if field == "company_id" else {}
    data = form_data(**{field: value, "internal_note_1": "typed note"}, **extra)
    html = post_contact(data).get_data(as_text=True)
    assert "This contact may already exist" in html
    assert f'href="/admin/contact/edit/?id={other_id}"' in html and "1500 Starý Záznam" in html
    assert input_value(html, "internal_note_1") == "typed note"
    assert 'name="save_anyway"' in html
    assert contact_count(app) == 1
    assert post_contact({**data, "save_anyway": "y"}).status_code == 302
    assert contact_count(app) == 2


def test_live_duplicate_check_returns_matching_contacts(app, client, login, make_contact):
    other_id = make_contact(client_number=1500, name="Starý Záznam", company_id="25596641")
    login("staff")
    found = client.get("/admin/contact/duplicates/?field=company_id&value=2559 6641").get_json()
    assert found == [
        {"id": other_id, "client_number": 1500, "name": "Starý Záznam", "url": f"/admin/contact/edit/?id={other_id}"}
    ]
    assert client.get(f"/admin/contact/duplicates/?field=company_id&value=25596641&id={other_id}").get_json() == []
    assert client.get("/admin/contact/duplicates/?field=name&value=x").get_json() == []
    assert client.get("/admin/contact/duplicates/?field=mobile&value=garbage").get_json() == []


# --- Rule 6: e-mails ---------------------------------------------------------------------------


def test_several_emails_are_accepted_and_normalised(app, post_contact, form_data):
    post_contact(form_data(email="a@example.cz; b@example.cz", invoice_email="faktury@example.cz"))
    assert saved(app).email == "a@example.cz, b@example.cz"


def test_the_bad_address_is_named(app, post_contact, form_data):
    html = post_contact(form_data(tech_email="ok@example.cz, broken@@example")).get_data(as_text=True)
    assert field_errors(html, "tech_email") == ["“broken@@example” is not a valid e-mail address."]


def test_sending_invoices_by_email_needs_an_address(app, post_contact, form_data):
    html = post_contact(form_data(email="", invoice_by_email="y")).get_data(as_text=True)
    assert field_errors(html, "invoice_by_email") == ["Sending invoices by e-mail needs an invoicing or main e-mail."]
    assert post_contact(form_data(email="", invoice_email="f@example.cz")).status_code == 302


# --- Rule 7: phones and web ----------------------------------------------------------------------


def test_phones_are_stored_in_international_form(app, post_contact, form_data):
    post_contact(form_data(phone="222 111 333", mobile="+421 905 123 456", fax=""))
    contact = saved(app)
    assert (contact.phone, contact.mobile, contact.fax) == ("+420222111333", "+421905123456", None)


def test_invalid_phone_is_a_field_error_with_the_text_kept(app, post_contact, form_data):
    html = post_contact(form_data(mobile="12")).get_data(as_text=True)
    assert field_errors(html, "mobile")
    assert input_value(html, "mobile") == "12"


def test_web_address_is_validated(app, post_contact, form_data):
    html = post_contact(form_data(www="not a url")).get_data(as_text=True)
    assert field_errors(html, "www") == ["This is not a web address."]
    post_contact(form_data(www="www.example.cz"))
    assert saved(app).www == "https://www.example.cz"


# --- Rule 8: flags ----------------------------------------------------------------------------------


def test_flags_are_saved(app, post_contact, form_data):
    post_contact(form_data(is_marked="y", marked_reason="VIP customer", no_bulk_email="y", show_info_messages=None))
    contact = saved(app)
    assert (contact.is_marked, contact.marked_reason, contact.no_bulk_email, contact.show_info_messages) == (
        True,
        "VIP customer",
        True,
        False,
    )


# --- Rule 9: portal ---------------------------------------------------------------------------------


def test_new_contact_gets_login_and_a_password_shown_once(app, client, post_contact, form_data):
    response = post_contact(form_data(), follow=True)
    html = response.get_data(as_text=True)
    password = re.search(r'id="new-portal-password">([^<]+)</code>', html).group(1)
    contact = saved(app)
    assert contact.portal_login == "2001"
    assert password not in (contact.portal_password_hash or "")
    assert check_portal_password(contact, password)
    assert len(password) >= 12
    assert "new-portal-password" not in client.get(f"/admin/contact/edit/?id={contact.id}").get_data(as_text=True)


def test_generate_new_password_on_edit(app, post_contact, form_data):
    post_contact(form_data())
    contact = saved(app)
    html = post_contact(form_data(generate_password="y"), id=contact.id, follow=True).get_data(as_text=True)
    password = re.search(r'id="new-portal-password">([^<]+)</code>', html).group(1)
    assert check_portal_password(saved(app), password)
    assert not check_portal_password(contact, password)


def test_portal_login_must_be_unique(app, post_contact, form_data, make_contact):
    make_contact(client_number=1500, name="Držitel Loginu", portal_login="jan")
    html = post_contact(form_data(portal_login="jan")).get_data(as_text=True)
    assert "Držitel Loginu" in field_errors(html, "portal_login")[0]


# --- Rules 10-12: classification, internal notes, invoicing -----------------------------------------


def test_status_change_records_when(app, post_contact, form_data):
    from models import ClientStatus

    with app.app_context():
        status = ClientStatus(name="Connected", colour="#00aa00")
        db.session.add(status)
        db.session.commit()
        status_id = status.id
    post_contact(form_data(client_status=str(status_id)))
    assert saved(app).status_changed_at is not None


def test_template_variables_use_internal_notes(app, post_contact, form_data):
    post_contact(form_data(internal_note_1="gate code 42", internal_note_2="dog"))
    contact = saved(app)
    text = "Hi $CLI_NAME$ ($CLI_NUMBER$): $CLI_INTERNAL_NOTE_1$, $CLI_INTERNAL_NOTE_2$ $UNKNOWN$ $CLI_INVOICE_EMAIL$"
    assert (
        render_template_vars(text, contact) == "Hi Novák Jan (2001): gate code 42, dog $UNKNOWN$ jan.novak@example.cz"
    )


def test_form_preselects_default_payment_type_and_last_invoice_group(
    app, client, post_contact, form_data, make_invoice_group
):
    second = make_invoice_group(name="Second").id
    post_contact(form_data(invoice_group=str(second)))
    html = client.get("/admin/contact/new/").get_data(as_text=True)
    assert re.search(rf'<option selected value="{second}">Second', html)
    assert re.search(r'<option selected value="\d+">Bank transfer', html)
    assert "checked" in re.search(r'<input[^>]*id="invoice_by_email"[^>]*>', html).group(0)
    assert input_value(html, "invoicing_day") == "1"
    assert input_value(html, "due_days") == "14"


def test_bulk_payment_needs_its_number(app, post_contact, form_data):
    with app.app_context():
        bulk = db.session.scalar(sa.select(PaymentType.id).where(PaymentType.system_code == "bulk_payment"))
    html = post_contact(form_data(payment_type=str(bulk))).get_data(as_text=True)
    assert field_errors(html, "bulk_payment_number") == ["Bulk payment needs the bulk payment number."]


@pytest.mark.parametrize("field,typed", [("invoicing_day", "29"), ("invoicing_day", "0"), ("due_days", "-1")])
def test_invoicing_day_and_due_days_ranges(app, post_contact, form_data, field, typed):
    html = post_contact(form_data(**{field: typed})).get_data(as_text=True)
    assert field_errors(html, field)
    assert input_value(html, field) == typed


def test_bank_details_are_checked(app, post_contact, form_data):
    html = post_contact(
        form_data(bank_account="19-2000145398/0800", iban="CZ65 0800 0000 1920 0014 5398", bic="GIBA")
    ).get_data(as_text=True)
    assert field_errors(html, "bank_account") and field_errors(html, "iban") and field_errors(html, "bic")
    post_contact(form_data(bank_account="19-2000145399/0800", iban="CZ65 0800 0000 1920 0014 5399", bic="GIBACZPX"))
    contact = saved(app)
    assert (contact.bank_account, contact.iban) == ("19-2000145399/0800", "CZ6508000000192000145399")


@pytest.mark.parametrize(
    "typed,message",
    [("12a", "Only digits"), ("12345678901", "1 to 10 digits"), ("2001", "this contact's client number")],
)
def test_extra_variable_symbols_are_digits_and_not_own_number(app, post_contact, form_data, typed, message):
    html = post_contact(form_data(extra_vs_2=typed)).get_data(as_text=True)
    assert message in field_errors(html, "extra_vs_2")[0]


def test_extra_variable_symbol_must_not_be_anyone_elses(app, post_contact, form_data, make_contact):
    make_contact(client_number=1500, name="Platí Jinak", extra_vs_3=777)
    html = post_contact(form_data(extra_vs_1="1500", extra_vs_2="777")).get_data(as_text=True)
    assert "Platí Jinak" in field_errors(html, "extra_vs_1")[0]
    assert "Platí Jinak" in field_errors(html, "extra_vs_2")[0]
    html = post_contact(form_data(extra_vs_1="555", extra_vs_2="555")).get_data(as_text=True)
    assert field_errors(html, "extra_vs_2")


@pytest.mark.parametrize(
    "field,typed,held,message",
    [
        ("extra_vs_1", "555", {"extra_vs_1": 555}, "Contact 1500 Rychlý Karel already pays with this symbol."),
        ("extra_vs_3", "777", {"extra_vs_3": 777}, "Contact 1500 Rychlý Karel already pays with this symbol."),
        ("portal_login", "karel", {"portal_login": "karel"}, "This login is used by 1500 Rychlý Karel."),
    ],
)
def test_a_value_taken_in_a_race_is_the_same_field_error(
    app, post_contact, form_data, make_contact, monkeypatch, field, typed, held, message
):
    import admin_views.contacts.view

    make_contact(client_number=1500, name="Rychlý Karel", **held)
    # The check before saving misses the other contact, as when another clerk saves a moment
    # later; the database's unique index refuses the write.
    monkeypatch.setattr(admin_views.contacts.view, "uniqueness_errors", lambda values, exclude_id: {})
    response = post_contact(form_data(name="Pomalá Jana", **{field: typed}))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert field_errors(html, field) == [message]
    assert "Another contact was saved with the same value meanwhile; nothing was saved." in html
    assert input_value(html, "name") == "Pomalá Jana"
    assert contact_count(app) == 1


def test_a_save_that_sets_a_symbol_waits_for_the_numbering_lock(app, post_contact, form_data, monkeypatch):
    import admin_views.contacts.view

    locked = []
    monkeypatch.setattr(admin_views.contacts.view, "lock_numbering", lambda: locked.append(True))
    assert post_contact(form_data(extra_vs_1="555")).status_code == 302
    assert locked == [True]  # a new contact: its number and symbol
    contact_id = saved(app).id
    assert post_contact(form_data(extra_vs_1="555", name="Novák Jan ml."), id=contact_id).status_code == 302
    assert locked == [True]  # nothing new to give out: no turn to wait for
    assert post_contact(form_data(extra_vs_1="556"), id=contact_id).status_code == 302
    assert locked == [True, True]


# --- Rules 13-14: contact persons and notes ---------------------------------------------------------


def test_contact_persons_inline_need_a_name(app, post_contact, form_data):
    html = post_contact(form_data(**{"persons-0-name": "", "persons-0-role": "wife"})).get_data(as_text=True)
    assert "This field is required." in html
    post_contact(form_data(**{"persons-0-name": "Nováková Eva", "persons-0-role": "wife"}))
    with app.app_context():
        assert db.session.scalars(sa.select(ContactPerson.name)).all() == ["Nováková Eva"]


def test_notes_get_author_and_time_from_the_server(app, post_contact, form_data):
    post_contact(form_data(**{"notes-0-text": "Wants fibre", "notes-0-author_id": "999"}))
    with app.app_context():
        note = db.session.scalars(sa.select(Note)).one()
        assert note.text == "Wants fibre"
        assert note.author.username == "staff"
        assert note.created_at is not None


def test_ticked_inline_rows_are_deleted_and_new_ticked_rows_never_saved(app, post_contact, form_data):
    post_contact(form_data(**{"persons-0-name": "Keep", "persons-1-name": "Drop"}))
    with app.app_context():
        contact_id = db.session.scalar(sa.select(Contact.id))
        keep, drop = db.session.scalars(sa.select(ContactPerson.id).order_by(ContactPerson.id)).all()
    post_contact(
        form_data(
            **{
                "persons-0-id": str(keep),
                "persons-0-name": "Keep",
                "persons-1-id": str(drop),
                "persons-1-name": "Drop",
                "del-persons-1": "y",
                "persons-2-name": "",
                "persons-2-email": "not an address",
                "del-persons-2": "y",
                "notes-0-text": "Typed, then ticked",
                "del-notes-0": "y",
            }
        ),
        id=contact_id,
    )
    with app.app_context():
        assert db.session.scalars(sa.select(ContactPerson.name)).all() == ["Keep"]
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Note)) == 0


# --- Rule 15: every error at once, typed data kept, nothing half-saved --------------------------------


def test_three_errors_come_back_together_with_all_typed_values(app, post_contact, form_data):
    data = form_data(
        postcode="1",
        mobile="5",
        extra_vs_1="x",
        name="Žluťoučký Kůň",
        internal_note_2="<b>keep</b>",
        **{"persons-0-name": "Eva"},
    )
    html = post_contact(data).get_data(as_text=True)
    assert field_errors(html, "postcode") and field_errors(html, "mobile") and field_errors(html, "extra_vs_1")
    assert input_value(html, "name") == "Žluťoučký Kůň"
    assert input_value(html, "internal_note_2") == "<b>keep</b>"
    assert "<b>keep</b>" not in html
    assert input_value(html, "persons-0-name") == "Eva"
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ContactPerson)) == 0
    assert contact_count(app) == 0


def test_saving_goes_to_the_edit_page_and_records_creation(app, post_contact, form_data):
    response = post_contact(form_data())
    contact = saved(app)
    assert response.headers["Location"].endswith(f"/admin/contact/edit/?id={contact.id}")
    with app.app_context():
        entry = db.session.scalars(sa.select(ChangeLog)).one()
        assert entry.action == "create"
        assert entry.changes["name"] == {"old": None, "new": "Novák Jan"}
        assert "portal_password_hash" in entry.changes and "$" not in str(entry.changes["portal_password_hash"])
        assert db.session.get(User, entry.user_id).username == "staff"


def test_hidden_entries_are_not_offered_but_kept_on_contacts_that_use_them(app, client, login, make_contact):
    from models import ClientGroup

    with app.app_context():
        old, new = ClientGroup(name="Old group", hidden=True), ClientGroup(name="New group")
        db.session.add_all([old, new])
        db.session.commit()
        old_id = old.id
    contact_id = make_contact(client_group_id=old_id)
    login("staff")
    html = client.get("/admin/contact/new/").get_data(as_text=True)
    assert "New group" in html and "Old group" not in html
    html = client.get(f"/admin/contact/edit/?id={contact_id}").get_data(as_text=True)
    assert re.search(rf'<option selected value="{old_id}">Old group', html)


def test_status_select_carries_valid_colours_only(app, client, login):
    from models import ClientStatus

    with app.app_context():
        db.session.add_all([ClientStatus(name="Good", colour="#00aa00"), ClientStatus(name="Broken", colour="url(y)")])
        db.session.commit()
    login("staff")
    html = client.get("/admin/contact/new/").get_data(as_text=True)
    colours = re.search(
        r'<select[^>]*data-colours="([^"]*)"[^>]*id="client_status"|<select[^>]*id="client_status"[^>]*data-colours="([^"]*)"',
        html,
    )
    data = unescape(colours.group(1) or colours.group(2))
    assert "#00aa00" in data and "url" not in data


# --- Optimistic locking -------------------------------------------------------------------------


def test_saving_over_a_newer_version_is_refused_showing_the_other_change(
    app, client, post_contact, form_data, make_contact
):
    contact_id = make_contact(client_number=2001, name="Souběžný Karel", city="Praha")
    html = client.get(f"/admin/contact/edit/?id={contact_id}").get_data(as_text=True)
    opened = {"opened_version": input_value(html, "opened_version"), "history_mark": input_value(html, "history_mark")}
    assert opened["opened_version"] == "1"
    # Another clerk saves first.
    with app.app_context():
        from domain.history import pending_changes, record_change

        admin = db.session.scalars(sa.select(User).where(User.username == "admin")).one()
        contact = db.session.get(Contact, contact_id)
        contact.city = "Brno"
        record_change(contact, "update", pending_changes(contact), admin)
        db.session.commit()
    mine = form_data(name="Souběžný Karel", city="Ostrava", internal_note_2="my typing", **opened)
    html = post_contact(mine, id=contact_id).get_data(as_text=True)
    assert "Someone else saved this contact after you opened it." in html
    conflict = html.split('id="edit-conflict"')[1].split("</div>")[0]
    assert "Test admin" in conflict and "Praha → Brno" in conflict
    assert input_value(html, "city") == "Ostrava" and input_value(html, "internal_note_2") == "my typing"
    assert saved(app).city == "Brno"
    # Having seen it, the clerk saves again: the form now carries the current version.
    again = {
        **mine,
        "opened_version": input_value(html, "opened_version"),
        "history_mark": input_value(html, "history_mark"),
    }
    assert post_contact(again, id=contact_id).status_code == 302
    assert saved(app).city == "Ostrava"


def test_edit_without_the_opened_version_is_not_saved(app, client, login, make_contact, form_data):
    contact_id = make_contact(client_number=2001, city="Praha")
    login("staff")
    response = client.post(
        f"/admin/contact/edit/?id={contact_id}",
        data={"csrf_token": csrf_token(client, "/admin/"), **form_data(city="Brno")},
    )
    assert "Someone else saved this contact" in response.get_data(as_text=True)
    assert saved(app).city == "Praha"

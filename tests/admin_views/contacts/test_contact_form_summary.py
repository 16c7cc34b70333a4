"""The contact form in one pass: every error and duplicate warning after one save, listed in a summary;
"Save anyway" remembered for the same clash; sections folded as the clerk left them."""

from __future__ import annotations

import re

import sqlalchemy as sa
from babel import Locale

from models import AcknowledgedDuplicate, Contact, db
from tests.helpers import csrf_token, english_words_in, field_errors, input_value, user_named


def summary_links(html: str) -> list[str]:
    """The fields the summary's lines link to, in order."""
    summary = html.split('id="form-summary"', 1)[1].split("</div>\n</div>", 1)[0]
    return re.findall(r'<li><a href="#([^"]+)"', summary)


def contact_count(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(Contact))


def new_contact_id(app, number: int = 2001) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(Contact.id).where(Contact.client_number == number))


def test_one_save_shows_every_error_and_every_duplicate_warning(app, post_contact, form_data, make_contact):
    other = make_contact(client_number=1500, name="Starý Záznam", email="jan.novak@example.cz", id_number="AB123456")
    make_contact(client_number=1501, mobile="+420601123456")
    data = form_data(postcode="", mobile="12", extra_vs_1="abc", id_number="ab 123 456", internal_note_1="typed")
    html = post_contact(data).get_data(as_text=True)

    assert contact_count(app) == 2
    # Errors first, then warnings, each in the form's order; the invalid mobile is not checked.
    assert summary_links(html) == ["postcode", "mobile", "extra_vs_1", "id_number", "email"]
    assert field_errors(html, "postcode") == ["This field is required."]
    assert field_errors(html, "mobile") and field_errors(html, "extra_vs_1")
    for field in ("id_number", "email"):  # each warning also beside its field
        hint = re.search(rf'id="{field}-duplicates"[^>]*>(.*?)</div>', html, re.S).group(1)
        assert f'href="/admin/contact/edit/?id={other}"' in hint and "1500 Starý Záznam" in hint
    assert 'id="mobile-duplicates"' not in html
    assert re.search(r'<div class="alert alert-danger form-summary" id="form-summary" role="alert"', html)
    assert "Failed to create record." not in html  # Flask-Admin's vague message: the summary says it all
    assert '<button type="submit" class="btn btn-warning" name="save_anyway" value="y">' in html
    assert input_value(html, "internal_note_1") == "typed"
    assert input_value(html, "mobile") == "12"


def test_save_anyway_with_errors_left_saves_nothing_and_asks_again(app, post_contact, form_data, make_contact):
    make_contact(client_number=1500, email="jan.novak@example.cz")
    html = post_contact(form_data(postcode="", save_anyway="y")).get_data(as_text=True)
    assert summary_links(html) == ["postcode", "email"]
    assert contact_count(app) == 1


def test_save_anyway_is_remembered_for_the_same_clash_on_later_edits(app, post_contact, form_data, make_contact):
    first = make_contact(client_number=1500, name="Starý Záznam", email="jan.novak@example.cz")
    data = form_data()
    assert summary_links(post_contact(data).get_data(as_text=True)) == ["email"]
    assert post_contact({**data, "save_anyway": "y"}).status_code == 302
    me = new_contact_id(app)
    with app.app_context():
        [row] = db.session.scalars(sa.select(AcknowledgedDuplicate)).all()
        assert (row.contact_id, row.other_contact_id, row.kind) == (me, first, "email")
        assert row.user_id == user_named("staff").id

    # A later edit with the same clash saves at once, twice.
    assert post_contact({**data, "name": "Novák Jan ml."}, id=me).status_code == 302
    assert post_contact({**data, "city": "Brno"}, id=me).status_code == 302

    # A new clash (another contact, or another kind of value) still asks, and names only the new one.
    second = make_contact(client_number=1600, name="Jiný Záznam", email="jan.novak@example.cz", id_number="AB123456")
    html = post_contact({**data, "id_number": "AB123456"}, id=me).get_data(as_text=True)
    assert summary_links(html) == ["id_number", "email"]
    warnings = html.split('id="duplicate-warnings"', 1)[1]
    assert "1600 Jiný Záznam" in warnings and "Starý Záznam" not in warnings
    assert f'href="/admin/contact/edit/?id={second}"' in warnings


def test_a_clash_confirmed_on_one_contact_is_not_asked_on_the_other(app, post_contact, form_data, make_contact):
    first = make_contact(client_number=1500, mobile="+420601123456")
    post_contact(form_data(mobile="601 123 456", save_anyway="y"))
    edit = form_data(client_number="1500", email="prvni@example.cz", mobile="601 123 456")
    assert post_contact(edit, id=first).status_code == 302


def test_the_live_check_leaves_out_confirmed_contacts(app, client, post_contact, form_data, make_contact):
    make_contact(client_number=1500, email="jan.novak@example.cz")
    post_contact(form_data(save_anyway="y"))
    me = new_contact_id(app)
    url = "/admin/contact/duplicates/?field=email&value=jan.novak@example.cz"
    assert client.get(f"{url}&id={me}").get_json() == []
    assert [found["client_number"] for found in client.get(url).get_json()] == [1500, 2001]


def test_sections_are_folded_as_the_clerk_left_them_but_open_with_a_problem(app, client, post_contact, form_data):
    token = csrf_token(client, "/admin/")
    folded = {"csrf_token": token, "item": ["identification", "invoicing"]}
    assert client.post("/admin/preferences/contact_form_folded", data=folded).status_code == 204

    def state(html: str, section: str) -> tuple[str, bool]:
        toggle = re.search(rf'aria-expanded="(\w+)"\s+aria-controls="section-{section}"', html).group(1)
        return toggle, bool(re.search(rf'id="section-{section}" hidden', html))

    html = client.get("/admin/contact/new/").get_data(as_text=True)
    assert state(html, "identification") == ("false", True)
    assert state(html, "invoicing") == ("false", True)
    assert state(html, "address") == ("true", False)

    html = post_contact(form_data(birth_date="2999-01-01")).get_data(as_text=True)
    assert state(html, "identification") == ("true", False)
    assert state(html, "invoicing") == ("false", True)
    assert 'data-folded-url="/admin/preferences/contact_form_folded"' in html


def test_an_inline_rows_error_is_listed_by_its_row(app, post_contact, form_data):
    html = post_contact(form_data(**{"persons-0-name": "", "persons-0-email": "eva@"})).get_data(as_text=True)
    assert summary_links(html) == ["persons-0-name", "persons-0-email"]
    assert "Contact person 1: Name</a>: This field is required." in html


def test_the_summary_speaks_czech(app, client, post_contact, form_data, make_contact, invoice_group):
    make_contact(
        client_number=1500, name="Kowalski Zbigniew", email="jan.novak@example.cz", invoice_group_id=invoice_group
    )
    data = {"csrf_token": csrf_token(client, "/admin/"), **form_data(postcode="", mobile="12")}
    html = client.post("/admin/contact/new/", data=data, headers={"Accept-Language": "cs"}).get_data(as_text=True)
    assert summary_links(html) == ["postcode", "mobile", "email"]
    assert "Nic nebylo uloženo" in html and "Přesto uložit" in html
    # The test's data, and the country codes in the country list ("Island (IS)", "Norsko (NO)").
    allowed = ("Kowalski Zbigniew", "jan.novak@example.cz", *(f"({code})" for code in Locale("en").territories))
    assert english_words_in(html, allowed=allowed) == []

"""Every page of the contacts area speaks the clerk's language: no English word on a Czech page,
no Czech word on an English one."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import partial

import pytest
import sqlalchemy as sa
from babel import Locale

from domain.contacts import restore, soft_delete
from domain.history import pending_changes, pending_row_changes, record_change, row_changes
from domain.revert import revert_change
from domain.settings import SYSTEM_PAYMENT_TYPES
from models import ChangeLog, ClientGroup, Contact, ContactPerson, Note, db
from tests.helpers import czech_words_in, english_words_in, user_named

# The test's own data: names that are neither Czech nor words of the interface.
DATA = (
    "Kowalski Zbigniew",
    "Bergstrom Lars",
    "Zephyr Omnitel",
    "Ulica Pomorska",
    "Opava",
    "Gamma",
    "Delta",
    "Ingrid Solberg",
    "Jotunheim",
    "Omega",
    "Fast",
    "Internet",
    "zb@example.org",
    *(name for _, name in SYSTEM_PAYMENT_TYPES),  # the payment types' names are the office's data
    *(f"({code})" for code in Locale("en").territories),  # "Norsko (NO)": the country's code
    *Locale("en").territories.values(),  # "Réunion": a country's English name
)
PAGES = (
    "list",
    "search",
    "create",
    "edit private",
    "edit corporate",
    "card",
    "history",
    "persons",
    "person form",
    "notes",
    "note form",
    "deleted",
    "bulk change",
)


@pytest.fixture
def pages(app, make_contact, make_service, make_invoice_group):
    """The URL of each page, over a private contact and a corporate client with a service, persons,
    notes and a history of several kinds (create, edit incl. a code list and a person, delete,
    restore, revert)."""
    with app.app_context():
        gamma, delta = ClientGroup(name="Gamma"), ClientGroup(name="Delta")
        db.session.add_all([gamma, delta])
        db.session.commit()
        group_ids = gamma.id, delta.id
    invoice_group = make_invoice_group(name="Omega").id
    make_contact = partial(make_contact, invoice_group_id=invoice_group, street="Ulica Pomorska 9")
    private = make_contact(name="Kowalski Zbigniew", street="Ulica Pomorska 5", city="Opava", email="zb@example.org")
    corporate = make_contact(
        name="Zephyr Omnitel",
        is_corporate=True,
        company_name="Zephyr Omnitel",
        street="Ulica Pomorska 7",
        city="Opava",
        client_group_id=group_ids[0],
    )
    make_service(corporate, price=Decimal("450.50"), start_date=date(2026, 1, 1))
    deleted = make_contact(name="Bergstrom Lars", city="Opava")
    with app.app_context():
        staff = user_named("staff")
        contact = db.session.get(Contact, corporate)
        record_change(contact, "create", {"name": {"old": None, "new": "Zephyr Omnitel"}}, staff)
        contact.persons.append(ContactPerson(name="Ingrid Solberg", phone="+420 601 123 456"))
        contact.notes.append(Note(text="Jotunheim", author=staff))
        db.session.flush()
        contact.city, contact.client_group_id, contact.is_marked = "Jotunheim", group_ids[1], True
        contact.persons[0].phone = "+420 602 000 111"
        changes, rows = pending_changes(contact), pending_row_changes(contact)
        db.session.flush()
        edit = record_change(contact, "update", changes | row_changes(rows), staff)
        db.session.commit()
        soft_delete(contact, staff)
        db.session.commit()
        restore(contact, staff)
        db.session.commit()
        assert revert_change(edit, user_named("admin")) is None
        soft_delete(db.session.get(Contact, deleted), staff)
        db.session.commit()
        assert db.session.scalar(sa.select(sa.func.count(ChangeLog.id))) >= 5
    return {
        "list": "/admin/contact/",
        "search": "/admin/contact/?search=Opava",
        "create": "/admin/contact/new/",
        "edit private": f"/admin/contact/edit/?id={private}",
        "edit corporate": f"/admin/contact/edit/?id={corporate}",
        "card": f"/admin/contact/details/?id={corporate}",
        "history": "/admin/change_log/",
        "persons": "/admin/contact_person/",
        "person form": "/admin/contact_person/new/",
        "notes": "/admin/note/",
        "note form": "/admin/note/new/",
        "deleted": "/admin/deleted_contact/",
        "bulk change": f"/admin/contact/bulk/?ids={private}&ids={corporate}",
    }


def filter_urls(app, endpoint: str) -> dict[str, str]:
    """A list with each of its filters applied once, by the filter's name."""
    view = next(v for v in app.extensions["admin"][0]._views if v.endpoint == endpoint)
    urls = {}
    for index, flt in enumerate(view._filters):
        with app.app_context():
            options = flt.get_options(view)
        value = options[0][0] if options else "2026-01-01 to 2026-12-31"
        urls[str(flt.name)] = f"/admin/{endpoint}/?{view.get_filter_arg(index, flt)}={value}"
    return urls


def page_html(client, url: str, language: str) -> str:
    response = client.get(url, headers={"Accept-Language": language})
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


@pytest.mark.parametrize("page", PAGES)
def test_a_contacts_page_speaks_only_the_clerks_language(staff, pages, page):
    english = english_words_in(page_html(staff, pages[page], "cs"), allowed=DATA)
    czech = czech_words_in(page_html(staff, pages[page], "en"), allowed=DATA)
    assert not english, f"English on the Czech {page} page: {english}"
    assert not czech, f"Czech on the English {page} page: {czech}"


@pytest.mark.parametrize("endpoint", ["contact", "change_log"])
def test_a_list_speaks_one_language_with_each_filter(app, staff, pages, endpoint):
    leftovers = {}
    for name, url in filter_urls(app, endpoint).items():
        for language, words_in in (("cs", english_words_in), ("en", czech_words_in)):
            html = page_html(staff, url, language)
            assert 'id="active-filters-data" class="d-none">[]' not in html, f"{name} was not applied"
            found = words_in(html, DATA)
            if found:
                leftovers[f"{name} ({language})"] = found
    assert leftovers == {}

"""The portal and the login pages speak the visitor's language: no English word on a Czech page,
no Czech word on an English one."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from models import ContactPerson, InfoMessage, db
from tests.helpers import PORTAL_PASSWORD, csrf_token, czech_words_in, english_words_in

# The test's own data: names that are neither Czech nor words of the interface.
DATA = ("Kowalski Zbigniew", "Ulica Pomorska 5", "Opava", "Ingrid Solberg", "Internet", "Fast", "zb@example.org")
# What the refused forms were given; a refused form shows it again.
TYPED = {"email": "not an address", "phone": "12", "old_password": "wrong", "new_password": "a"}
PAGES = (
    "login",
    "login refused",
    "overview",
    "my details",
    "my details refused",
    "password",
    "password refused",
    "staff login",
    "staff login refused",
    "staff login from a staff page",
    "login from a portal page",
)


def post(client, url: str, language: str, **data):
    data["csrf_token"] = csrf_token(client, url)
    return client.post(url, data=data, headers={"Accept-Language": language})


def page(client, name: str, language: str) -> str:
    """The page of that name, as a client (or a visitor, for the login pages) sees it."""
    if name in ("login", "staff login"):
        response = client.get("/portal/login" if name == "login" else "/login", headers={"Accept-Language": language})
    elif name == "login refused":
        response = post(client, "/portal/login", language, login="7001", password="wrong")
    elif name.endswith("page"):  # sent to log in first
        url = "/admin/contact/" if "staff" in name else "/portal/details"
        response = client.get(url, headers={"Accept-Language": language}, follow_redirects=True)
    elif name == "staff login refused":
        response = post(client, "/login", language, username="nobody", password="wrong")
    else:
        post(client, "/portal/login", language, login="7001", password=PORTAL_PASSWORD)
        url = {"overview": "/portal/", "my": "/portal/details", "password": "/portal/password"}[name.split()[0]]
        if name.endswith("refused"):
            response = post(client, url, language, **TYPED)
        else:
            response = client.get(url, headers={"Accept-Language": language})
    html = response.get_data(as_text=True)
    assert response.status_code == 200, name
    if name.endswith("refused"):  # the page shows its error messages
        assert 'class="error"' in html or "invalid-feedback" in html, name
    return html


@pytest.fixture
def portal_client(app, make_portal_client, make_service):
    """A client with a contact person, a service and an info message."""
    contact_id = make_portal_client(
        client_number=7001, name="Kowalski Zbigniew", street="Ulica Pomorska 5", city="Opava", email="zb@example.org"
    )
    make_service(contact_id, tariff_name="Fast", price=Decimal("450.50"), start_date=date(2026, 1, 1))
    with app.app_context():
        db.session.add(ContactPerson(contact_id=contact_id, name="Ingrid Solberg"))
        db.session.add(InfoMessage(title="Opava", body="<p>Ingrid Solberg</p>", audience="all"))
        db.session.commit()
    return contact_id


@pytest.mark.parametrize("name", PAGES)
def test_a_portal_page_in_czech_has_no_english_word(client, portal_client, name):
    words = english_words_in(page(client, name, "cs"), allowed=(*DATA, *TYPED.values()))
    assert not words, f"English on the Czech {name} page: {words}"


@pytest.mark.parametrize("name", PAGES)
def test_a_portal_page_in_english_has_no_czech_word(client, portal_client, name):
    words = czech_words_in(page(client, name, "en"), allowed=DATA)
    assert not words, f"Czech on the English {name} page: {words}"


@pytest.mark.parametrize(
    ("language", "shown"), [("cs", "Hromadné e-maily a SMS: zasíláme"), ("en", "Bulk e-mail and SMS: we send them")]
)
def test_the_overview_says_whether_bulk_e_mail_is_sent(client, portal_client, language, shown):
    html = page(client, "overview", language)
    assert shown.split(": ")[0] in html and f"<dd>{shown.split(': ')[1]}</dd>" in html

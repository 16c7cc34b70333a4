"""Which language a request is shown in without a choice, and the provider's time zone setting."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from domain.settings import get_settings
from models import ChangeLog, Note, db
from tests.helpers import csrf_token, make_app


@pytest.mark.parametrize(
    "accept_language, button",
    [("cs-CZ,cs;q=0.9", "Přihlásit se"), ("en-GB,en;q=0.9", "Log in"), ("de,en;q=0.5", "Log in")],
)
def test_an_anonymous_browser_gets_its_language(client, accept_language, button):
    html = client.get("/login", headers={"Accept-Language": accept_language}).get_data(as_text=True)
    assert f">{button}</button>" in html


def test_a_browser_naming_neither_language_gets_czech(database, tmp_path):
    """The installation's default (app.py: BABEL_DEFAULT_LOCALE) is Czech; the tests' app is English."""
    app = make_app(database.fresh_url(), INSTANCE_PATH=str(tmp_path / "instance"), BABEL_DEFAULT_LOCALE="cs")
    client = app.test_client()
    for headers in ({"Accept-Language": "de"}, {}):
        assert ">Přihlásit se</button>" in client.get("/login", headers=headers).get_data(as_text=True)


@pytest.fixture
def card_at_noon_utc(app, make_contact):
    """A contact with a note and a history entry made at 12:00 UTC on 1 December 2026."""
    contact_id = make_contact(name="Dvořák Petr")
    noon = datetime(2026, 12, 1, 12, 0, 30, 123456, tzinfo=UTC)
    with app.app_context():
        db.session.add(Note(contact_id=contact_id, text="Volal kvůli faktuře", created_at=noon))
        db.session.add(ChangeLog(contact_id=contact_id, action="update", changes={}, created_at=noon))
        db.session.commit()
    return f"/admin/contact/details/?id={contact_id}"


def test_the_card_shows_times_in_prague_time_without_seconds(staff, card_at_noon_utc):
    html = staff.get(card_at_noon_utc, headers={"Accept-Language": "cs"}).get_data(as_text=True)
    assert html.count("1. 12. 2026 13:00") == 2  # the note and the history entry
    assert "12:00" not in html and "13:00:30" not in html and "123456" not in html


def test_the_time_zone_setting_changes_the_shown_times(app, staff, card_at_noon_utc):
    with app.app_context():
        get_settings().time_zone = "America/New_York"
        db.session.commit()
    html = staff.get(card_at_noon_utc, headers={"Accept-Language": "cs"}).get_data(as_text=True)
    assert "1. 12. 2026 7:00" in html and "13:00" not in html


def settings_form(admin, **overrides) -> dict:
    data = {
        "csrf_token": csrf_token(admin, "/admin/setting/edit/?id=1"),
        "client_number_mode": "manual",
        "default_country": "CZ",
        "default_due_days": "14",
        "min_search_length": "2",
        "session_idle_minutes": "30",
        "session_lifetime_hours": "12",
        "time_zone": "Europe/Prague",
    }
    return data | overrides


def test_the_settings_offer_the_time_zones(app, admin):
    html = admin.get("/admin/setting/edit/?id=1").get_data(as_text=True)
    assert '<option selected value="Europe/Prague">' in html and 'value="America/New_York"' in html
    response = admin.post("/admin/setting/edit/?id=1", data=settings_form(admin, time_zone="Europe/London"))
    assert response.status_code == 302
    with app.app_context():
        assert get_settings().time_zone == "Europe/London"


def test_an_unknown_time_zone_is_a_message_next_to_the_field(app, admin):
    response = admin.post(
        "/admin/setting/edit/?id=1", data=settings_form(admin, time_zone="Mars/Olympus", default_due_days="21")
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Not a valid choice" in html and 'value="21"' in html
    with app.app_context():
        assert get_settings().time_zone == "Europe/Prague"


def test_the_cards_history_shows_changed_values_in_the_locale(app, staff, make_contact):
    contact_id = make_contact(name="Veselý Tomáš")
    changes = {
        "birth_date": {"old": "1985-02-12", "new": "1986-03-04"},
        "opening_balance": {"old": "0.00", "new": "1450.50"},
        "deleted_at": {"old": "2026-12-01T12:05:00.123456+00:00", "new": None},
        "no_bulk_email": {"old": False, "new": True},
    }
    with app.app_context():
        db.session.add(ChangeLog(contact_id=contact_id, action="restore", changes=changes))
        db.session.commit()
    html = staff.get(f"/admin/contact/details/?id={contact_id}", headers={"Accept-Language": "cs"}).get_data(
        as_text=True
    )
    assert "12. 2. 1985" in html and "4. 3. 1986" in html and "1\xa0450,50\xa0Kč" in html
    assert "1. 12. 2026 13:05" in html and "123456" not in html
    assert "<del>Ne</del>" in html and "<ins>Ano</ins>" in html

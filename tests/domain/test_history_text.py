"""How a history entry reads: actions and fields by their labels, values as a clerk reads them (no HTTP)."""

from __future__ import annotations

from itertools import pairwise

import pytest

from domain.history_text import HistoryText, action_text
from models import ChangeLog, ClientGroup
from tests.helpers import StatementCounter, add_named

LABELS = {"client_group": "Group", "is_marked": "Marked", "city": "City"}


def described(app, language: str, *changes: dict) -> list[list[tuple[str, str, str]]]:
    """Each entry's changes as HistoryText describes them in that language."""
    entries = [ChangeLog(action="update", changes=c) for c in changes]
    with app.test_request_context(headers={"Accept-Language": language}):
        text = HistoryText(entries, LABELS)
        return [text.changes(entry) for entry in entries]


def test_fields_by_label_code_lists_by_name_and_booleans_as_yes_or_no(app):
    with app.app_context():
        gold, silver = add_named(ClientGroup, "Gold"), add_named(ClientGroup, "Silver")
    [changes] = described(
        app,
        "cs",
        {
            "client_group_id": {"old": gold, "new": silver},
            "is_marked": {"old": False, "new": True},
            "city": {"old": "Opava", "new": None},
            "birth_date": {"old": None, "new": "1985-02-12"},
            "opening_balance": {"old": "0", "new": "1450.50"},
            "suspend_mode": {"old": "global", "new": "never"},
        },
    )
    assert changes[:4] == [
        ("Group", "Gold", "Silver"),
        ("Marked", "Ne", "Ano"),
        ("City", "Opava", "—"),
        ("birth_date", "—", "12. 2. 1985"),
    ]
    assert changes[4] == ("opening_balance", "0,00\xa0Kč", "1\xa0450,50\xa0Kč")


def test_persons_notes_and_services_are_named_by_kind_and_field(app):
    [changes] = described(
        app,
        "cs",
        {
            "person 7: id": {"old": None, "new": 7},
            "person 7: name": {"old": None, "new": "Eva"},
            "person 7: phone": {"old": None, "new": "+420601000001"},
            "person 8: role": {"old": "syn", "new": None},
            "note 3: id": {"old": 3, "new": None},
            "Fast: state": {"old": "active", "new": "ended"},
        },
    )
    # A person by its name (from the entry, else as it is now: person 8 is gone), never by its id.
    assert changes == [
        ("Kontaktní osoba Eva", "—", "přidáno"),
        ("Kontaktní osoba Eva: Jméno / název", "—", "Eva"),
        ("Kontaktní osoba Eva: Telefon", "—", "+420 601 000 001"),
        ("Kontaktní osoba: Role", "syn", "—"),
        ("Poznámka", "—", "odebráno"),
        ("Fast: Stav", "Aktivní", "Ukončená"),
    ]


@pytest.mark.parametrize(
    ("language", "action", "shown"),
    [
        ("cs", "create", "Kontakt přidán"),
        ("cs", "revert of #12", "Vrácení změny #12"),
        ("cs", "portal edit", "Upraveno klientem v portálu"),
        ("en", "revert of #12", "Revert of change #12"),
        ("en", "delete", "Contact deleted"),
    ],
)
def test_actions_read_in_the_users_language(app, language, action, shown):
    with app.test_request_context(headers={"Accept-Language": language}):
        assert action_text(action) == shown


def test_one_query_per_code_list_whatever_the_number_of_entries(app):
    with app.app_context():
        groups = [add_named(ClientGroup, f"G{n}") for n in range(6)]
    changes = [{"client_group_id": {"old": a, "new": b}} for a, b in pairwise(groups)]
    counter = StatementCounter(app)
    with counter:
        rows = described(app, "en", *changes)
    assert [row[0][1:] for row in rows] == [(f"G{n}", f"G{n + 1}") for n in range(5)]
    assert counter.count == 1

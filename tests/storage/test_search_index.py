"""The search rule: the indexed SQL condition and its Python twin find the same contacts."""

from __future__ import annotations

import sqlalchemy as sa

from models import Contact, db
from storage.search_index import matches_search, search_condition, search_terms

CONTACTS = [
    {"name": "Novák Jan", "phone": "+420601123456"},
    {"name": "Nováková Marie", "email": "marie@example.cz"},
    {"name": "Žlutý kůň s.r.o.", "city": "Brno"},
    {"name": "100% Praha_1"},
    {"name": "Back\\slash"},
    {"name": "Ivanov Petr", "internal_note_1": "brána 42"},
]
TERMS = [
    "novak",
    "NOVÁK",
    "nov jan",
    "ja",
    "%",
    "_",
    "100%",
    "a_1",
    "\\",
    "kůň",
    "zluty kun",
    "601 12",
    "601123",
    "van",
    "x",
    "praha",
    "brana 4",
    "example.cz nova",
    "ová",
]


def test_sql_and_python_find_the_same_contacts(app, make_contact):
    """ContactView reads a frequent search's page along the list's order with matches_search:
    it must agree with search_condition (FTS5 or pg_trgm and LIKE) on every kind of term."""
    for values in CONTACTS:
        make_contact(**values)
    with app.app_context():
        texts = dict(db.session.execute(sa.select(Contact.id, Contact.search_text)).all())
        dialect = db.engine.dialect.name
        for term in TERMS:
            by_sql = set(db.session.scalars(sa.select(Contact.id).where(search_condition(term, dialect))))
            by_python = {contact_id for contact_id, text in texts.items() if matches_search(text, search_terms(term))}
            assert by_sql == by_python, term
        assert len(set(db.session.scalars(sa.select(Contact.id).where(search_condition("novak", dialect))))) == 2

"""Change counters: every write to an area's tables moves its counter, whoever writes."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from models import ClientGroup, Contact, db
from storage.change_counters import ChangeCache, read_change_counters


def counters(app) -> dict[str, int]:
    with app.app_context():
        return read_change_counters()


def test_a_database_that_never_changed_counts_zero(app):
    with app.app_context():
        db.session.execute(sa.delete(sa.table("change_counter")))
        db.session.commit()
        assert read_change_counters() == {"contacts": 0, "code_lists": 0}


def test_contact_writes_move_the_contacts_counter(app, make_contact):
    before = counters(app)
    contact_id = make_contact(name="Counted")
    after_insert = counters(app)
    assert after_insert["contacts"] > before["contacts"]
    with app.app_context():
        # A plain UPDATE statement, as a bulk change or a script would run it.
        db.session.execute(sa.update(Contact).where(Contact.id == contact_id).values(city="Brno"))
        db.session.commit()
    after_update = counters(app)
    assert after_update["contacts"] > after_insert["contacts"]
    assert after_update["code_lists"] == after_insert["code_lists"]
    with app.app_context():
        db.session.execute(sa.delete(Contact).where(Contact.id == contact_id))
        db.session.commit()
    assert counters(app)["contacts"] > after_update["contacts"]


def test_service_writes_move_the_contacts_counter(app, make_contact, make_service_type, make_service):
    contact_id = make_contact()
    make_service_type("Internet")  # the code list row first: only the service itself is counted below
    before = counters(app)["contacts"]
    make_service(contact_id, "Internet", start_date=date(2026, 1, 1))
    assert counters(app)["contacts"] > before


def test_code_list_writes_move_the_code_lists_counter(app):
    before = counters(app)
    with app.app_context():
        db.session.add(ClientGroup(name="Counted group"))
        db.session.commit()
    after = counters(app)
    assert after["code_lists"] > before["code_lists"]
    assert after["contacts"] == before["contacts"]


def test_an_uncommitted_change_does_not_move_the_counter_for_others(app, make_contact):
    contact_id = make_contact()
    before = counters(app)["contacts"]
    with app.app_context():
        db.session.execute(sa.update(Contact).where(Contact.id == contact_id).values(city="Brno"))
        db.session.rollback()
    assert counters(app)["contacts"] == before


def test_change_cache_keeps_values_until_the_counter_moves():
    cache = ChangeCache()
    computed = []

    def compute():
        computed.append(1)
        return len(computed)

    assert cache.get(5, "count", compute) == 1
    assert cache.get(5, "count", compute) == 1
    assert cache.get(6, "count", compute) == 2
    assert cache.get(6, "other", compute) == 3
    assert len(computed) == 3


def test_change_cache_stays_bounded():
    cache = ChangeCache(max_entries=3)
    for key in range(10):
        cache.get(1, key, lambda key=key: key)
    assert len(cache.values) <= 3


def test_postgresql_counts_a_transaction_once(app, make_contact):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("SQLite counts each row: one writer at a time, no lock to keep short")
    ids = [make_contact() for _ in range(3)]
    with app.app_context():
        before = read_change_counters()["contacts"]
        db.session.execute(sa.update(Contact).where(Contact.id.in_(ids)).values(city="Brno"))
        db.session.commit()
        assert read_change_counters()["contacts"] == before + 1

"""Change counters: database triggers count the changes of an area's tables.

The contacts list caches what costs most on every request (the COUNT over 100,000 contacts,
the code-list filter choices) under the counter of the area it was read from; any change to
those tables, by any process or write path, moves the counter and so retires the cached value.

PostgreSQL counts in a deferred constraint trigger: it runs at commit, after every other lock
the transaction takes (so it cannot deadlock with them), and once per transaction. SQLite has
one writer at a time and counts every row. The triggers live outside the models' metadata
(migration 0005 and `install_change_counters` make them); a batch migration that rebuilds one
of these tables on SQLite must install them again. A bulk load (demo data) drops them, then
counts once (`count_bulk_change`).
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import g

from models import ChangeCounter, db

AREAS = {
    "contacts": ("contact", "service"),
    "code_lists": ("client_group", "client_status", "location", "invoice_group", "payment_type"),
}

POSTGRESQL_FUNCTION = """
CREATE OR REPLACE FUNCTION count_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO change_counter (name, value, transaction_id) VALUES (TG_ARGV[0], 1, txid_current())
    ON CONFLICT (name) DO UPDATE SET value = change_counter.value + 1, transaction_id = EXCLUDED.transaction_id
    WHERE change_counter.transaction_id IS DISTINCT FROM EXCLUDED.transaction_id;
    RETURN NULL;
END $$"""


def _postgresql_ddl() -> list[str]:
    statements = [POSTGRESQL_FUNCTION]
    for area, tables in AREAS.items():
        for table in tables:
            statements += [
                f"DROP TRIGGER IF EXISTS {table}_count_change ON {table}",
                (
                    f"CREATE CONSTRAINT TRIGGER {table}_count_change AFTER INSERT OR UPDATE OR DELETE ON {table} "
                    f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION count_change('{area}')"
                ),
            ]
    return statements


def _sqlite_ddl() -> list[str]:
    return [
        f"CREATE TRIGGER IF NOT EXISTS {table}_{event.lower()}_count_change AFTER {event} ON {table} BEGIN "
        f"INSERT INTO change_counter (name, value) VALUES ('{area}', 1) "
        "ON CONFLICT (name) DO UPDATE SET value = value + 1; END"
        for area, tables in AREAS.items()
        for table in tables
        for event in ("INSERT", "UPDATE", "DELETE")
    ]


def _drop_ddl(dialect: str) -> list[str]:
    tables = [table for tables in AREAS.values() for table in tables]
    if dialect == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {table}_count_change ON {table}" for table in tables] + [
            "DROP FUNCTION IF EXISTS count_change()"
        ]
    return [
        f"DROP TRIGGER IF EXISTS {table}_{event}_count_change"
        for table in tables
        for event in ("insert", "update", "delete")
    ]


def install_change_counters(connection: sa.Connection) -> None:
    """Create the counting triggers for this database (idempotent)."""
    statements = _postgresql_ddl() if connection.dialect.name == "postgresql" else _sqlite_ddl()
    for statement in statements:
        connection.exec_driver_sql(statement)


def drop_change_counters(connection: sa.Connection) -> None:
    for statement in _drop_ddl(connection.dialect.name):
        connection.exec_driver_sql(statement)


def count_bulk_change(connection: sa.Connection) -> None:
    """Count one change in every area: for a bulk load made with the triggers dropped."""
    for area in AREAS:
        connection.execute(
            sa.text(
                "INSERT INTO change_counter (name, value) VALUES (:area, 1) "
                "ON CONFLICT (name) DO UPDATE SET value = change_counter.value + 1"
            ),
            {"area": area},
        )


def read_change_counters() -> dict[str, int]:
    """Every area's counter, in one query (an area that has never changed counts 0)."""
    counters = dict.fromkeys(AREAS, 0)
    counters.update(db.session.execute(sa.select(ChangeCounter.name, ChangeCounter.value)).all())
    return counters


def change_counters() -> dict[str, int]:
    """This request's counters, read once: what a page caches must all agree on one reading."""
    if "change_counters" not in g:
        g.change_counters = read_change_counters()
    return g.change_counters


class ChangeCache:
    """Values computed from one area, kept while its counter stays the same (per view, so per app
    and per worker process)."""

    def __init__(self, max_entries: int = 500):
        self.max_entries = max_entries
        self.counter: int | None = None
        self.values: dict = {}

    def get(self, counter: int, key, compute):
        if counter != self.counter:
            self.values.clear()
            self.counter = counter
        if key not in self.values:
            if len(self.values) >= self.max_entries:
                self.values.clear()
            self.values[key] = compute()
        return self.values[key]

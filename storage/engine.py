"""Engine hooks: SQLite's foreign keys, Czech collation, write lock and owner-only files, and COMMIT for
PostgreSQL requests that only read."""

from __future__ import annotations

import os

import sqlalchemy as sa
from flask import has_request_context, request

from models import CZECH, db
from storage.collation import compare_czech

# How long a SQLite writer waits for another one's lock before it gives up (milliseconds).
SQLITE_BUSY_TIMEOUT_MS = 20_000
# Requests that change data; on SQLite each one takes the write lock when its transaction begins.
WRITING_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _is_sqlite(dbapi_connection) -> bool:
    return type(dbapi_connection).__module__.startswith("sqlite3")


@sa.event.listens_for(sa.Engine, "connect")
def _set_up_sqlite(dbapi_connection, connection_record) -> None:
    if _is_sqlite(dbapi_connection):
        # SQLite's own lower() folds ASCII only ("Č" and "č" would be two code-list names);
        # Python's folds every letter, as PostgreSQL's does, for the unique index on lower(name) too.
        # Before any statement: SQLite refuses to replace a function while one is open.
        dbapi_connection.create_function("lower", 1, _lower, deterministic=True)
        # The Czech columns' collation (models.CZECH): without it SQLite refuses every statement that
        # sorts or compares them, so every connection the app, the migrations and the CLI open gets it.
        dbapi_connection.create_collation(CZECH, compare_czech)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")  # SQLite ignores foreign keys unless asked, per connection
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        # Readers never wait for a writer (write-ahead log; kept in the file, a no-op once set): a
        # long transaction (a background job importing 100,000 rows) spills to the file and would
        # otherwise lock every page of the panel, its progress bar too, until it commits.
        cursor.execute("PRAGMA journal_mode=WAL")
        files = [row[2] for row in cursor.execute("PRAGMA database_list") if row[2]]
        cursor.close()
        for path in files:
            keep_to_owner(path)


def _lower(value):
    return value.lower() if isinstance(value, str) else value


def keep_to_owner(database: str) -> None:
    """Make the SQLite file and its journals readable by their owner only: they hold personal data
    and password hashes. SQLite gives journals it creates later the database file's mode."""
    for path in (database, database + "-wal", database + "-shm", database + "-journal"):
        try:
            if os.stat(path).st_mode & 0o077:
                os.chmod(path, 0o600)
        except (FileNotFoundError, PermissionError):
            continue


# --- SQLite: the write lock from the start of a saving request ---------------------------------
# Python's sqlite3 begins a transaction only at the first INSERT/UPDATE/DELETE, so what a save
# read first (the next free client number, "is this symbol taken?") was read outside it: two
# workers read the same free number, and the second's INSERT failed ("conflicts with existing
# data", about 1 save in 10 with 8 clerks). A state-changing request begins its transaction with
# BEGIN IMMEDIATE instead: it waits (busy_timeout) for the write lock, then reads and writes
# while no other worker can write, as PostgreSQL's row locks make the same saves queue up.
# sqlite3 sees the open transaction and adds no BEGIN of its own; its COMMIT/ROLLBACK end it.
# Pages that only read keep sqlite3's behaviour and never wait for the lock.
@sa.event.listens_for(sa.Engine, "begin")
def _take_sqlite_write_lock(conn) -> None:
    if conn.dialect.name == "sqlite" and has_request_context() and request.method in WRITING_METHODS:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


# --- Requests that only read ---------------------------------------------------------------
# psycopg forgets its prepared statements on every ROLLBACK, and a request's transaction ends with
# one: every request planned its queries afresh (0.6 ms for the contacts list's row query alone).
# A request that only read ends with COMMIT instead, which keeps them; the two are the same to
# the data. Statements are noted per connection: anything but these counts as a write.
# SET LOCAL lasts as long as the transaction, and RESET only undoes it (the PostgreSQL search).
READING_STATEMENTS = ("SELECT", "SET LOCAL", "RESET")


@sa.event.listens_for(sa.Engine, "before_cursor_execute")
def _note_writes(conn, cursor, statement, parameters, context, executemany) -> None:
    if not statement.lstrip()[:9].upper().startswith(READING_STATEMENTS):
        conn.info["wrote"] = True


@sa.event.listens_for(sa.Engine, "commit")
@sa.event.listens_for(sa.Engine, "rollback")
def _forget_writes(conn) -> None:
    conn.info.pop("wrote", None)


def end_read_only_transaction(error: BaseException | None) -> None:
    """At the end of a request: COMMIT a PostgreSQL transaction that only read (see above)."""
    session = db.session()
    if error is not None or db.engine.dialect.name != "postgresql" or not session.in_transaction():
        return
    if session.new or session.dirty or session.deleted or session.connection().info.get("wrote"):
        return  # left to the usual ROLLBACK
    # Not expired: a response streamed after the request (an export) still reads what it loaded.
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True

"""Engine hooks: SQLite's foreign keys and owner-only files, and COMMIT for PostgreSQL requests that only read."""

from __future__ import annotations

import os

import sqlalchemy as sa

from models import db


@sa.event.listens_for(sa.Engine, "connect")
def _enable_sqlite_foreign_keys(dbapi_connection, connection_record) -> None:
    # SQLite ignores foreign keys unless asked, per connection.
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        files = [row[2] for row in cursor.execute("PRAGMA database_list") if row[2]]
        cursor.close()
        for path in files:
            keep_to_owner(path)


def keep_to_owner(database: str) -> None:
    """Make the SQLite file and its journals readable by their owner only: they hold personal data
    and password hashes. SQLite gives journals it creates later the database file's mode."""
    for path in (database, database + "-wal", database + "-shm", database + "-journal"):
        try:
            if os.stat(path).st_mode & 0o077:
                os.chmod(path, 0o600)
        except (FileNotFoundError, PermissionError):
            continue


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

"""Engine hooks: on SQLite a saving request holds the write lock from its first statement;
on PostgreSQL the numbering lock makes saves of client numbers and symbols take turns."""

from __future__ import annotations

import sqlite3

import pytest
import sqlalchemy as sa

from domain.client_numbers import lock_numbering
from models import Setting, db
from tests.helpers import PostgresDatabase, SQLiteDatabase


def other_writer(app) -> sqlite3.Connection:
    """A second connection to the test's SQLite file that gives up at once when it must wait."""
    return sqlite3.connect(sa.make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database, timeout=0)


def test_a_saving_request_holds_the_sqlite_write_lock_from_its_first_read(app, database):
    if not isinstance(database, SQLiteDatabase):
        pytest.skip("SQLite's write lock")
    other = other_writer(app)
    try:
        with app.test_request_context("/admin/contact/new/", method="POST"):
            db.session.scalar(sa.select(Setting.last_client_number))  # only a read, yet no one else may write
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("UPDATE setting SET last_client_number = 7")
            db.session.rollback()
        other.execute("UPDATE setting SET last_client_number = 7")  # the request's end let go of it
        other.commit()
        with app.test_request_context("/admin/contact/", method="GET"):
            db.session.scalar(sa.select(Setting.last_client_number))  # a page that only reads takes no lock
            other.execute("UPDATE setting SET last_client_number = 8")
            other.commit()
            db.session.rollback()
    finally:
        other.close()


def test_the_numbering_lock_makes_another_save_wait(app, database):
    if not isinstance(database, PostgresDatabase):
        pytest.skip("PostgreSQL's row lock (SQLite: the write lock above)")
    with app.app_context():
        lock_numbering()
        other = sa.create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
        try:
            with other.connect() as connection:
                with pytest.raises(sa.exc.OperationalError, match="could not obtain lock"):
                    connection.execute(sa.text("SELECT id FROM setting WHERE id = 1 FOR UPDATE NOWAIT"))
                connection.rollback()
                db.session.rollback()
                connection.execute(sa.text("SELECT id FROM setting WHERE id = 1 FOR UPDATE NOWAIT"))
        finally:
            other.dispose()

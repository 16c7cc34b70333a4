"""Time `load_demo_data(100000, 1)` on a scratch SQLite file and, when asked, a scratch PostgreSQL database.

Usage: .venv/bin/python bench/bench_demo_data.py [--contacts N] [--postgres [SERVER_URL]]
PostgreSQL runs when --postgres or BENCH_DATABASE_URL is given; the server defaults to
BENCH_DATABASE_URL, else the local one. A database of our own is created there and dropped after.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app import create_app  # noqa: E402
from demo_data import load_demo_data  # noqa: E402
from models import Contact, Socket, db, ensure_reference_data  # noqa: E402

DEFAULT_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def run(url: str, contacts: int) -> float:
    """Create the schema at `url`, load the demo data and return the seconds the load took."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    with app.app_context():
        db.create_all()
        ensure_reference_data()
        started = time.perf_counter()
        summary = load_demo_data(contacts, 1)
        elapsed = time.perf_counter() - started
        counts = db.session.scalar(sa.select(sa.func.count(Contact.id))), db.session.scalar(
            sa.select(sa.func.count(Socket.id)))
        print(f"  {summary}\n  in the database: {counts[0]} contacts, {counts[1]} sockets")
        db.session.remove()
        db.engine.dispose()
    return elapsed


def admin(server: sa.URL, statement: str) -> None:
    """Run one statement outside a transaction (CREATE/DROP DATABASE need that)."""
    engine = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(sa.text(statement))
    engine.dispose()


def main() -> None:
    """Parse the arguments and print the load time per backend."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--postgres", nargs="?", const=os.environ.get("BENCH_DATABASE_URL", DEFAULT_SERVER),
                        default=os.environ.get("BENCH_DATABASE_URL"), metavar="SERVER_URL")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as directory:
        print(f"SQLite, {args.contacts} contacts:")
        seconds = run(f"sqlite:///{directory}/bench.sqlite", args.contacts)
        print(f"SQLite: {seconds:.1f} s")

    if args.postgres:
        server = sa.make_url(args.postgres)
        name = f"ispdesk_bench_{uuid.uuid4().hex[:12]}"
        admin(server, f'CREATE DATABASE "{name}"')
        try:
            print(f"PostgreSQL, {args.contacts} contacts:")
            seconds = run(server.set(database=name).render_as_string(hide_password=False), args.contacts)
            print(f"PostgreSQL: {seconds:.1f} s")
        finally:
            admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()

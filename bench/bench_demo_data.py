"""Time `load_demo_data(100000, 1)` on a scratch SQLite file and, when asked, a scratch PostgreSQL database.

Usage: .venv/bin/python bench/bench_demo_data.py [--contacts N] [--postgres [SERVER_URL]]
PostgreSQL runs when --postgres or BENCH_DATABASE_URL is given; the server defaults to
BENCH_DATABASE_URL, else the local one. A database of our own is created there and dropped after.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app import create_app
from common import postgres_server_arg, scratch_databases
from domain.settings import ensure_reference_data
from models import Contact, Socket, db
from storage.demo_data import load_demo_data


def run(url: str, contacts: int) -> float:
    """Create the schema at `url`, load the demo data and return the seconds the load took."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    with app.app_context():
        db.create_all()
        ensure_reference_data()
        started = time.perf_counter()
        summary = load_demo_data(contacts, 1)
        elapsed = time.perf_counter() - started
        counts = (
            db.session.scalar(sa.select(sa.func.count(Contact.id))),
            db.session.scalar(sa.select(sa.func.count(Socket.id))),
        )
        print(f"  {summary}\n  in the database: {counts[0]} contacts, {counts[1]} sockets")
        db.session.remove()
        db.engine.dispose()
    return elapsed


def main() -> None:
    """Parse the arguments and print the load time per backend."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=100_000)
    postgres_server_arg(parser)
    args = parser.parse_args()
    with scratch_databases(args.postgres) as databases:
        for label, url in databases:
            print(f"{label}, {args.contacts} contacts:")
            print(f"{label}: {run(url, args.contacts):.1f} s")


if __name__ == "__main__":
    main()

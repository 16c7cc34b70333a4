"""Shared bench set-up: scratch databases with demo data, a logged-in client, timing figures."""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import re
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app import create_app
from domain.passwords import set_user_password
from domain.settings import ensure_reference_data
from models import User, db
from storage import install_database_objects
from storage.demo_data import load_demo_data

DEFAULT_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
PASSWORD = "bench-password-1"


def postgres_server_arg(parser) -> None:
    parser.add_argument(
        "--postgres",
        nargs="?",
        const=os.environ.get("BENCH_DATABASE_URL", DEFAULT_SERVER),
        default=os.environ.get("BENCH_DATABASE_URL"),
        metavar="SERVER_URL",
        help="also run on a scratch database of this PostgreSQL server",
    )


@contextlib.contextmanager
def scratch_databases(postgres: str | None, sqlite: bool = True):
    """Yield (label, url) for a scratch SQLite file (unless not `sqlite`) and, if asked, a scratch
    PostgreSQL database."""
    with tempfile.TemporaryDirectory() as directory:
        databases = [("SQLite", f"sqlite:///{directory}/bench.sqlite")] if sqlite else []
        server = sa.make_url(postgres) if postgres else None
        name = f"ispdesk_bench_{uuid.uuid4().hex[:12]}"
        if server is not None:
            _admin(server, f'CREATE DATABASE "{name}"')
            databases.append(("PostgreSQL", server.set(database=name).render_as_string(hide_password=False)))
        try:
            yield databases
        finally:
            if server is not None:
                _admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def bench_each_database(doc: str, run, runs: int, target_ms: float) -> None:
    """The command line of a bench script: `run(url, contacts, runs)` on a scratch SQLite database and,
    with --postgres, a scratch PostgreSQL one; each says whether its figures met the target."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=runs)
    postgres_server_arg(parser)
    args = parser.parse_args()
    results = []
    with scratch_databases(args.postgres) as databases:
        for label, url in databases:
            print(f"{label}, {args.contacts} contacts:")
            results.append(run(url, args.contacts, args.runs))
    print(f"target p50 < {target_ms} ms: {'met' if all(results) else 'NOT met'}")


def close_app(app) -> None:
    """Let go of the app's database connections (before its scratch database is dropped)."""
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _admin(server: sa.URL, statement: str) -> None:
    engine = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(sa.text(statement))
    engine.dispose()


def app_with_demo_data(url: str, contacts: int):
    """An app on `url` with the schema, the search index, `contacts` demo contacts and a staff user."""
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"}
    )
    with app.app_context():
        db.create_all()
        with db.engine.begin() as connection:
            install_database_objects(connection)
        ensure_reference_data()
        started = time.perf_counter()
        load_demo_data(contacts, 1)
        user = User(username="bench", role="staff")
        set_user_password(user, PASSWORD)
        db.session.add(user)
        db.session.commit()
        print(f"  loaded {contacts} contacts in {time.perf_counter() - started:.0f} s")
        if db.engine.dialect.name == "postgresql":
            # What autovacuum does within a minute of a bulk load: statistics for the planner and
            # the visibility map that lets an index-only scan skip the table. (SQLite gets no
            # ANALYZE: nothing in ISPdesk runs it, so production has no statistics either.)
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.exec_driver_sql("VACUUM ANALYZE")
    return app


def serve_like_gunicorn() -> None:
    """Freeze the objects built so far, as gunicorn.conf.py does in each worker after loading the app."""
    gc.collect()
    gc.freeze()


def machine_speed() -> str:
    """How fast this machine runs plain Python, to compare figures taken on different machines."""
    started = time.perf_counter()
    total = 0
    for number in range(3_000_000):
        total += number
    return f"machine: 3,000,000 Python additions in {(time.perf_counter() - started) * 1000:.0f} ms"


def logged_in_client(app):
    """A test client logged in as the bench's staff user through the real form."""
    client = app.test_client()
    html = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    response = client.post("/login", data={"csrf_token": token, "username": "bench", "password": PASSWORD})
    assert response.status_code == 302, "login failed"
    return client


def count_queries(app):
    """A list that collects the SQL statements the app runs from now on."""
    statements = []
    with app.app_context():
        sa.event.listen(db.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    return statements


def time_requests(client, url: str, runs: int, warmup: int = 3, **kwargs) -> tuple[float, float]:
    """p50 and p95 in ms of GET `url`; the first requests only warm caches."""
    timings = []
    for attempt in range(runs + warmup):
        started = time.perf_counter()
        response = client.get(url, **kwargs)
        response.get_data()
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, (url, response.status_code)
        response.close()
        if attempt >= warmup:
            timings.append(elapsed)
    if len(timings) == 1:
        return timings[0], timings[0]
    return statistics.median(timings), statistics.quantiles(timings, n=20)[-1]

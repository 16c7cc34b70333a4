"""Time the contact form's cascading CATV lookups at 100,000 contacts and 20,000 sockets.

Usage: .venv/bin/python bench/bench_cascade.py [--contacts N] [--runs N] [--postgres [SERVER_URL]]
Loads `load_demo_data(N, 1)` into a scratch SQLite file (and, when asked, a scratch PostgreSQL
database that is dropped after), logs in as a staff user through the login form and asks each
lookup through the Flask test client, as the browser does. Prints p50/p95 per lookup; target p50 < 10 ms.
"""

from __future__ import annotations

import sys
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import (
    app_with_demo_data,
    bench_each_database,
    close_app,
    logged_in_client,
    time_requests,
)
from models import Building, Socket, Street, Switchboard, db

TARGET_MS = 10


def busiest(parent_column, *where) -> int:
    """The parent id with the most children: the longest list a clerk can get."""
    query = sa.select(parent_column).where(*where).group_by(parent_column).order_by(sa.func.count().desc())
    return db.session.scalar(query.limit(1))


def lookups() -> list[tuple[str, str, int | None, str]]:
    """(label, loader name, parent id, typed text) for each step of the cascade, with and without typing."""
    city = db.session.scalar(
        sa.select(Street.city_id).group_by(Street.city_id).order_by(sa.func.count().desc()).limit(1)
    )
    street = busiest(Building.street_id, Building.street_id.in_(sa.select(Street.id).where(Street.city_id == city)))
    building = busiest(Switchboard.building_id)
    board = busiest(Socket.switchboard_id)
    return [
        ("city", "catv_city", None, ""),
        ("city 'pr'", "catv_city", None, "pr"),
        ("street", "catv_street", city, ""),
        ("street 'ova'", "catv_street", city, "ova"),
        ("building", "catv_building", street, ""),
        ("building '1'", "catv_building", street, "1"),
        ("switchboard", "catv_switchboard", building, ""),
        ("socket", "socket", board, ""),
        ("socket '1'", "socket", board, "1"),
    ]


def run(url: str, contacts: int, runs: int) -> bool:
    """Load the demo data at `url`, time every lookup and print the figures; True when all meet the target."""
    app = app_with_demo_data(url, contacts)
    with app.app_context():
        print(f"  {db.session.scalar(sa.select(sa.func.count()).select_from(Socket))} sockets")
        steps = lookups()
        db.session.remove()
    client = logged_in_client(app)
    ok = True
    print(f"  {'lookup':<16}{'rows':>5}{'p50 ms':>9}{'p95 ms':>9}")
    for label, name, parent, typed in steps:
        params = {"name": name, "query": typed, "offset": 0, "limit": 10}
        if parent is not None:
            params["parent"] = parent
        p50, p95 = time_requests(client, "/admin/contact/ajax/lookup/", runs, warmup=5, query_string=params)
        response = client.get("/admin/contact/ajax/lookup/", query_string=params)
        ok &= p50 < TARGET_MS
        print(f"  {label:<16}{len(response.get_json()):>5}{p50:>9.2f}{p95:>9.2f}")
    close_app(app)
    return ok


def main() -> None:
    bench_each_database(__doc__, run, runs=200, target_ms=TARGET_MS)


if __name__ == "__main__":
    main()

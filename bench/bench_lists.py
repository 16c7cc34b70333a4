"""Time the first page of every list of the panel (menu entries) at 100,000 demo contacts.

Usage: .venv/bin/python bench/bench_lists.py [--contacts N] [--runs N] [--postgres [SERVER_URL]]
Loads `load_demo_data(N, 1)` into a scratch SQLite file (and, when asked, a scratch PostgreSQL
database), logs in as a staff user and opens each list the menu links to, as a clerk would.
Prints p50/p95 and the number of SQL statements per list; the spec asks for well under
100 ms: the target here is p50 < 50 ms. The contacts list has its own bench (bench_contact_list).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import (
    app_with_demo_data,
    bench_each_database,
    close_app,
    count_queries,
    logged_in_client,
    serve_like_gunicorn,
    time_requests,
)

TARGET_MS = 50


def run(url: str, contacts: int, runs: int) -> bool:
    """Load the demo data at `url`, time every list and print the figures; True when all meet the target."""
    app = app_with_demo_data(url, contacts)
    client = logged_in_client(app)
    serve_like_gunicorn()
    statements = count_queries(app)
    menu = client.get("/admin/").get_data(as_text=True)
    lists = sorted(set(re.findall(r'href="(/admin/[a-z_]+/)"', menu)))
    ok = True
    print(f"  {'list':<28}{'queries':>8}{'p50 ms':>9}{'p95 ms':>9}")
    for path in lists:
        p50, p95 = time_requests(client, path, runs)
        statements.clear()
        client.get(path).get_data()
        ok &= p50 < TARGET_MS
        print(f"  {path:<28}{len(statements):>8}{p50:>9.1f}{p95:>9.1f}")
    close_app(app)
    return ok


def main() -> None:
    bench_each_database(__doc__, run, runs=30, target_ms=TARGET_MS)


if __name__ == "__main__":
    main()

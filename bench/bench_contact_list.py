"""Time the contacts list, its search, filters, sorting, the client card and the export at 100,000 contacts.

Usage: .venv/bin/python bench/bench_contact_list.py [--contacts N] [--runs N] [--postgres [SERVER_URL]]
Prints p50/p95 (ms), the SQL statements of a request once the caches are warm, and the export's
time and memory growth.
The list keeps its count until a contact changes; "after a change" times page 1 with a contact
changed before every request, so the count is read each time (the first view after a save).
"""

from __future__ import annotations

import argparse
import resource
import time

import sqlalchemy as sa

from common import (
    app_with_demo_data, count_queries, logged_in_client, machine_speed, postgres_server_arg, scratch_databases,
    serve_like_gunicorn, time_requests,
)
from models import ClientGroup, Contact, db

TARGETS_MS = {"list page 1": 15, "list page 500": 40, "sort by city": 20, "search 'novak'": 25,
              "search surname + digits": 25, "filter by group": 20, "client card": 15}
# Not a target of its own: the page after a save reads the count afresh.
AFTER_A_CHANGE = "list page 1 after a change"


def cases(app) -> list[tuple[str, str, dict]]:
    with app.app_context():
        group_id = db.session.scalar(sa.select(ClientGroup.id).order_by(ClientGroup.id).limit(1))
        contact = db.session.scalars(sa.select(Contact).where(Contact.phone.is_not(None))
                                     .order_by(Contact.id).limit(1).offset(100)).one()
        surname = contact.name.split()[0]
        contact_id = contact.id
    return [
        ("list page 1", "/admin/contact/", {}),
        ("list page 500", "/admin/contact/", {"page": 499}),
        ("sort by city", "/admin/contact/", {"sort": 3}),
        ("search 'novak'", "/admin/contact/", {"search": "novak"}),
        ("search surname + digits", "/admin/contact/", {"search": f"{surname} {contact.phone[-4:]}"}),
        ("filter by group", "/admin/contact/", {"flt1_group_equals": group_id}),
        ("client card", "/admin/contact/details/", {"id": contact_id}),
    ]


def run(url: str, contacts: int, runs: int) -> bool:
    app = app_with_demo_data(url, contacts)
    client = logged_in_client(app)
    statements = count_queries(app)
    serve_like_gunicorn()
    ok = True
    print(f"  {'request':<28}{'p50 ms':>9}{'p95 ms':>9}{'target':>8}{'queries':>9}")
    for label, path, params in cases(app):
        client.get(path, query_string=params).close()  # the first view fills the caches
        statements.clear()
        client.get(path, query_string=params).close()
        queries = len(statements)
        p50, p95 = time_requests(client, path, runs, query_string=params)
        target = TARGETS_MS[label]
        ok &= p50 <= target
        print(f"  {label:<28}{p50:>9.1f}{p95:>9.1f}{target:>8}{queries:>9}")
    p50, p95 = time_requests(client, "/admin/contact/", runs, before=lambda: change_a_contact(app))
    print(f"  {AFTER_A_CHANGE:<28}{p50:>9.1f}{p95:>9.1f}{'-':>8}")
    for export_type in ("csv", "xlsx"):
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        response = client.get(f"/admin/contact/export/{export_type}/")
        size = sum(len(chunk) for chunk in response.response)
        response.close()
        seconds = time.perf_counter() - started
        growth = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
        ok &= seconds <= 5 and growth < 50
        print(f"  export {export_type}: {seconds:.2f} s, {size / 1e6:.1f} MB written, peak memory growth "
              f"{growth:.1f} MB (target 5 s, 50 MB)")
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    return ok


def change_a_contact(app) -> None:
    """Mark the first contact as a clerk would, which moves the contacts' change counter."""
    with app.app_context():
        first = db.session.scalar(sa.select(sa.func.min(Contact.id)))
        db.session.execute(sa.update(Contact).where(Contact.id == first).values(is_marked=~Contact.is_marked))
        db.session.commit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=50)
    postgres_server_arg(parser)
    args = parser.parse_args()
    results = []
    print(machine_speed())
    with scratch_databases(args.postgres) as databases:
        for label, url in databases:
            print(f"{label}, {args.contacts} contacts:")
            results.append(run(url, args.contacts, args.runs))
    print(f"targets: {'met' if all(results) else 'NOT all met'}")


if __name__ == "__main__":
    main()

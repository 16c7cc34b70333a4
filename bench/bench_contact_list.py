"""Time the contacts list, its search, filters, sorting, the client card and the export at 100,000 contacts.

Usage: .venv/bin/python bench/bench_contact_list.py [--contacts N] [--runs N] [--postgres [SERVER_URL]]
       [--no-sqlite]
Prints p50/p95 (ms) per database, the SQL statements of a request once the caches are warm, and
the export's time and memory growth.
The databases' requests take turns (SQLite, PostgreSQL, SQLite, ...): a shared machine's speed
drifts by a third within minutes, and this way the drift falls on both alike.
The list keeps its count until a contact changes; "after a change" times page 1 with a contact
changed before every request, so the count is read each time (the first view after a save).
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time

import sqlalchemy as sa

from common import (
    app_with_demo_data,
    close_app,
    count_queries,
    logged_in_client,
    machine_speed,
    postgres_server_arg,
    scratch_databases,
    serve_like_gunicorn,
)
from models import ClientGroup, Contact, db

TARGETS_MS = {
    "list page 1": 15,
    "list page 500": 40,
    "sort by city": 20,
    "sort by status": 20,
    "search 'novak'": 25,
    "search 'praha' (many matches)": 25,
    "search surname + digits": 25,
    "filter by group": 20,
    "client card": 15,
}
# Not a target of its own: the page after a save reads the count afresh.
AFTER_A_CHANGE = "list page 1 after a change"


class Backend:
    """One database with 100,000 demo contacts, its app and a logged-in client."""

    def __init__(self, label: str, url: str, contacts: int):
        self.label = label
        print(f"{label}:")
        self.app = app_with_demo_data(url, contacts)
        self.client = logged_in_client(self.app)
        self.statements = count_queries(self.app)
        self.cases = cases(self.app)

    def get(self, path: str, params: dict) -> float:
        """ms of one GET, which must answer 200."""
        started = time.perf_counter()
        response = self.client.get(path, query_string=params)
        response.get_data()
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, (self.label, path, response.status_code)
        response.close()
        return elapsed

    def queries(self, path: str, params: dict) -> int:
        self.get(path, params)  # the first view fills the caches
        self.statements.clear()
        self.get(path, params)
        return len(self.statements)

    def change_a_contact(self) -> None:
        """Mark the first contact as a clerk would, which moves the contacts' change counter."""
        with self.app.app_context():
            first = db.session.scalar(sa.select(sa.func.min(Contact.id)))
            db.session.execute(sa.update(Contact).where(Contact.id == first).values(is_marked=~Contact.is_marked))
            db.session.commit()

    def export(self, export_type: str) -> tuple[float, float, float]:
        """Seconds, MB written and MB of peak memory growth of one export of the whole list."""
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        response = self.client.get(f"/admin/contact/export/{export_type}/")
        size = sum(len(chunk) for chunk in response.response)
        response.close()
        seconds = time.perf_counter() - started
        return seconds, size / 1e6, (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024


def cases(app) -> list[tuple[str, str, dict]]:
    with app.app_context():
        group_id = db.session.scalar(sa.select(ClientGroup.id).order_by(ClientGroup.id).limit(1))
        contact = db.session.scalars(
            sa.select(Contact).where(Contact.phone.is_not(None)).order_by(Contact.id).limit(1).offset(100)
        ).one()
        surname = contact.name.split()[0]
        contact_id = contact.id
    return [
        ("list page 1", "/admin/contact/", {}),
        ("list page 500", "/admin/contact/", {"page": 499}),
        ("sort by city", "/admin/contact/", {"sort": 3}),
        ("sort by status", "/admin/contact/", {"sort": 8}),
        ("search 'novak'", "/admin/contact/", {"search": "novak"}),
        ("search 'praha' (many matches)", "/admin/contact/", {"search": "praha"}),
        ("search surname + digits", "/admin/contact/", {"search": f"{surname} {contact.phone[-4:]}"}),
        ("filter by group", "/admin/contact/", {"flt1_group_equals": group_id}),
        ("client card", "/admin/contact/details/", {"id": contact_id}),
    ]


def taking_turns(backends: list[Backend], request, runs: int, warmup: int = 3) -> list[tuple[float, float]]:
    """p50 and p95 (ms) of `request(backend)` for each backend, the backends taking turns."""
    timings = [[] for _ in backends]
    for attempt in range(runs + warmup):
        for backend, backend_timings in zip(backends, timings):
            elapsed = request(backend)
            if attempt >= warmup:
                backend_timings.append(elapsed)
    return [(statistics.median(t), statistics.quantiles(t, n=20)[-1]) for t in timings]


def after_a_change(backend: Backend) -> float:
    backend.change_a_contact()
    return backend.get("/admin/contact/", {})


def report(backends: list[Backend], runs: int) -> bool:
    ok = True
    header = "".join(f"{b.label + ' p50':>17}{'p95':>7}{'queries':>9}" for b in backends)
    print(f"  {'request':<30}{header}{'target':>8}")
    for number, (label, _, _) in enumerate(backends[0].cases):
        steps = [(b, *b.cases[number][1:]) for b in backends]
        queries = [backend.queries(path, params) for backend, path, params in steps]
        figures = taking_turns(backends, lambda b, number=number: b.get(*b.cases[number][1:]), runs)
        target = TARGETS_MS[label]
        ok &= all(p50 <= target for p50, _ in figures)
        columns = "".join(f"{p50:>17.1f}{p95:>7.1f}{count:>9}" for (p50, p95), count in zip(figures, queries))
        print(f"  {label:<30}{columns}{target:>8}")
    figures = taking_turns(backends, after_a_change, runs)
    columns = "".join(f"{p50:>17.1f}{p95:>7.1f}{'':>9}" for p50, p95 in figures)
    print(f"  {AFTER_A_CHANGE:<30}{columns}{'-':>8}")
    for backend in backends:
        for export_type in ("csv", "xlsx"):
            seconds, written, growth = backend.export(export_type)
            ok &= seconds <= 5 and growth < 50
            print(
                f"  {backend.label} export {export_type}: {seconds:.2f} s, {written:.1f} MB written, "
                f"peak memory growth {growth:.1f} MB (target 5 s, 50 MB)"
            )
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument(
        "--no-sqlite", action="store_true", help="PostgreSQL only (with --postgres), e.g. for --contacts 1000000"
    )
    postgres_server_arg(parser)
    args = parser.parse_args()
    if args.no_sqlite and not args.postgres:
        parser.error("--no-sqlite needs --postgres")
    with scratch_databases(args.postgres, sqlite=not args.no_sqlite) as databases:
        backends = [Backend(label, url, args.contacts) for label, url in databases]
        serve_like_gunicorn()
        print(f"{args.contacts} contacts; {machine_speed()}")
        ok = report(backends, args.runs)
        print(machine_speed())
        for backend in backends:
            close_app(backend.app)
    print(f"targets: {'met' if ok else 'NOT all met'}")


if __name__ == "__main__":
    main()

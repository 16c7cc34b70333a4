"""Time the add-contact form at 100,000 demo contacts: opening it and saving a new contact.

Usage: .venv/bin/python bench/bench_contact_form.py [--contacts N] [--iterations N] [--warmup N]
                                                     [--postgres [SERVER_URL]] [--no-sqlite] [--profile]
                                                     [--password-hash METHOD]

Every run starts from nothing: a scratch SQLite file in a temporary folder and, with --postgres or
BENCH_DATABASE_URL, a scratch PostgreSQL database (created on the server and dropped after), each
given the schema with its search index and filled with `load_demo_data(N, 1)` (PostgreSQL then gets
the ANALYZE autovacuum would soon run).
Requests go through Flask's test client (in-process, no network) as a staff user logged in through
the real /login with CSRF, with the production settings (CSRF on, the default password hash).
Cases: GET and POST of the new-contact form, in manual mode (distinct typed client numbers) and in
automatic mode. Per case it prints p50/p95 in ms and the SQL queries per request; --profile adds
the SQL statements by total time and cProfile's top functions.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import re
import statistics
import sys
import time
from collections import defaultdict
from html import unescape
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app import create_app, create_user
from common import close_app, postgres_server_arg, scratch_databases
from domain.passwords import hash_password
from domain.settings import ensure_reference_data, get_settings
from models import Contact, InvoiceGroup, PaymentType, db
from storage import install_database_objects
from storage.demo_data import load_demo_data

TARGET_MS = 50
FORM_URL = "/admin/contact/new/"
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
ALERT_RE = re.compile(r'<div class="alert[^"]*"[^>]*>(.*?)</div>|class="invalid-feedback"[^>]*>(.*?)</div>', re.S)


class QueryLog:
    """Counts the SQL statements the engine runs and, when asked, times each distinct one."""

    def __init__(self, engine: sa.Engine):
        self.count = 0
        self.timing = False
        self.by_statement: dict[str, list] = defaultdict(lambda: [0, 0.0])
        sa.event.listen(engine, "before_cursor_execute", self._before)
        sa.event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, connection, cursor, statement, parameters, context, executemany):
        self.count += 1
        connection.info.setdefault("bench_started", []).append(time.perf_counter())

    def _after(self, connection, cursor, statement, parameters, context, executemany):
        elapsed = time.perf_counter() - connection.info["bench_started"].pop()
        if self.timing:
            entry = self.by_statement[without_select_list(" ".join(statement.split()))]
            entry[0] += 1
            entry[1] += elapsed


def without_select_list(statement: str) -> str:
    """`SELECT … FROM rest`: a column list says little and hides the WHERE clause (subqueries skipped)."""
    if not statement.startswith("SELECT "):
        return statement
    depth = 0
    for i, char in enumerate(statement):
        depth += (char == "(") - (char == ")")
        if depth == 0 and statement.startswith(" FROM ", i):
            return "SELECT …" + statement[i:]
    return statement


def page_messages(html: str) -> list[str]:
    """The alerts and field errors of a re-rendered form, as plain text."""
    texts = [" ".join(unescape(re.sub(r"<[^>]+>|&times;", " ", a or b)).split()) for a, b in ALERT_RE.findall(html)]
    return texts or [html[:300]]


class Bench:
    """One backend: the app, a logged-in test client and the cases to time."""

    def __init__(self, url: str, contacts: int, password_hash: str | None = None):
        config = {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"}
        if password_hash:
            config["PASSWORD_HASH_METHOD"] = password_hash
        # The schema as the test suite builds it: the models plus the search index of migration 0003
        # and the change counters of 0005, whose triggers and GIN index are part of what a save costs.
        engine = sa.create_engine(url)
        db.metadata.create_all(engine)
        with engine.begin() as connection:
            install_database_objects(connection)
        engine.dispose()
        self.app = create_app(config)
        with self.app.app_context():
            ensure_reference_data()
            started = time.perf_counter()
            self.summary = load_demo_data(contacts, 1)
            self.load_seconds = time.perf_counter() - started
            self.analyzed = db.engine.dialect.name == "postgresql"
            if self.analyzed:
                # Autovacuum analyses a freshly loaded table within a minute or so; without statistics
                # PostgreSQL plans the duplicate checks through the socket index (2-3 ms each instead of
                # 0.01). SQLite gets no ANALYZE: nothing in ISPdesk runs it, so production has no statistics.
                db.session.execute(sa.text("ANALYZE"))
            password = create_user("bench-staff", "staff")
            started = time.perf_counter()
            for _ in range(5):
                hash_password("Ab3defghijkm")
            self.hash_ms = (time.perf_counter() - started) * 200
            self.hash_method = self.app.config.get("PASSWORD_HASH_METHOD", "scrypt")
            self.invoice_group = db.session.scalar(sa.select(InvoiceGroup.id).order_by(InvoiceGroup.id))
            self.payment_type = db.session.scalar(sa.select(PaymentType.id).where(PaymentType.is_default))
            self.contacts_before = db.session.scalar(sa.select(sa.func.count(Contact.id)))
            self.queries = QueryLog(db.engine)
        self.client = self.app.test_client()
        token = self._csrf("/login")
        response = self.client.post(
            "/login", data={"csrf_token": token, "username": "bench-staff", "password": password}
        )
        assert response.status_code == 302, response.status_code
        self.token = self._csrf(FORM_URL)
        self.saved = 0
        self.serial = 0

    def _csrf(self, url: str) -> str:
        match = CSRF_RE.search(self.client.get(url).get_data(as_text=True))
        assert match, f"no CSRF token on {url}"
        return match.group(1)

    def set_mode(self, mode: str) -> None:
        with self.app.app_context():
            get_settings().client_number_mode = mode
            db.session.commit()

    def next_number(self) -> int:
        with self.app.app_context():
            return get_settings().last_client_number + 1

    # The requests timed

    def open_form(self) -> None:
        response = self.client.get(FORM_URL)
        assert response.status_code == 200, response.status_code

    def form_data(self, client_number: int | None) -> dict:
        """A valid, realistic new contact; e-mail, mobile and ID number are new, so no duplicate warning."""
        self.serial += 1
        n = self.serial
        data = {
            "csrf_token": self.token,
            "name": f"Benchová Jana {n}",
            "street": f"Zkušební {n}",
            "postcode": "110 00",
            "city": "Praha",
            "country": "CZ",
            "gps": "50.0755, 14.4378",
            "email": f"bench-{n}@example.cz",
            # +421: the demo data has only Czech numbers.
            "mobile": f"+421 905 {n:06d}",
            "id_number": f"BENCH{n:07d}",
            "birth_date": "1980-05-17",
            "invoice_by_email": "y",
            "invoice_group": str(self.invoice_group),
            "payment_type": str(self.payment_type),
            "invoicing_day": "1",
            "due_days": "14",
            "opening_balance": "0",
            "suspend_mode": "global",
            "show_info_messages": "y",
            "portal_enabled": "y",
            "internal_note_1": "Router v předsíni",
        }
        if client_number is not None:
            data["client_number"] = str(client_number)
        return data

    def save(self, data: dict) -> None:
        response = self.client.post(FORM_URL, data=data)
        if response.status_code != 302:
            messages = page_messages(response.get_data(as_text=True))
            raise AssertionError(f"POST answered {response.status_code}: {messages}")
        self.saved += 1

    def drop_flashes(self) -> None:
        """The redirect is not followed; left in the cookie, the flashes would outgrow it."""
        with self.client.session_transaction() as session:
            session.pop("_flashes", None)

    # Timing

    def measure(self, label: str, iterations: int, warmup: int, request, prepare=None, profile: bool = False):
        """Warm up, then time `request(prepare())` `iterations` times; print one result line."""
        for _ in range(warmup):
            request(prepare() if prepare else None)
            self.drop_flashes()
        times, counts = [], []
        profiler = cProfile.Profile() if profile else None
        self.queries.timing = profile
        self.queries.by_statement.clear()
        for _ in range(iterations):
            argument = prepare() if prepare else None
            self.queries.count = 0
            if profiler:
                profiler.enable()
            started = time.perf_counter()
            request(argument)
            elapsed = time.perf_counter() - started
            if profiler:
                profiler.disable()
            times.append(elapsed * 1000)
            counts.append(self.queries.count)
            self.drop_flashes()
        self.queries.timing = False
        cuts = statistics.quantiles(times, n=100, method="inclusive")
        p50, p95 = cuts[49], cuts[94]
        spread = f"{min(counts)}" if min(counts) == max(counts) else f"{min(counts)}-{max(counts)}"
        verdict = "ok" if p50 < TARGET_MS else f"MISSES the {TARGET_MS} ms target"
        print(
            f"  {label:<34} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  (min {min(times):6.1f}, max {max(times):6.1f})"
            f"  queries/request {spread:>5}  {verdict}",
            flush=True,
        )
        if profiler:
            self._print_profile(label, profiler, times, iterations)
        return p50, p95, counts

    def _print_profile(self, label: str, profiler: cProfile.Profile, times: list[float], iterations: int) -> None:
        total_sql = sum(seconds for _, seconds in self.queries.by_statement.values())
        print(
            f"\n    --- {label}: {sum(times) / iterations:.1f} ms per request on average, "
            f"of which SQL {total_sql * 1000 / iterations:.1f} ms; statements by total time:"
        )
        ranked = sorted(self.queries.by_statement.items(), key=lambda item: -item[1][1])
        for statement, (calls, seconds) in ranked[:12]:
            print(f"    {seconds * 1000 / iterations:7.2f} ms/req  {calls / iterations:4.1f}x  {statement[:250]}")
        buffer = io.StringIO()
        stats = pstats.Stats(profiler, stream=buffer)
        stats.sort_stats("cumulative").print_stats(40)
        stats.sort_stats("tottime").print_stats(20)
        print("\n".join("    " + line for line in buffer.getvalue().splitlines() if line.strip()))
        print()

    def run(self, iterations: int, warmup: int, profile: bool) -> None:
        self.set_mode("manual")
        self.measure("GET form (manual mode)", iterations, warmup, lambda _: self.open_form(), profile=profile)
        first = self.next_number()
        numbers = iter(range(first, first + 10 * (iterations + warmup)))
        self.measure(
            "POST new contact (manual mode)",
            iterations,
            warmup,
            self.save,
            prepare=lambda: self.form_data(next(numbers)),
            profile=profile,
        )
        self.set_mode("automatic")
        self.measure("GET form (automatic mode)", iterations, warmup, lambda _: self.open_form(), profile=profile)
        self.measure(
            "POST new contact (automatic mode)",
            iterations,
            warmup,
            self.save,
            prepare=lambda: self.form_data(None),
            profile=profile,
        )
        with self.app.app_context():
            after = db.session.scalar(sa.select(sa.func.count(Contact.id)))
            distinct = db.session.scalar(sa.select(sa.func.count(sa.distinct(Contact.client_number))))
        assert after == self.contacts_before + self.saved == distinct, (after, self.saved, distinct)
        print(f"  saved {self.saved} contacts; {after} in the database, all client numbers distinct")

    def close(self) -> None:
        close_app(self.app)


def bench(url: str, args: argparse.Namespace) -> None:
    started = time.perf_counter()
    runner = Bench(url, args.contacts, args.password_hash)
    try:
        print(f"  {runner.summary}")
        print(
            f"  (load {runner.load_seconds:.1f} s{', then ANALYZE' if runner.analyzed else ''}; {args.warmup} "
            f"warm-up and {args.iterations} timed requests per case; target p50 < {TARGET_MS} ms)"
        )
        print(
            f"  (one portal password hash, which every save makes, costs {runner.hash_ms:.0f} ms here "
            f"with the {runner.hash_method} method)",
            flush=True,
        )
        runner.run(args.iterations, args.warmup, args.profile)
    finally:
        runner.close()
    print(f"  ({time.perf_counter() - started:.0f} s in all)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--iterations", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    postgres_server_arg(parser)
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    parser.add_argument("--profile", action="store_true", help="print where the time goes, per case")
    parser.add_argument(
        "--password-hash",
        metavar="METHOD",
        help="PASSWORD_HASH_METHOD to run with (e.g. pbkdf2:sha256:1000, to see the rest of a save)",
    )
    args = parser.parse_args()
    with scratch_databases(args.postgres, sqlite=not args.no_sqlite) as databases:
        for label, url in databases:
            print(f"{label}, {args.contacts} demo contacts:", flush=True)
            bench(url, args)


if __name__ == "__main__":
    main()

"""Automatic client numbers under load: two processes save contacts through the form at the same time.

Each process is a separate OS process (multiprocessing, "spawn") with its own app and connection
pool, logged in through the real /login with CSRF. On PostgreSQL `allocate_client_number()` locks
the settings row (SELECT ... FOR UPDATE); on SQLite a saving request takes the write lock when its
transaction begins (storage/engine.py). Either way the saves queue up and the numbers come out
gap-free, with no save refused. Runs on both backends.
"""

from __future__ import annotations

import itertools
import multiprocessing
import re
import time
import traceback
import warnings
from collections import Counter
from html import unescape

import pytest
import sqlalchemy as sa

from models import ChangeLog, Contact, PaymentType, Setting, db
from tests.helpers import contact_form

PROCESSES = 2
CONTACTS_PER_PROCESS = 200
LAST_ISSUED = 5000
# Generous: a hung child must fail the test, never hang the suite.
BARRIER_TIMEOUT = 60
JOIN_TIMEOUT = 120


# The symbol race: both processes give their n-th contact the symbol SYMBOL_BASE + n, each in
# another column (extra_vs_1, extra_vs_2), which no unique index compares.
SYMBOLS_PER_PROCESS = 40
SYMBOL_BASE = 7_000_000
SYMBOL_TAKEN = "already pays with this symbol"


def worker_form(worker: int, n: int, invoice_group: int, payment_type: int, symbols: bool = False) -> dict:
    """A valid new-contact form in automatic mode (no client number); e-mails differ, so no duplicate warning."""
    extra = {f"extra_vs_{worker + 1}": str(SYMBOL_BASE + n)} if symbols else {}
    return contact_form(
        invoice_group=str(invoice_group),
        payment_type=str(payment_type),
        client_number=None,
        name=f"Souběžný {worker}-{n:03d}",
        email=f"p{worker}-{n}@example.cz",
        **extra,
    )


ALERT_RE = re.compile(r'<div class="alert[^"]*"[^>]*>(.*?)</div>', re.S)
FIELD_ERROR_RE = re.compile(r'class="invalid-feedback"[^>]*>(.*?)</div>', re.S)


def page_messages(html: str) -> list[str]:
    """The flashed alerts and field errors a re-rendered form shows, as plain text."""
    found = ALERT_RE.findall(html) + FIELD_ERROR_RE.findall(html)
    texts = [" ".join(unescape(re.sub(r"<[^>]+>|&times;", " ", text)).split()) for text in found]
    return texts or [html[:500]]


def save_contacts(
    worker: int, config: dict, invoice_group: int, payment_type: int, barrier, results, count: int, symbols: bool
) -> None:
    """Child process: build an app, log in as staff, wait for the other one, POST the form `count` times.

    With `symbols`, a save refused because the other process took the symbol first counts as
    refused, not failed.
    """
    # The suite's pytest.ini turns warnings into errors; the child follows the same rules.
    warnings.simplefilter("error")
    warnings.filterwarnings("ignore", "Yielding raw tuples from iter_choices", DeprecationWarning)
    warnings.filterwarnings("ignore", "Passing SelectField choices as tuples", DeprecationWarning)
    report = {
        "worker": worker,
        "statuses": [],
        "failures": [],
        "flashes": [],
        "refused": 0,
        "error": None,
        "started": None,
        "ended": None,
    }
    app = None
    try:
        from tests.helpers import csrf_token, log_in, make_app

        app = make_app(**config)
        client = app.test_client()
        log_in(client, "staff")
        token = csrf_token(client, "/admin/contact/new/")
        barrier.wait(BARRIER_TIMEOUT)
        report["started"] = time.time()
        for n in range(count):
            data = {"csrf_token": token, **worker_form(worker, n, invoice_group, payment_type, symbols)}
            response = client.post("/admin/contact/new/", data=data)
            report["statuses"].append(response.status_code)
            # The redirect is not followed, so the flashes are taken here: left in the session
            # cookie they would pile up past the 4 KB a cookie may have.
            with client.session_transaction() as session:
                flashes = session.pop("_flashes", [])
            unexpected = [
                (category, message)
                for category, message in flashes
                if category != "success" and "Portal password for" not in message
            ]
            if unexpected:
                report["flashes"].extend(unexpected)
            messages = [] if response.status_code == 302 else page_messages(response.get_data(as_text=True))
            if symbols and response.status_code == 200 and any(SYMBOL_TAKEN in m for m in messages):
                report["refused"] += 1
                report["statuses"][-1] = "refused"
            elif messages and len(report["failures"]) < 3:
                report["failures"].append(messages)
        report["ended"] = time.time()
    except BaseException:  # noqa: BLE001 - everything goes back to the parent
        report["error"] = traceback.format_exc()
        barrier.abort()  # the other child must not wait for us
    finally:
        if app is not None:
            # No connection may outlive the child: the fixture truncates and drops the database.
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
        results.put(report)


@pytest.fixture
def automatic_mode(app, make_invoice_group) -> tuple[int, int]:
    """Automatic client numbers, the last issued being LAST_ISSUED; returns (invoice group, payment type)."""
    group = make_invoice_group(name="Main").id
    with app.app_context():
        settings = db.session.get(Setting, 1)
        settings.client_number_mode, settings.last_client_number = "automatic", LAST_ISSUED
        payment_type = db.session.scalar(sa.select(PaymentType.id).where(PaymentType.system_code == "bank_transfer"))
        db.session.commit()
        db.session.remove()
    return group, payment_type


def run_workers(app, automatic_mode, count: int, symbols: bool = False) -> list[dict]:
    """Run the two saving processes against the test's database; their reports, by worker."""
    invoice_group, payment_type = automatic_mode
    # The same database and instance folder as the test's app; the child builds its own app and pool.
    config = {"database_url": app.config["SQLALCHEMY_DATABASE_URI"]}
    if app.config.get("INSTANCE_PATH"):
        config["INSTANCE_PATH"] = app.config["INSTANCE_PATH"]
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(PROCESSES)
    results = ctx.Queue()
    children = [
        ctx.Process(
            target=save_contacts,
            args=(worker, config, invoice_group, payment_type, barrier, results, count, symbols),
        )
        for worker in range(PROCESSES)
    ]
    try:
        for child in children:
            child.start()
        reports = [results.get(timeout=JOIN_TIMEOUT) for _ in children]
        for child in children:
            child.join(JOIN_TIMEOUT)
    finally:
        for child in children:
            if child.is_alive():
                child.kill()
                child.join()
        results.close()
        results.join_thread()
    for child in children:
        assert child.exitcode == 0
        child.close()
    for report in reports:
        assert report["error"] is None, f"worker {report['worker']}:\n{report['error']}"
    return sorted(reports, key=lambda r: r["worker"])


def test_two_processes_get_gap_free_distinct_numbers(app, automatic_mode):
    reports = run_workers(app, automatic_mode, CONTACTS_PER_PROCESS)
    for report in reports:
        assert report["statuses"] == [302] * CONTACTS_PER_PROCESS, (
            f"worker {report['worker']}: {Counter(report['statuses'])} (status: count); "
            f"the first failures showed {report['failures']}"
        )
        assert report["flashes"] == [], f"worker {report['worker']}: {report['flashes'][:5]}"
    # Both really saved at the same time: each one's saving period overlaps the other's.
    first, second = reports
    assert first["started"] < second["ended"] and second["started"] < first["ended"]

    total = PROCESSES * CONTACTS_PER_PROCESS
    with app.app_context():
        rows = db.session.execute(
            sa.select(Contact.client_number, Contact.name, Contact.portal_login).order_by(Contact.client_number)
        ).all()
        assert len(rows) == total
        numbers = [row.client_number for row in rows]
        assert len(set(numbers)) == total
        assert numbers == list(range(LAST_ISSUED + 1, LAST_ISSUED + total + 1))
        assert all(row.portal_login == str(row.client_number) for row in rows)
        assert db.session.get(Setting, 1).last_client_number == LAST_ISSUED + total
        assert (
            db.session.scalar(sa.select(sa.func.count()).select_from(ChangeLog).where(ChangeLog.action == "create"))
            == total
        )
        # The numbers were handed out to the two processes in turn, not in two blocks.
        owners = [row.name.split()[1].split("-")[0] for row in rows]
        assert sum(a != b for a, b in itertools.pairwise(owners)) > 10


def test_one_symbol_saved_at_once_in_two_columns_goes_to_one_contact(app, automatic_mode):
    """Each symbol is typed on two new contacts at the same moment, once as extra symbol 1 and once
    as extra symbol 2: one save wins, the other is told at the field; none fails otherwise."""
    reports = run_workers(app, automatic_mode, SYMBOLS_PER_PROCESS, symbols=True)
    for report in reports:
        assert set(report["statuses"]) <= {302, "refused"}, (
            f"worker {report['worker']}: {Counter(report['statuses'])}; the first failures showed {report['failures']}"
        )
        assert report["flashes"] == [], f"worker {report['worker']}: {report['flashes'][:5]}"
    assert sum(report["refused"] for report in reports) == SYMBOLS_PER_PROCESS
    with app.app_context():
        holders = Counter(
            symbol
            for row in db.session.execute(sa.select(Contact.extra_vs_1, Contact.extra_vs_2)).all()
            for symbol in row
            if symbol is not None
        )
        assert holders == Counter({SYMBOL_BASE + n: 1 for n in range(SYMBOLS_PER_PROCESS)})

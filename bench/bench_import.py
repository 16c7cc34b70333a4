"""Time the contacts import's dry run and commit of a generated CSV on SQLite (and PostgreSQL).

Usage: .venv/bin/python bench/bench_import.py [--rows N] [--contacts N] [--xlsx] [--postgres [SERVER_URL]]
Writes N rows as a Czech office's Excel saves them (Windows-1250, semicolons, Czech headers,
e-mails, phones, company IDs, a status), loads `--contacts` demo contacts first (the database
the rows are checked against), then runs the dry run and the commit as the CLI does and prints
rows per second, the time 100,000 rows would take and the process's memory growth. The CPU time
beside the wall time tells a busy machine's figures from the code's.
Targets at 100,000 rows: dry run ≤ 60 s, commit ≤ 120 s, memory growth ≤ 200 MB.
"""

from __future__ import annotations

import argparse
import csv
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import app_with_demo_data, close_app, postgres_server_arg, scratch_databases
from domain.imports.run import Plan, commit, dry_run
from models import ClientStatus, InvoiceGroup, db
from storage.xlsx import write_xlsx

TARGETS = {"dry run": 60, "commit": 120}
HEADER = ["Klientské číslo", "Příjmení", "Jméno", "Ulice", "PSČ", "Obec", "E-mail", "Telefon", "IČ", "Stav"]


def company_id(number: int) -> str:
    """A valid Czech IČO from seven digits (its check digit computed)."""
    digits = f"{number:07d}"
    total = sum(int(digit) * weight for digit, weight in zip(digits, range(8, 1, -1)))
    return digits + str((11 - total % 11) % 10)


def write_file(path: Path, rows: int, first_number: int) -> None:
    with open(path, "w", encoding="cp1250", newline="") as stream:
        writer = csv.writer(stream, delimiter=";")
        writer.writerow(HEADER)
        for n in range(rows):
            writer.writerow(
                [
                    first_number + n,
                    f"Dvořák{n}",
                    "Jiří",
                    f"Hlavní {n % 300 + 1}",
                    "110 00",
                    "Praha",
                    f"klient{n}@example.cz",
                    f"601{n % 1_000_000:06d}",
                    company_id(1_000_000 + n) if n % 5 == 0 else "",
                    "Aktivní",
                ]
            )


def memory_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(url: str, contacts: int, rows: int, xlsx: bool = False) -> bool:
    app = app_with_demo_data(url, contacts)
    ok = True
    with tempfile.TemporaryDirectory() as directory, app.test_request_context():
        if db.session.query(InvoiceGroup.id).first() is None:
            db.session.add(InvoiceGroup(name="Bench", company_name="Bench s.r.o.", series_prefix="FA"))
        db.session.add(ClientStatus(name="Aktivní"))
        db.session.commit()
        path = Path(directory) / "import.csv"
        write_file(path, rows, first_number=10_000_000)
        if xlsx:  # the same rows as a workbook (written as our exports write one)
            with open(path, encoding="cp1250", newline="") as source, open(path.with_suffix(".xlsx"), "wb") as target:
                write_xlsx(csv.reader(source, delimiter=";"), target, "Klienti")
            path = path.with_suffix(".xlsx")
        for label, step in (
            ("dry run", lambda: dry_run(Plan(str(path)))),
            ("commit", lambda: commit(Plan(str(path)), accept_warnings=True)),
        ):
            before = memory_mb()
            started, cpu_started = time.perf_counter(), time.process_time()
            report = step()
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
            at_100k = seconds * 100_000 / rows
            met = at_100k <= TARGETS[label] and not report.has_errors and (label == "dry run" or report.committed)
            ok &= met
            if report.problems or report.file_errors:
                print("  first problem:", report.file_errors[:1] or report.problems[0])
            print(
                f"  {label}: {rows} rows in {seconds:.1f} s, CPU {cpu:.1f} s ({rows / seconds:,.0f} rows/s), "
                f"100,000 rows ≈ {at_100k:.0f} s (target ≤ {TARGETS[label]} s), "
                f"peak memory +{memory_mb() - before:.0f} MB, errors {report.errors}, warnings {report.warnings}"
                f"{'' if met else '  ← MISSED'}"
            )
    close_app(app)
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--contacts", type=int, default=10_000, help="demo contacts in the database first")
    parser.add_argument("--xlsx", action="store_true", help="import the rows as an XLSX workbook")
    postgres_server_arg(parser)
    args = parser.parse_args()
    results = []
    with scratch_databases(args.postgres) as databases:
        for label, url in databases:
            print(f"{label}, {args.contacts} contacts, {args.rows} rows ({'XLSX' if args.xlsx else 'CSV'}):")
            results.append(run(url, args.contacts, args.rows, args.xlsx))
    sys.exit(0 if all(results) else 1)


if __name__ == "__main__":
    main()

"""The dry run and the commit of a contacts import, and their report.

The dry run reads every row through the form's rules and writes nothing. The commit checks
every row again inside its own transaction (so nothing can change between the check and the
write) and writes it; it commits once, at the end, only when no row had an error (nor a warning,
unless they are accepted): a failure, a cancellation or a killed process leaves the database
as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice

import sqlalchemy as sa
from flask_babel import gettext
from sqlalchemy.exc import IntegrityError

from domain.client_numbers import lock_numbering
from domain.imports.mapping import guess_mapping, mapping_errors, saved_mapping
from domain.imports.reading import Source, UnreadableFile, count_rows, detect, read_rows
from domain.imports.rows import CheckedRow, Problem, RowChecker
from domain.imports.writing import ImportFailed, Writer
from models import User, db

CHUNK = 1000
MODES = ("add", "update")


@dataclass
class Report:
    """What a dry run found (or a commit did): counts, and every problem with its row and column."""

    mode: str
    source: Source | None = None
    headers: list[str] = field(default_factory=list)
    mapping: list[str | None] = field(default_factory=list)
    rows: int = 0
    added: int = 0  # would be added (a dry run) or were (a commit)
    updated: int = 0
    unchanged: int = 0
    errors: int = 0  # rows with an error
    warnings: int = 0  # rows with a warning
    automatic_numbers: int = 0  # new contacts whose client number is assigned automatically
    problems: list[Problem] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    committed: bool = False
    cancelled: bool = False

    @property
    def has_errors(self) -> bool:
        return bool(self.file_errors or self.errors)

    def can_commit(self, accept_warnings: bool) -> bool:
        return not self.has_errors and (accept_warnings or not self.warnings)

    def count(self, row: CheckedRow) -> None:
        self.rows += 1
        self.problems.extend(row.problems)
        self.errors += row.has_errors
        self.warnings += row.has_warnings
        if row.has_errors:
            return
        if row.contact is None:
            self.added += 1
            self.automatic_numbers += "client_number" not in row.values
        elif row.changed:
            self.updated += 1
        else:
            self.unchanged += 1


Progress = Callable[[int, int | None], None]
Cancel = Callable[[], bool]


@dataclass(frozen=True)
class Plan:
    """A file, how it is read and mapped, and the mode: what a dry run checks and a commit writes."""

    path: str
    mode: str = "add"
    mapping: list[str | None] | None = None  # None: the saved mapping `mapping_name`, else guessed
    mapping_name: str | None = None
    encoding: str | None = None
    delimiter: str | None = None


def dry_run(plan: Plan, on_progress: Progress | None = None, should_cancel: Cancel | None = None) -> Report:
    """Check every row of the file; nothing is written."""
    try:
        report = _check(plan, on_progress, should_cancel)
    finally:
        db.session.rollback()
    return report


def commit(
    plan: Plan,
    user: User | None = None,
    accept_warnings: bool = False,
    on_progress: Progress | None = None,
    should_cancel: Cancel | None = None,
) -> Report:
    """Check every row again and write it, in one transaction committed only when no row had an
    error (nor a warning, unless accepted) and nobody cancelled; otherwise nothing is written,
    and the report says why, as a dry run's does."""
    db.session.rollback()
    lock_numbering()  # new numbers and symbols: other saves wait until this import commits
    with _large_page_cache():
        return _commit(plan, user, accept_warnings, on_progress, should_cancel)


@contextmanager
def _large_page_cache():
    """On SQLite, a page cache of 64 MB (not 2 MB) while the import's one transaction runs: the
    contact table's many indexes stay in memory instead of spilling to the journal (a third less
    time); the pooled connection gets its default back afterwards."""
    sqlite = db.session.get_bind().dialect.name == "sqlite"
    if sqlite:
        db.session.execute(sa.text("PRAGMA cache_size = -65536"))
    try:
        yield
    finally:
        if sqlite:
            db.session.execute(sa.text("PRAGMA cache_size = -2000"))
            db.session.rollback()


def _commit(plan: Plan, user, accept_warnings: bool, on_progress, should_cancel) -> Report:
    report = Report(plan.mode)
    try:
        writer = None
        for row in _checked(plan, report, should_cancel):
            report.count(row)
            if writer is None:
                writer = Writer(report, user)
            if report.can_commit(accept_warnings):
                writer.write(row)  # after the first problem only checked: the report lists them all
            if report.rows % CHUNK == 0:
                writer.flush()
                if on_progress is not None:
                    on_progress(report.rows, writer.total)
        if report.cancelled or not report.can_commit(accept_warnings):
            db.session.rollback()
            return report
        if writer is not None:  # a file of no rows imports nothing, successfully
            writer.finish()
        db.session.commit()
        report.committed = True
        if on_progress is not None:
            on_progress(report.rows, report.rows)
        return report
    except ImportFailed as error:
        db.session.rollback()
        report.file_errors.append(str(error))
        return report
    except IntegrityError:
        db.session.rollback()
        report.file_errors.append(
            gettext("Another save took one of the file's values meanwhile; nothing was imported.")
        )
        return report
    except BaseException:
        db.session.rollback()
        raise


def _start(plan: Plan, report: Report) -> Iterator[tuple[int, list[str]]] | None:
    """The file's data rows, after reading its header and settling the mapping; None (with the
    report's file errors said) when the file or the mapping cannot be used."""
    if plan.mode not in MODES:
        report.file_errors.append(gettext("Unknown import mode %(mode)s.", mode=plan.mode))
        return None
    try:
        report.source = detect(plan.path, plan.encoding, plan.delimiter)
        rows = read_rows(report.source)
        _, report.headers = next(rows, (1, []))
    except (UnreadableFile, OSError) as error:
        report.file_errors.append(
            str(error) if isinstance(error, UnreadableFile) else gettext("The file cannot be read.")
        )
        return None
    if not any(header.strip() for header in report.headers):
        report.file_errors.append(gettext("The file's first row has no column names."))
        return None
    mapping = plan.mapping
    if mapping is None and plan.mapping_name:
        mapping = saved_mapping(plan.mapping_name, report.headers)
        if mapping is None:
            report.file_errors.append(gettext("No saved mapping is named %(name)s.", name=plan.mapping_name))
            return None
    report.mapping = list(mapping if mapping is not None else guess_mapping(report.headers))
    report.mapping += [None] * (len(report.headers) - len(report.mapping))
    report.file_errors.extend(mapping_errors(report.mapping, plan.mode))
    return None if report.file_errors else rows


def _chunks(rows) -> Iterator[list[tuple[int, list[str]]]]:
    """The rows in chunks, blank rows left out (a spreadsheet's empty lines at the end)."""
    while chunk := list(islice(rows, CHUNK)):
        yield [(number, cells) for number, cells in chunk if any(text.strip() for text in cells)]


def _checked(plan: Plan, report: Report, should_cancel: Cancel | None) -> Iterator[CheckedRow]:
    rows = _start(plan, report)
    if rows is None:
        return
    checker = RowChecker(report.headers, report.mapping, plan.mode)
    try:
        for chunk in _chunks(rows):
            if should_cancel is not None and should_cancel():
                report.cancelled = True
                return
            yield from checker.check_chunk(chunk)
    except UnreadableFile as error:
        report.file_errors.append(str(error))


def _check(plan: Plan, on_progress: Progress | None, should_cancel: Cancel | None) -> Report:
    report = Report(plan.mode)
    total = None
    for row in _checked(plan, report, should_cancel):
        report.count(row)
        if on_progress is not None and report.rows % CHUNK == 0:
            if total is None:
                total = count_rows(report.source)
            on_progress(report.rows, total)
    if on_progress is not None and not report.file_errors:
        on_progress(report.rows, report.rows)
    return report

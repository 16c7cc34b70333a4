"""Backups: one consistent copy of the whole database, taken while the panel keeps running.

SQLite is copied with its online backup API (a consistent snapshot even while others write);
PostgreSQL is dumped by `pg_dump` in its custom format, restored with `pg_restore`. The file
holds personal data and password hashes, so only its owner may read it.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa


class BackupError(Exception):
    """The backup could not be taken; the message says why."""


def backup_database(url: str, directory: Path) -> Path:
    """Copy the database at `url` into a new, owner-only file in `directory` and return its path."""
    url = sa.make_url(url)
    if not directory.exists():
        directory.mkdir(parents=True)
        # Only the owner may list the backups, whatever the umask.
        directory.chmod(0o700)
    if url.get_backend_name() == "sqlite":
        target = _new_file(directory, ".sqlite")
        _copy_sqlite(url.database, target)
    elif url.get_backend_name() == "postgresql":
        target = _new_file(directory, ".dump")
        _dump_postgresql(url, target)
    else:
        raise BackupError(f"No backup method for {url.get_backend_name()} databases.")
    return target


def _new_file(directory: Path, suffix: str) -> Path:
    """An empty file readable by its owner only, named by the time; never one that exists."""
    stamp = datetime.now().strftime("%Y-%m-%d-%H%M%S")
    for attempt in range(100):
        path = directory / f"ispdesk-{stamp}{f'-{attempt}' if attempt else ''}{suffix}"
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
            return path
        except FileExistsError:
            continue
    raise BackupError(f"Too many backups named ispdesk-{stamp} in {directory}.")


def _copy_sqlite(database: str | None, target: Path) -> None:
    if not database or not Path(database).is_file():
        target.unlink()
        raise BackupError(f"No SQLite database at {database!r}.")
    source = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    copy = sqlite3.connect(target)
    try:
        with copy:
            source.backup(copy)
        # One self-contained file, whatever the database's journal (the panel's is a write-ahead log).
        copy.execute("PRAGMA journal_mode=DELETE")
    finally:
        copy.close()
        source.close()


def _dump_postgresql(url: sa.URL, target: Path) -> None:
    # libpq's own URL; the password goes through the environment, not the process list.
    connection = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    environment = dict(os.environ, **({"PGPASSWORD": url.password} if url.password else {}))
    try:
        result = subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", f"--file={target}", connection],
            env=environment,
            capture_output=True,
            text=True,
        )
    except FileNotFoundError:
        target.unlink()
        raise BackupError("pg_dump is not installed (Debian: apt-get install postgresql-client).") from None
    if result.returncode != 0:
        target.unlink(missing_ok=True)
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")

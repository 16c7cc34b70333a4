"""`flask backup`: a whole, owner-only copy of the database that restores with the contacts in it."""

from __future__ import annotations

import re
import sqlite3
import stat
import subprocess
import uuid
from pathlib import Path

import sqlalchemy as sa

from storage.backup import BackupError, backup_database


def names_in_backup(path: Path, app) -> set[str]:
    """The contact names a backup holds, read from a restored copy."""
    if path.suffix == ".sqlite":
        with sqlite3.connect(path) as copy:
            return {name for (name,) in copy.execute("SELECT name FROM contact")}
    server = sa.make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    name = f"ispdesk_restore_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    restored = server.set(database=name)
    try:
        libpq_url = restored.set(drivername="postgresql").render_as_string(hide_password=False)
        subprocess.run(
            ["pg_restore", "--no-owner", f"--dbname={libpq_url}", str(path)], check=True, capture_output=True
        )
        engine = sa.create_engine(restored)
        with engine.connect() as connection:
            names = set(connection.scalars(sa.text("SELECT name FROM contact")))
        engine.dispose()
        return names
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def test_backup_restores_with_the_data_and_only_its_owner_may_read_it(app, runner, make_contact, tmp_path):
    make_contact(name="Novák <Backed Up>")
    result = runner.invoke(args=["backup", "--to", str(tmp_path / "backups")])
    assert result.exit_code == 0, result.output
    path = Path(re.search(r"Backup written: (\S+)", result.output).group(1))
    assert path.parent == tmp_path / "backups"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert names_in_backup(path, app) == {"Novák <Backed Up>"}
    again = runner.invoke(args=["backup", "--to", str(tmp_path / "backups")])
    assert again.exit_code == 0, again.output
    assert len(list((tmp_path / "backups").iterdir())) == 2  # a second backup never overwrites the first


def test_backup_goes_to_the_instance_folder_by_default(app, runner):
    result = runner.invoke(args=["backup"])
    assert result.exit_code == 0, result.output
    assert (
        Path(re.search(r"Backup written: (\S+)", result.output).group(1)).parent == Path(app.instance_path) / "backups"
    )


def test_a_failed_backup_says_why_and_leaves_no_file(app, runner, tmp_path):
    url = sa.make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    missing = url.set(
        database=str(tmp_path / "missing.sqlite")
        if url.get_backend_name() == "sqlite"
        else f"ispdesk_missing_{uuid.uuid4().hex[:8]}"
    )
    target = tmp_path / "backups"
    try:
        backup_database(missing.render_as_string(hide_password=False), target)
    except BackupError as error:
        message = str(error)
    else:
        raise AssertionError("a backup of a missing database succeeded")
    assert "missing" in message
    assert list(target.iterdir()) == []


def test_a_new_backup_folder_is_its_owners_only(app, runner):
    result = runner.invoke(args=["backup"])
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE((Path(app.instance_path) / "backups").stat().st_mode) == 0o700


def test_the_sqlite_database_and_its_journals_are_their_owners_only(app, client, make_contact):
    url = sa.make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() != "sqlite":
        return  # PostgreSQL keeps its files itself
    path = Path(url.database)
    path.chmod(0o644)
    with app.app_context():
        from models import db

        db.engine.dispose()  # the next connection is a new one, as after a restart
    # Another program left the database in WAL mode, its journals as readable as the file was.
    other = sqlite3.connect(path)
    other.execute("PRAGMA journal_mode=WAL")
    other.execute("CREATE TABLE scratch (x)")
    other.commit()
    try:
        journals = [Path(f"{path}-wal"), Path(f"{path}-shm")]
        for journal in journals:
            journal.chmod(0o644)
        make_contact(name="Owner Only")
        for candidate in (path, *journals):
            assert stat.S_IMODE(candidate.stat().st_mode) == 0o600, candidate
    finally:
        other.close()

"""names, streets and cities sort by Czech rules: their columns take the Czech collation, their indexes follow

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01

PostgreSQL: ALTER COLUMN ... TYPE ... COLLATE "cs-x-icu" rebuilds every index on the column
(the list orders, the code-list covering indexes, the unique names, lower(name)) by itself.

SQLite cannot alter a column, and rebuilding these tables (batch mode) would drop `contact`
while other tables refer to it: with foreign keys on, that deletes its contact persons and
notes (ON DELETE CASCADE) or stops on its services, and the search index's and change
counters' triggers would go with it. A collation only says how to compare, not how a row is
stored, so the column's declaration is edited in place instead (SQLite's documented
writable_schema procedure, https://www.sqlite.org/lang_altertable.html section 7), and the
indexes are built again in the new order (REINDEX) in the same transaction. The app registers
the collation on every connection (storage/engine.py).
"""
import re

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

CZECH = "cs-x-icu"
# Frozen here: (table, column, length) of each column that sorts by Czech rules.
COLUMNS = (
    ("user", "full_name", 120),
    *((table, "name", 64) for table in ("client_group", "client_status", "location", "service_type", "payment_type")),
    ("invoice_group", "name", 64),
    ("city", "name", 100),
    ("street", "name", 100),
    ("building", "name", 100),
    ("contact", "name", 200),
    ("contact", "company_name", 200),
    ("contact", "contact_person", 200),
    ("contact", "street", 200),
    ("contact", "city", 100),
    ("contact", "install_street", 200),
    ("contact", "install_city", 100),
    ("contact_person", "name", 200),
    ("service", "tariff_name", 100),
)


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        for table, column, length in COLUMNS:
            op.alter_column(table, column, type_=sa.String(length, collation=CZECH), existing_type=sa.String(length))
    else:
        _edit_sqlite_declarations(lambda declaration: f'{declaration} COLLATE "{CZECH}"')


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for table, column, length in COLUMNS:
            op.alter_column(table, column, type_=sa.String(length), existing_type=sa.String(length, collation=CZECH))
    else:
        _edit_sqlite_declarations(lambda declaration: declaration.removesuffix(f' COLLATE "{CZECH}"'))


def _edit_sqlite_declarations(edit) -> None:
    """Apply `edit` to the declaration ("\tname VARCHAR(200)", with its COLLATE if it has one) of each
    column in its table's CREATE TABLE, then rebuild the tables' indexes in the order that gives."""
    connection = op.get_bind()
    tables = {}
    for table, column, length in COLUMNS:
        tables.setdefault(table, []).append((column, length))
    version = connection.exec_driver_sql("PRAGMA schema_version").scalar_one()
    connection.exec_driver_sql("PRAGMA writable_schema = ON")
    for table, columns in tables.items():
        sql = connection.execute(
            sa.text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = :table"), {"table": table}
        ).scalar_one()
        for column, length in columns:
            declaration = re.compile(rf'(?<=\n)\s*"?{column}"? VARCHAR\({length}\)(?: COLLATE "{CZECH}")?')
            found = declaration.findall(sql)
            if len(found) != 1:
                raise RuntimeError(f"{table}.{column}: expected one declaration in {sql!r}")
            sql = declaration.sub(lambda match: edit(match.group(0)), sql)
        connection.execute(
            sa.text("UPDATE sqlite_master SET sql = :sql WHERE type = 'table' AND name = :table"),
            {"sql": sql, "table": table},
        )
    # A new schema version makes this and every other connection read the edited declarations.
    connection.exec_driver_sql(f"PRAGMA schema_version = {version + 1}")
    connection.exec_driver_sql("PRAGMA writable_schema = OFF")
    for table in tables:
        connection.exec_driver_sql(f'REINDEX "{table}"')
    problems = connection.exec_driver_sql("PRAGMA integrity_check").scalars().all()
    if problems != ["ok"]:
        raise RuntimeError(f"SQLite integrity check after the collation change: {problems}")

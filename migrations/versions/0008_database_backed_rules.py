"""uniqueness the app checked, now backed by the database: extra variable symbols, case-insensitive names

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01

Each extra variable symbol column becomes a unique index, and each code list and the invoice
groups get a unique index on lower(name).

Rows that already break these rules (saved by two clerks at once before the database checked)
are not changed here: which contact pays with a symbol, or which of two names is the right
one, only a person can say, and renaming or emptying them would change data without anybody
noticing. The upgrade then stops before changing anything and lists them; fix them in the
panel and run the upgrade again.
"""
import itertools

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# Frozen here: the columns and tables as this migration knows them.
EXTRA_VS_COLUMNS = ("extra_vs_1", "extra_vs_2", "extra_vs_3")
NAMED_TABLES = ("client_group", "client_status", "location", "service_type", "payment_type", "invoice_group")


class DuplicatesFound(RuntimeError):
    """Rows that the new unique indexes would refuse."""


def duplicates(connection) -> list[str]:
    """Each set of rows the new indexes would refuse, described for the person who fixes them."""
    found = []
    for column in EXTRA_VS_COLUMNS:
        rows = connection.execute(
            sa.text(
                f"SELECT {column}, client_number, name FROM contact WHERE {column} IN "
                f"(SELECT {column} FROM contact WHERE {column} IS NOT NULL GROUP BY {column} HAVING count(*) > 1) "
                f"ORDER BY {column}, client_number"
            )
        ).all()
        for symbol, holders in itertools.groupby(rows, key=lambda row: row[0]):
            found.append(
                f"contact.{column} = {symbol}: contacts "
                + ", ".join(f"{number} ({name})" for _, number, name in holders)
            )
    for table in NAMED_TABLES:
        rows = connection.execute(
            sa.text(
                f"SELECT lower(name), id, name FROM {table} WHERE lower(name) IN "
                f"(SELECT lower(name) FROM {table} GROUP BY lower(name) HAVING count(*) > 1) ORDER BY lower(name), id"
            )
        ).all()
        for _, entries in itertools.groupby(rows, key=lambda row: row[0]):
            found.append(f"{table}.name: " + ", ".join(f"“{name}” (id {id_})" for _, id_, name in entries))
    return found


def upgrade():
    found = duplicates(op.get_bind())
    if found:
        raise DuplicatesFound(
            "These rows break uniqueness rules the database is about to enforce; nothing was changed. "
            "Give each contact its own extra variable symbols and each entry a name of its own "
            "(names differing only in case count as the same), then run the upgrade again:\n  "
            + "\n  ".join(found)
        )
    for column in EXTRA_VS_COLUMNS:
        op.drop_index(f"ix_contact_{column}", table_name="contact")
        op.create_index(f"ix_contact_{column}", "contact", [column], unique=True)
    for table in NAMED_TABLES:
        op.create_index(f"uq_{table}_name_lower", table, [sa.text("lower(name)")], unique=True)


def downgrade():
    for table in NAMED_TABLES:
        op.drop_index(f"uq_{table}_name_lower", table_name=table)
    for column in EXTRA_VS_COLUMNS:
        op.drop_index(f"ix_contact_{column}", table_name="contact")
        op.create_index(f"ix_contact_{column}", "contact", [column], unique=False)

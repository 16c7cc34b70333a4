"""a staff user's remembered choices (the list's columns, the form's folded sections)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01

"""
import warnings
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


@contextmanager
def user_table():
    """Batch mode for the user table (see 0010: SQLite warns about the invoice groups' expression index)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based index")
        with op.batch_alter_table("user", schema=None) as batch_op:
            yield batch_op


def upgrade():
    with user_table() as batch_op:
        batch_op.add_column(sa.Column("preferences", sa.JSON(), nullable=False, server_default="{}"))


def downgrade():
    with user_table() as batch_op:
        batch_op.drop_column("preferences")

"""a staff user's chosen language, the provider's time zone

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01

"""
import warnings
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


@contextmanager
def user_table():
    """Batch mode for the user table. On SQLite it reads the table's foreign key target too, the
    invoice groups, and warns that it cannot read their expression index (lower(name)); that index
    is not the user table's and stays as it is."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based index")
        with op.batch_alter_table("user", schema=None) as batch_op:
            yield batch_op


def upgrade():
    with user_table() as batch_op:
        batch_op.add_column(sa.Column("language", sa.String(length=2), nullable=True))
        batch_op.create_check_constraint("language", sa.text("language IS NULL OR language IN ('cs', 'en')"))
    # The existing settings row gets Prague, the zone times were shown in so far.
    with op.batch_alter_table("setting", schema=None) as batch_op:
        batch_op.add_column(sa.Column("time_zone", sa.String(length=64), nullable=False, server_default="Europe/Prague"))
    with op.batch_alter_table("setting", schema=None) as batch_op:
        batch_op.alter_column("time_zone", server_default=None)


def downgrade():
    with op.batch_alter_table("setting", schema=None) as batch_op:
        batch_op.drop_column("time_zone")
    with user_table() as batch_op:
        batch_op.drop_constraint(op.f("ck_user_language"), type_="check")
        batch_op.drop_column("language")

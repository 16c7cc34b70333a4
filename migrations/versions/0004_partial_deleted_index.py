"""contact.deleted_at: a partial index over deleted contacts only

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25

"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("contact") as batch_op:
        batch_op.drop_index("ix_contact_deleted_at")
        batch_op.create_index("ix_contact_deleted_partial", ["deleted_at"], unique=False,
                              sqlite_where=sa.text("deleted_at IS NOT NULL"),
                              postgresql_where=sa.text("deleted_at IS NOT NULL"))


def downgrade():
    with op.batch_alter_table("contact") as batch_op:
        batch_op.drop_index("ix_contact_deleted_partial")
        batch_op.create_index("ix_contact_deleted_at", ["deleted_at"], unique=False)

"""the contact form's "Save anyway", remembered per pair of contacts and kind of duplicate

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01

"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "acknowledged_duplicate",
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("other_contact_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contact.id"],
            name=op.f("fk_acknowledged_duplicate_contact_id_contact"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["other_contact_id"],
            ["contact.id"],
            name=op.f("fk_acknowledged_duplicate_other_contact_id_contact"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_acknowledged_duplicate_user_id_user"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("contact_id", "other_contact_id", "kind", name=op.f("pk_acknowledged_duplicate")),
    )
    with op.batch_alter_table("acknowledged_duplicate", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_acknowledged_duplicate_other_contact_id"), ["other_contact_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_acknowledged_duplicate_user_id"), ["user_id"], unique=False)


def downgrade():
    op.drop_table("acknowledged_duplicate")

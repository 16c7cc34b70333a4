"""login sessions held on the server, wrong-password counters shared by all workers, session timeouts

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01

"""
import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "login_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("(user_id IS NULL) <> (contact_id IS NULL)", name=op.f("ck_login_session_one_holder")),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contact.id"], name=op.f("fk_login_session_contact_id_contact"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_login_session_user_id_user"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_session")),
        sa.UniqueConstraint("token", name=op.f("uq_login_session_token")),
    )
    with op.batch_alter_table("login_session", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_login_session_contact_id"), ["contact_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_login_session_user_id"), ["user_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_login_session_last_seen_at"), ["last_seen_at"], unique=False)
    op.create_table(
        "login_failure",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("last_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_login_failure")),
    )
    with op.batch_alter_table("login_failure", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_login_failure_last_at"), ["last_at"], unique=False)
    # The existing settings row gets the defaults (30 minutes idle, 12 hours in all).
    with op.batch_alter_table("setting", schema=None) as batch_op:
        batch_op.add_column(sa.Column("session_idle_minutes", sa.Integer(), nullable=False, server_default="30"))
        batch_op.add_column(sa.Column("session_lifetime_hours", sa.Integer(), nullable=False, server_default="12"))
        batch_op.create_check_constraint(
            "session_idle_minutes", sa.text("session_idle_minutes BETWEEN 5 AND 1440")
        )
        batch_op.create_check_constraint(
            "session_lifetime_hours", sa.text("session_lifetime_hours BETWEEN 1 AND 168")
        )
    with op.batch_alter_table("setting", schema=None) as batch_op:
        batch_op.alter_column("session_idle_minutes", server_default=None)
        batch_op.alter_column("session_lifetime_hours", server_default=None)


def downgrade():
    with op.batch_alter_table("setting", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_setting_session_lifetime_hours"), type_="check")
        batch_op.drop_constraint(op.f("ck_setting_session_idle_minutes"), type_="check")
        batch_op.drop_column("session_lifetime_hours")
        batch_op.drop_column("session_idle_minutes")
    with op.batch_alter_table("login_failure", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_login_failure_last_at"))
    op.drop_table("login_failure")
    with op.batch_alter_table("login_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_login_session_last_seen_at"))
        batch_op.drop_index(batch_op.f("ix_login_session_user_id"))
        batch_op.drop_index(batch_op.f("ix_login_session_contact_id"))
    op.drop_table("login_session")

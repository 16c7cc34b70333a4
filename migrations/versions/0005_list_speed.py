"""contacts list speed: change counters with their triggers, an index per list order and per filter

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25

"""
import sqlalchemy as sa
from alembic import op

# The trigger DDL lives in change_counters.py because the test suite builds its databases with it too.
from change_counters import drop_change_counters, install_change_counters

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# Frozen here: the migration must not change when models.LIST_ORDER_COLUMNS does.
LIST_ORDER_COLUMNS = ("client_number", "name", "company_name", "city", "street", "phone", "email")
LIST_FILTER_COLUMNS = ("client_group_id", "client_status_id", "location_id", "invoice_group_id", "payment_type_id")


def upgrade():
    op.create_table(
        "change_counter",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.Column("transaction_id", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_change_counter")),
    )
    install_change_counters(op.get_bind())
    with op.batch_alter_table("contact") as batch_op:
        for column in LIST_ORDER_COLUMNS:
            batch_op.create_index(f"ix_contact_list_{column}", [column, "id"], unique=False,
                                  sqlite_where=sa.text("deleted_at IS NULL"),
                                  postgresql_where=sa.text("deleted_at IS NULL"))
        for column in LIST_FILTER_COLUMNS:
            batch_op.drop_index(f"ix_contact_{column}")
            batch_op.create_index(f"ix_contact_{column}_name", [column, "name", "id"], unique=False)


def downgrade():
    with op.batch_alter_table("contact") as batch_op:
        for column in LIST_FILTER_COLUMNS:
            batch_op.drop_index(f"ix_contact_{column}_name")
            batch_op.create_index(f"ix_contact_{column}", [column], unique=False)
        for column in LIST_ORDER_COLUMNS:
            batch_op.drop_index(f"ix_contact_list_{column}")
    drop_change_counters(op.get_bind())
    op.drop_table("change_counter")

"""code-list indexes cover deleted_at: a filtered or code-list-sorted page reads the index alone

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25

"""
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# Frozen here: the migration must not change when models.LIST_FILTER_COLUMNS does.
LIST_FILTER_COLUMNS = ("client_group_id", "client_status_id", "location_id", "invoice_group_id", "payment_type_id")


def _recreate(columns_after_key: list[str]) -> None:
    for column in LIST_FILTER_COLUMNS:
        op.drop_index(f"ix_contact_{column}_name", table_name="contact")
        op.create_index(f"ix_contact_{column}_name", "contact", [column, *columns_after_key], unique=False)


def upgrade():
    _recreate(["name", "id", "deleted_at"])


def downgrade():
    _recreate(["name", "id"])

"""reference data: the settings row and the five system payment types

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25

"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# Frozen here on purpose: a migration must not change when models.py does.
SYSTEM_PAYMENT_TYPES = (
    ("bank_transfer", "Bank transfer"),
    ("direct_debit", "Direct debit"),
    ("bulk_payment", "Bulk payment"),
    ("postal_order", "Postal order"),
    ("cash", "Cash"),
)


def upgrade():
    connection = op.get_bind()
    if connection.execute(sa.text("SELECT count(*) FROM setting")).scalar() == 0:
        connection.execute(sa.text(
            "INSERT INTO setting (id, client_number_mode, last_client_number, default_country, default_due_days,"
            " min_search_length) VALUES (1, 'manual', 0, 'CZ', 14, 2)"))
    existing = {row[0] for row in connection.execute(sa.text("SELECT system_code FROM payment_type"))}
    has_default = connection.execute(sa.text("SELECT count(*) FROM payment_type WHERE is_default")).scalar() > 0
    for position, (code, name) in enumerate(SYSTEM_PAYMENT_TYPES):
        if code in existing:
            continue
        connection.execute(
            sa.text("INSERT INTO payment_type (name, position, hidden, system_code, is_default)"
                    " VALUES (:name, :position, :hidden, :code, :is_default)"),
            {"name": name, "position": position, "hidden": False, "code": code,
             "is_default": code == "bank_transfer" and not has_default})


def downgrade():
    # Reference data stays: contacts may use the payment types.
    pass

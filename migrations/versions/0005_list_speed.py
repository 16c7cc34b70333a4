"""contacts list speed: change counters with their triggers, an index per list order and per filter

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25

"""
import sqlalchemy as sa
from alembic import op

# Frozen here: storage/change_counters.py may change; what this migration did may not.
AREAS = {
    "contacts": ("contact", "service"),
    "code_lists": ("client_group", "client_status", "location", "invoice_group", "payment_type"),
}
POSTGRESQL_FUNCTION = """
CREATE OR REPLACE FUNCTION count_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO change_counter (name, value, transaction_id) VALUES (TG_ARGV[0], 1, txid_current())
    ON CONFLICT (name) DO UPDATE SET value = change_counter.value + 1, transaction_id = EXCLUDED.transaction_id
    WHERE change_counter.transaction_id IS DISTINCT FROM EXCLUDED.transaction_id;
    RETURN NULL;
END $$"""
TABLES = [(area, table) for area, tables in AREAS.items() for table in tables]
EVENTS = ("INSERT", "UPDATE", "DELETE")


def install_change_counters(connection) -> None:
    if connection.dialect.name == "postgresql":
        statements = [POSTGRESQL_FUNCTION]
        for area, table in TABLES:
            statements += [
                f"DROP TRIGGER IF EXISTS {table}_count_change ON {table}",
                (f"CREATE CONSTRAINT TRIGGER {table}_count_change AFTER INSERT OR UPDATE OR DELETE ON {table} "
                f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION count_change('{area}')"),
            ]
    else:
        statements = [
            f"CREATE TRIGGER IF NOT EXISTS {table}_{event.lower()}_count_change AFTER {event} ON {table} BEGIN "
            f"INSERT INTO change_counter (name, value) VALUES ('{area}', 1) "
            "ON CONFLICT (name) DO UPDATE SET value = value + 1; END"
            for area, table in TABLES for event in EVENTS
        ]
    for statement in statements:
        connection.exec_driver_sql(statement)


def drop_change_counters(connection) -> None:
    if connection.dialect.name == "postgresql":
        statements = [f"DROP TRIGGER IF EXISTS {table}_count_change ON {table}" for _, table in TABLES]
        statements.append("DROP FUNCTION IF EXISTS count_change()")
    else:
        statements = [f"DROP TRIGGER IF EXISTS {table}_{event.lower()}_count_change"
                      for _, table in TABLES for event in EVENTS]
    for statement in statements:
        connection.exec_driver_sql(statement)

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

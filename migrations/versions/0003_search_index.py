"""search index on contact.search_text: pg_trgm GIN on PostgreSQL, FTS5 trigram on SQLite

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25

"""
from alembic import op

# Frozen here: storage/search_index.py may change; what this migration did may not.
FTS_TABLE = "contact_fts"
TRGM_INDEX = "ix_contact_search_text_trgm"
SQLITE_DDL = (
    (f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
    "search_text, content='contact', content_rowid='id', tokenize='trigram')"),
    f"""CREATE TRIGGER IF NOT EXISTS contact_fts_insert AFTER INSERT ON contact BEGIN
        INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text); END""",
    f"""CREATE TRIGGER IF NOT EXISTS contact_fts_delete AFTER DELETE ON contact BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text) VALUES ('delete', old.id, old.search_text); END""",
    f"""CREATE TRIGGER IF NOT EXISTS contact_fts_update AFTER UPDATE OF search_text ON contact BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text) VALUES ('delete', old.id, old.search_text);
        INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text); END""",
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')",
)
POSTGRESQL_DDL = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    f"CREATE INDEX IF NOT EXISTS {TRGM_INDEX} ON contact USING gin (search_text gin_trgm_ops)",
)
SQLITE_DROP = ("DROP TRIGGER IF EXISTS contact_fts_insert", "DROP TRIGGER IF EXISTS contact_fts_delete",
               "DROP TRIGGER IF EXISTS contact_fts_update", f"DROP TABLE IF EXISTS {FTS_TABLE}")
POSTGRESQL_DROP = (f"DROP INDEX IF EXISTS {TRGM_INDEX}",)

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def run(sqlite: tuple[str, ...], postgresql: tuple[str, ...]) -> None:
    connection = op.get_bind()
    for statement in postgresql if connection.dialect.name == "postgresql" else sqlite:
        connection.exec_driver_sql(statement)


def upgrade():
    run(SQLITE_DDL, POSTGRESQL_DDL)


def downgrade():
    run(SQLITE_DROP, POSTGRESQL_DROP)

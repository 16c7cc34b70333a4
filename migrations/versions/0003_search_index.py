"""search index on contact.search_text: pg_trgm GIN on PostgreSQL, FTS5 trigram on SQLite

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25

"""
from alembic import op

# The DDL lives in search.py because the test suite builds its databases with it too.
from search import drop_search_index, install_search_index

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    install_search_index(op.get_bind())


def downgrade():
    drop_search_index(op.get_bind())

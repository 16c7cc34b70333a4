"""The contacts search: one normalised text column, indexed per database.

PostgreSQL gets a pg_trgm GIN index on `contact.search_text`; SQLite gets an FTS5 table with the
trigram tokenizer, kept in step by triggers. Both answer `%term%` without reading every row.
The objects live outside the models' metadata (migration 0003 and `install_search_index`
create them), so Alembic is told to leave them alone (`is_search_index_object`).
`keep_search_text_current` makes every flush of a contact refresh its search text.
"""

from __future__ import annotations

import unicodedata

import sqlalchemy as sa

from models import Contact

FTS_TABLE = "contact_fts"
TRGM_INDEX = "ix_contact_search_text_trgm"
# Trigrams need three characters; shorter words fall back to a plain LIKE.
MIN_INDEXED_LENGTH = 3

SQLITE_DDL = (
    (
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
        "search_text, content='contact', content_rowid='id', tokenize='trigram')"
    ),
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
SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS contact_fts_insert",
    "DROP TRIGGER IF EXISTS contact_fts_delete",
    "DROP TRIGGER IF EXISTS contact_fts_update",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
)
POSTGRESQL_DROP = (f"DROP INDEX IF EXISTS {TRGM_INDEX}",)


def normalise_search_text(*parts: object) -> str:
    """Lower-case, accent-free text of the given values, for case- and accent-insensitive search."""
    text = " ".join(str(p) for p in parts if p not in (None, ""))
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def _refresh_search_text(mapper, connection, contact: Contact) -> None:
    contact.search_text = normalise_search_text(*contact.searchable_values())


def keep_search_text_current() -> None:
    """Refresh `contact.search_text` whenever a contact is inserted or updated (idempotent)."""
    for event in ("before_insert", "before_update"):
        if not sa.event.contains(Contact, event, _refresh_search_text):
            sa.event.listen(Contact, event, _refresh_search_text)


def install_search_index(connection: sa.Connection) -> None:
    """Create the search index for this database (idempotent; fills it from existing rows)."""
    statements = POSTGRESQL_DDL if connection.dialect.name == "postgresql" else SQLITE_DDL
    for statement in statements:
        connection.exec_driver_sql(statement)


def drop_search_index(connection: sa.Connection) -> None:
    statements = POSTGRESQL_DROP if connection.dialect.name == "postgresql" else SQLITE_DROP
    for statement in statements:
        connection.exec_driver_sql(statement)


def is_search_index_object(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic's include_object: False for the search index objects we manage by hand."""
    return not (name and (name.startswith(FTS_TABLE) or name == TRGM_INDEX))


def search_terms(text: str) -> list[str]:
    """The normalised words of a search; each must occur in a contact's search text."""
    return normalise_search_text(text).split()


def matches_search(search_text: str | None, words: list[str]) -> bool:
    """search_condition's rule in Python: every word occurs in the contact's search text."""
    return search_text is not None and all(word in search_text for word in words)


def _like_pattern(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_condition(text: str, dialect: str) -> sa.ColumnElement[bool]:
    """A WHERE condition on Contact matching every word of `text`, case- and accent-insensitively."""
    words = search_terms(text)
    conditions = []
    indexed = [w for w in words if len(w) >= MIN_INDEXED_LENGTH]
    if dialect == "sqlite" and indexed:
        phrase = " AND ".join('"' + w.replace('"', '""') + '"' for w in indexed)
        fts = sa.table(FTS_TABLE, sa.column("rowid"))
        conditions.append(
            Contact.id.in_(
                sa.select(fts.c.rowid).where(sa.text(f"{FTS_TABLE} MATCH :phrase").bindparams(phrase=phrase))
            )
        )
        words = [w for w in words if len(w) < MIN_INDEXED_LENGTH]
    conditions += [Contact.search_text.like(_like_pattern(w), escape="\\") for w in words]
    return sa.and_(*conditions)

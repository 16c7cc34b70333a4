"""Storage machinery: engine hooks, the search index, change counters, backups, uploads, demo data.

`install_database_objects` adds what the models' metadata does not hold (the search index and
the counting triggers) to a database whose tables exist: the tests and demo data use it after
`create_all`; the migrations that first made these objects keep their own frozen copy.
"""

from __future__ import annotations

import sqlalchemy as sa

from storage.change_counters import drop_change_counters, install_change_counters
from storage.search_index import drop_search_index, install_search_index


def install_database_objects(connection: sa.Connection) -> None:
    """Create the search index and the change counters' triggers (idempotent)."""
    install_search_index(connection)
    install_change_counters(connection)


def drop_database_objects(connection: sa.Connection) -> None:
    """Drop them again: a bulk load runs faster without the triggers (demo data)."""
    drop_change_counters(connection)
    drop_search_index(connection)

"""The full export: every contact field of domain/contact_fields.py as text, under the headers the
import recognises, so that an exported file imports back to the same contacts.

One flat query of the contacts' columns, read in batches; the code lists are read once and
named from memory (no query per row), so 100,000 contacts take the memory of a batch.
"""

from __future__ import annotations

from collections.abc import Iterator

import sqlalchemy as sa

from domain.contact_fields import CODE_LIST_FIELDS, FIELDS, field_value
from domain.imports.register import CODE_LIST_MODELS
from models import Contact, db

BATCH_SIZE = 1000


def _columns() -> list[str]:
    """The contact's columns the fields are read from (gps from two, a code list from its id)."""
    names = []
    for spec in FIELDS:
        if spec.name in CODE_LIST_FIELDS:
            names.append(f"{spec.name}_id")
        elif spec.name in ("gps", "install_gps"):
            prefix = "install_" if spec.name == "install_gps" else ""
            names += [f"{prefix}gps_lat", f"{prefix}gps_lon"]
        else:
            names.append(spec.name)
    return names


def full_export_rows(ids_query=None) -> Iterator[list[str]]:
    """The header, then every contact of `ids_query` (a query of contact ids in their order; by
    default every contact not deleted, by client number) as the fields' texts."""
    yield [spec.header() for spec in FIELDS]
    columns = [getattr(Contact, name) for name in _columns()]
    if ids_query is None:
        statement = sa.select(*columns).where(Contact.deleted_at.is_(None)).order_by(Contact.client_number)
    else:
        statement = ids_query.with_entities(*columns).statement
    entries = {
        name: {entry.id: entry for entry in db.session.scalars(sa.select(model))}
        for name, model in CODE_LIST_MODELS.items()
    }
    readers = []
    for spec in FIELDS:
        if spec.name in CODE_LIST_FIELDS:
            readers.append(lambda row, spec=spec: entries[spec.name].get(getattr(row, f"{spec.name}_id")))
        else:
            readers.append(lambda row, spec=spec: field_value(row, spec.name))
    # Read in batches through a server-side cursor, closed however the reading ends.
    with db.session.execute(statement.execution_options(yield_per=BATCH_SIZE)) as result:
        for row in result:
            yield [spec.format(read(row)) for spec, read in zip(FIELDS, readers)]

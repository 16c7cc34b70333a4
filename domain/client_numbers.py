"""Client numbers: the variable symbol a client pays with, unique across numbers and extra symbols."""

from __future__ import annotations

import sqlalchemy as sa
import sqlalchemy.orm as so

from domain.settings import get_settings
from models import MAX_VARIABLE_SYMBOL, Contact, Setting, db


def pays_with(number: int) -> sa.ColumnElement[bool]:
    """Contacts whose client number or one of whose extra variable symbols is `number`."""
    return sa.or_(
        Contact.client_number == number,
        Contact.extra_vs_1 == number,
        Contact.extra_vs_2 == number,
        Contact.extra_vs_3 == number,
    )


def client_number_taken(number: int) -> bool:
    """Whether any contact, deleted ones included, pays with this number (client number or extra symbol)."""
    return db.session.scalar(sa.select(Contact.id).where(pays_with(number)).limit(1)) is not None


def next_client_number(after: int | None = None) -> int:
    """The lowest unused client number above `after` (by default, above the one issued last).

    Extra variable symbols count as used: a payment must point at one contact only.
    """
    candidate = (get_settings().last_client_number if after is None else after) + 1
    following = so.aliased(Contact)
    while client_number_taken(candidate):
        if contact_with_client_number(candidate) is None:
            candidate += 1  # an extra symbol, not a client number: the next number may be free
            continue
        # The end of the run of client numbers from here, then checked against the symbols too.
        gap = sa.select(sa.func.min(Contact.client_number + 1)).where(
            Contact.client_number >= candidate,
            ~sa.exists().where(following.client_number == Contact.client_number + 1),
        )
        candidate = max(candidate + 1, db.session.scalar(gap) or candidate + 1)
    return candidate


def allocate_client_number() -> int:
    """Take the next client number for a contact being saved, inside the saving transaction.

    The settings row is locked first (SELECT ... FOR UPDATE on PostgreSQL), so concurrent
    saves queue up here and each sees the numbers the ones before it committed.
    """
    settings = db.session.scalars(
        sa.select(Setting).where(Setting.id == 1).with_for_update().execution_options(populate_existing=True)
    ).one()
    number = next_client_number()
    if number > MAX_VARIABLE_SYMBOL:
        raise ClientNumbersExhausted(f"No client number of at most 10 digits is left above {number - 1}.")
    settings.last_client_number = number
    return number


def lock_numbering() -> None:
    """Make saves that give out client numbers or variable symbols take turns until this transaction ends.

    A symbol must differ from every client number and every other contact's symbols, in any of
    the columns: a unique index per column cannot say that. So a save that sets one takes this
    lock (the settings row, as `allocate_client_number` does) before it checks, and the save
    after it checks against what it stored. On SQLite a saving request already holds the
    database's write lock from its start (storage/engine.py); SQLite has no row locks.
    """
    db.session.execute(sa.select(Setting.id).where(Setting.id == 1).with_for_update())


class ClientNumbersExhausted(ValueError):
    """Automatic numbering has run past ten digits."""


def contact_with_client_number(number: int, exclude_id: int | None = None) -> Contact | None:
    """The contact (deleted ones included) holding this client number, other than `exclude_id`."""
    query = sa.select(Contact).where(Contact.client_number == number)
    if exclude_id is not None:
        query = query.where(Contact.id != exclude_id)
    return db.session.scalars(query.limit(1)).first()


def variable_symbol_owner(number: int, exclude_id: int | None = None) -> Contact | None:
    """The contact that already pays with `number`, as client number or extra variable symbol."""
    query = sa.select(Contact).where(pays_with(number))
    if exclude_id is not None:
        query = query.where(Contact.id != exclude_id)
    return db.session.scalars(query.limit(1)).first()

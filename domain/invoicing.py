"""Invoice number series."""

from __future__ import annotations

import sqlalchemy as sa

from models import InvoiceGroup, db

# Invoice numbers are variable symbols too: at most ten digits in all.
MAX_INVOICE_NUMBER_LENGTH = 10


def next_invoice_number(group: InvoiceGroup) -> str:
    """Issue the next number of the group's series; concurrent callers never get the same one.

    One UPDATE ... RETURNING both reads and moves the counter, so the database serialises it.
    Raises ValueError when the series is exhausted.
    """
    limit = 10 ** group.number_digits
    number = db.session.execute(
        sa.update(InvoiceGroup).where(InvoiceGroup.id == group.id, InvoiceGroup.next_number < limit)
        .values(next_number=InvoiceGroup.next_number + 1).returning(InvoiceGroup.next_number - 1)
        .execution_options(synchronize_session=False)
    ).scalar()
    if number is None:
        raise ValueError(f"The number series of {group.name} is exhausted.")
    db.session.expire(group, ["next_number"])
    return group.format_invoice_number(number)

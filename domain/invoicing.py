"""Invoice number series: the rules of a series and issuing its next number."""

from __future__ import annotations

import re

import sqlalchemy as sa
from flask_babel import gettext

from models import InvoiceGroup, db

# Invoice numbers are variable symbols too: at most ten digits in all.
MAX_INVOICE_NUMBER_LENGTH = 10


def next_invoice_number(group: InvoiceGroup) -> str:
    """Issue the next number of the group's series; concurrent callers never get the same one.

    One UPDATE ... RETURNING both reads and moves the counter, so the database serialises it.
    Raises ValueError when the series is exhausted or its digits are out of range.
    """
    # The bound comes first: 10 ** 2147483648 would keep the worker busy until it is killed.
    if not 1 <= group.number_digits <= MAX_INVOICE_NUMBER_LENGTH:
        raise ValueError(f"The number series of {group.name} has {group.number_digits} digits.")
    limit = 10**group.number_digits
    number = db.session.execute(
        sa.update(InvoiceGroup)
        .where(InvoiceGroup.id == group.id, InvoiceGroup.next_number < limit)
        .values(next_number=InvoiceGroup.next_number + 1)
        .returning(InvoiceGroup.next_number - 1)
        .execution_options(synchronize_session=False)
    ).scalar()
    if number is None:
        raise ValueError(f"The number series of {group.name} is exhausted.")
    db.session.expire(group, ["next_number"])
    return group.format_invoice_number(number)


def series_errors(
    prefix: str, digits: int | None, next_number: int | None, group: InvoiceGroup | None
) -> dict[str, str]:
    """The field errors of a number series typed for `group` (None: a new group); `prefix` is already stripped."""
    errors = {}
    # Digits beyond the longest number are refused before 10 ** digits is computed (a form's own
    # range check does not stop this rule from running).
    if isinstance(digits, int) and not 1 <= digits <= MAX_INVOICE_NUMBER_LENGTH:
        errors["number_digits"] = gettext("From 1 to %(most)d digits.", most=MAX_INVOICE_NUMBER_LENGTH)
        digits = None
    # ASCII only: \d would also take "٢٠٢٦" or "２０２６", which no bank reads as a variable symbol.
    if prefix and not re.fullmatch(r"[0-9]+", prefix):
        errors["series_prefix"] = gettext("Only digits: invoice numbers are variable symbols.")
    elif isinstance(digits, int) and len(prefix) + digits > MAX_INVOICE_NUMBER_LENGTH:
        errors["number_digits"] = gettext("Prefix and digits together make at most 10 digits.")
    if isinstance(digits, int) and isinstance(next_number, int) and next_number >= 10**digits:
        errors["next_number"] = gettext("The number does not fit into %(digits)d digits.", digits=digits)
    # Numbers already issued must not be issued again; a new prefix starts a new series.
    if (
        group is not None
        and isinstance(next_number, int)
        and next_number < group.next_number
        and prefix == group.series_prefix
    ):
        errors["next_number"] = gettext(
            "The series has reached %(number)s; going back would issue numbers twice.",
            number=group.next_invoice_preview,
        )
    return errors

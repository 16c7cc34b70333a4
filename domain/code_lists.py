"""Code lists: names unique whatever the case, and the payment types' system entries and single default."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext

from models import PaymentType, db


def entry_named(model, name: str, exclude_id: int = 0):
    """The entry of code list (or invoice groups) `model` whose name equals `name` whatever the case,
    other than `exclude_id`.

    The database lowers both sides, as its unique index on lower(name) does: the check and the
    index agree on every name.
    """
    return db.session.scalars(
        sa.select(model).where(sa.func.lower(model.name) == sa.func.lower(name), model.id != exclude_id)
    ).first()


def payment_type_errors(
    payment_type: PaymentType | None, name: str | None, is_default: bool, hidden: bool
) -> dict[str, str]:
    """The field errors of saving `payment_type` (None: a new one) with this name, default and hidden flag."""
    errors = {}
    if payment_type is not None and payment_type.is_system and name != payment_type.name:
        errors["name"] = gettext("System payment types cannot be renamed.")
    if is_default and hidden:
        errors["hidden"] = gettext("The default payment type cannot be hidden.")
    if payment_type is not None and payment_type.is_default and not is_default:
        errors["is_default"] = gettext("Make another type the default instead; one type is always the default.")
    return errors


def payment_type_delete_refusal(payment_types: list[PaymentType]) -> str | None:
    """Why these payment types cannot be deleted (system types and the default stay), or None."""
    protected = [p for p in payment_types if p.is_system or p.is_default]
    if protected:
        return gettext(
            "System payment types and the default type cannot be deleted: %(names)s.",
            names=", ".join(map(str, protected)),
        )
    return None


def make_default_payment_type(payment_type: PaymentType) -> None:
    """Make `payment_type` the only default, in the current transaction."""
    # Unset the old default before this row is flushed: a partial unique index allows one default.
    with db.session.no_autoflush:
        db.session.execute(
            sa.update(PaymentType)
            .where(PaymentType.is_default, PaymentType.id != payment_type.id)
            .values(is_default=False)
            .execution_options(synchronize_session="fetch")
        )
    payment_type.is_default = True

"""Bulk changes of many contacts at once."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext

from models import ChangeLog, Contact, PaymentType, User, db, utcnow

# Fields a bulk change may set on many contacts at once.
BULK_FIELDS = (
    "client_group_id",
    "client_status_id",
    "location_id",
    "payment_type_id",
    "invoice_group_id",
    "is_marked",
)
# Of those, the ones a contact may be without: a bulk change may empty them.
CLEARABLE_FIELDS = ("client_group_id", "client_status_id", "location_id")


def is_bulk_payment(payment_type_id: object) -> bool:
    """Whether `payment_type_id` is the system payment type "bulk payment"."""
    code = db.session.scalar(sa.select(PaymentType.system_code).where(PaymentType.id == payment_type_id))
    return code == "bulk_payment"


def bulk_change_errors(field: str, value, bulk_payment_number: str | None) -> dict[str, str]:
    """The field errors of a bulk change, as on the contact form: bulk payment needs its number."""
    if field == "payment_type_id" and is_bulk_payment(value) and not (bulk_payment_number or "").strip():
        return {"bulk_payment_number": gettext("Bulk payment needs the bulk payment number.")}
    return {}


def bulk_update_contacts(ids: list[int], field: str, value, user: User | None, bulk_payment_number=None) -> int:
    """Set `field` to `value` on the contacts `ids`, one history entry each; one transaction, no commit.

    Bulk payment sets `bulk_payment_number` with the payment type (a contact that already pays
    in bulk with another number gets the new one). Returns how many contacts changed (those
    that already had the values are left alone). Raises ValueError for a change a contact
    must not get: a field not allowed in bulk, a required field emptied, bulk payment without
    its number.
    """
    if field not in BULK_FIELDS:
        raise ValueError(f"{field} cannot be changed in bulk")
    if value is None and field not in CLEARABLE_FIELDS:
        raise ValueError(f"{field} cannot be emptied")
    if bulk_change_errors(field, value, bulk_payment_number):
        raise ValueError("bulk payment needs the bulk payment number")
    values = {field: value}
    if field == "payment_type_id" and is_bulk_payment(value):
        values["bulk_payment_number"] = bulk_payment_number.strip()
    columns = [Contact.__table__.c[name] for name in values]
    changed = 0
    now = utcnow()
    for start in range(0, len(ids), 1000):
        chunk = ids[start : start + 1000]
        old_values = db.session.execute(
            sa.select(Contact.id, *columns).where(
                Contact.id.in_(chunk),
                Contact.deleted_at.is_(None),
                sa.or_(*(column.is_distinct_from(values[column.key]) for column in columns)),
            )
        ).all()
        if not old_values:
            continue
        update = {**values, "version": Contact.version + 1, "updated_at": now}
        if field == "client_status_id":
            update["status_changed_at"] = now
        db.session.execute(
            sa.update(Contact)
            .where(Contact.id.in_([row.id for row in old_values]))
            .values(**update)
            .execution_options(synchronize_session=False)
        )
        db.session.execute(
            sa.insert(ChangeLog),
            [
                {
                    "contact_id": row.id,
                    "user_id": user.id if user else None,
                    "actor": "staff",
                    "created_at": now,
                    "action": "bulk change",
                    "changes": {
                        name: {"old": old, "new": new}
                        for (name, new), old in zip(values.items(), row[1:], strict=True)
                        if old != new
                    },
                }
                for row in old_values
            ],
        )
        changed += len(old_values)
    db.session.expire_all()
    return changed

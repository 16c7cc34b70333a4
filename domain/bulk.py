"""Bulk changes of many contacts at once."""

from __future__ import annotations

import sqlalchemy as sa

from models import ChangeLog, Contact, User, db, utcnow

# Fields a bulk change may set on many contacts at once.
BULK_FIELDS = ("client_group_id", "client_status_id", "payment_type_id", "invoice_group_id", "is_marked")


def bulk_update_contacts(ids: list[int], field: str, value, user: User | None) -> int:
    """Set `field` to `value` on the contacts `ids`, one history entry each; one transaction, no commit.

    Returns how many contacts changed (those that already had the value are left alone).
    """
    if field not in BULK_FIELDS:
        raise ValueError(f"{field} cannot be changed in bulk")
    column = Contact.__table__.c[field]
    changed = 0
    now = utcnow()
    for start in range(0, len(ids), 1000):
        chunk = ids[start : start + 1000]
        old_values = db.session.execute(
            sa.select(Contact.id, column).where(
                Contact.id.in_(chunk), Contact.deleted_at.is_(None), column.is_distinct_from(value)
            )
        ).all()
        if not old_values:
            continue
        values = {field: value, "version": Contact.version + 1, "updated_at": now}
        if field == "client_status_id":
            values["status_changed_at"] = now
        db.session.execute(
            sa.update(Contact)
            .where(Contact.id.in_([row.id for row in old_values]))
            .values(**values)
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
                    "changes": {field: {"old": row[1], "new": value}},
                }
                for row in old_values
            ],
        )
        changed += len(old_values)
    db.session.expire_all()
    return changed

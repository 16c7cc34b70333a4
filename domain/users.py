"""Staff users: at least one active administrator always remains, and nobody locks themselves out."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext

from models import User, db


def remaining_admins() -> int:
    """How many active administrators the database holds (within the current transaction)."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(User).where(User.role == "admin", User.active))


def user_change_refusal(user: User, acting_user: User) -> str | None:
    """Why the pending changes to the existing `user`, made by `acting_user`, cannot be saved, or None."""
    if user.id == acting_user.id and (not user.active or not user.is_admin):
        return gettext("You cannot take away your own administrator access.")
    # The count must see this user's new role and active flag.
    db.session.flush()
    if not remaining_admins():
        return gettext("At least one active administrator must remain.")
    return None


def user_delete_refusal(user: User, acting_user: User) -> str | None:
    """Why `acting_user` cannot delete `user`, or None when it may."""
    if user.id == acting_user.id:
        return gettext("You cannot delete your own account.")
    if user.is_admin and user.active and remaining_admins() <= 1:
        return gettext("At least one active administrator must remain.")
    return None

"""A staff user's remembered choices, kept with the user (so they follow the clerk to any computer).

Each preference is a list of short names (columns shown, sections folded); the page that reads one
keeps only the names it knows, so a renamed column or section simply drops out.
"""

from __future__ import annotations

from models import User, db

# The preferences a page may store, by name.
PREFERENCES = frozenset({"contact_list_columns", "contact_form_folded"})
MAX_ITEMS = 100
MAX_ITEM_LENGTH = 64


def preference(user: User, name: str) -> list[str] | None:
    """What `user` chose for `name`, or None when they have not chosen (the page's default applies)."""
    return (user.preferences or {}).get(name)


def remember_preference(user: User, name: str, items: list[str]) -> None:
    """Store `items` as `user`'s choice for `name` (committed by the caller); ValueError when the
    name is unknown or the items are not a short list of short names."""
    if name not in PREFERENCES:
        raise ValueError(f"unknown preference {name!r}")
    if len(items) > MAX_ITEMS or any(not item or len(item) > MAX_ITEM_LENGTH for item in items):
        raise ValueError("a preference is a short list of short names")
    # A new dict: the JSON column notices a replaced value, not one changed in place.
    user.preferences = {**(user.preferences or {}), name: list(dict.fromkeys(items))}
    db.session.add(user)

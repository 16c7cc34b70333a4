"""Which of the contacts list's columns a clerk sees: their own choice, remembered with them.

The choice is stored as the names of the columns shown (domain/preferences.py, "contact_list_columns").
The list keeps its own column order and its sort numbers (`?sort=3` is the city for everyone), so a
link works for a clerk who hides other columns. The name is always shown: a row must say whose it is.
"""

from __future__ import annotations

from typing import NamedTuple

COLUMNS_PREFERENCE = "contact_list_columns"
ALWAYS_SHOWN = "name"


class ColumnChoice(NamedTuple):
    """One line of the "Columns" chooser."""

    name: str
    label: str
    shown: bool
    fixed: bool


def shown_columns(names: list[str], chosen: list[str] | None) -> list[str]:
    """The columns of `names` (in their order) that a clerk who `chosen` these sees; every one when
    they have not chosen. Names the list no longer has are ignored."""
    if chosen is None:
        return list(names)
    return [name for name in names if name == ALWAYS_SHOWN or name in chosen]


def column_choices(columns: list[tuple[str, str]], shown: list[str]) -> list[ColumnChoice]:
    """The chooser's lines for the list's `columns` (name, label), ticked where `shown`."""
    return [ColumnChoice(name, str(label), name in shown, name == ALWAYS_SHOWN) for name, label in columns]

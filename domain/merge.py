"""Three-way merge: what a clerk typed, combined with what someone else saved meanwhile."""

from __future__ import annotations

from dataclasses import dataclass


class _Missing:
    """A key one side does not have: a row it deleted, or one it never saw."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING = _Missing()


@dataclass(frozen=True)
class Conflict:
    """A value both sides changed, to different results."""

    base: object
    mine: object
    theirs: object


def three_way_merge(base: dict, mine: dict, theirs: dict) -> tuple[dict, dict[tuple, Conflict]]:
    """Merge `mine` and `theirs`, both changed from `base`; the merged values and the conflicts by path.

    A value only one side changed takes that side's value; a value both changed alike is simply
    that. Nested dicts (a contact's rows by id, a row's fields) merge key by key, so two people
    changing different fields of one row do not clash; a key missing on a side is a row that side
    deleted or never had. Where both changed a value differently, the conflict is reported under
    its path of keys and the merge keeps the clerk's value (`mine`), or the side that still has
    the row when the other deleted it: nobody's typing is dropped, and the clerk decides.
    """
    merged, conflicts = {}, {}
    for key in [*mine, *(k for k in theirs if k not in mine), *(k for k in base if k not in mine and k not in theirs)]:
        b, m, t = base.get(key, MISSING), mine.get(key, MISSING), theirs.get(key, MISSING)
        if m == t or t == b:
            value = m
        elif m == b:
            value = t
        elif isinstance(m, dict) and isinstance(t, dict):
            value, inner = three_way_merge(b if isinstance(b, dict) else {}, m, t)
            conflicts |= {(key, *path): conflict for path, conflict in inner.items()}
        else:
            conflicts[(key,)] = Conflict(b, m, t)
            value = t if m is MISSING else m
        if value is not MISSING:
            merged[key] = value
    return merged, conflicts

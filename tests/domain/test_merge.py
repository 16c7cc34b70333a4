"""The three-way merge rule, without HTTP: the clerk's form, what was stored meanwhile, and what both started from."""

from __future__ import annotations

from domain.merge import MISSING, Conflict, three_way_merge

BASE = {"city": "Praha", "mobile": "+420601000001", "email": None, "note": "a"}


def test_each_side_keeps_what_only_it_changed():
    mine = BASE | {"city": "Ostrava"}
    theirs = BASE | {"mobile": "+420777000002", "email": "billing@example.cz"}
    assert three_way_merge(BASE, mine, theirs) == (
        {"city": "Ostrava", "mobile": "+420777000002", "email": "billing@example.cz", "note": "a"},
        {},
    )


def test_the_same_change_on_both_sides_is_no_clash():
    both = BASE | {"city": "Brno"}
    assert three_way_merge(BASE, both, dict(both)) == (both, {})


def test_different_changes_of_one_value_clash_and_the_clerks_value_is_kept():
    merged, conflicts = three_way_merge(BASE, BASE | {"city": "Ostrava"}, BASE | {"city": "Brno"})
    assert merged["city"] == "Ostrava"
    assert conflicts == {("city",): Conflict("Praha", "Ostrava", "Brno")}


def test_clearing_a_value_is_a_change_too():
    merged, conflicts = three_way_merge(BASE, BASE | {"note": None}, BASE | {"city": "Brno"})
    assert merged == BASE | {"note": None, "city": "Brno"} and conflicts == {}


def rows(**by_id) -> dict:
    return {"persons": {key: {"name": name, "phone": phone} for key, (name, phone) in by_id.items()}}


def test_rows_merge_field_by_field_and_keep_both_sides_additions_and_deletions():
    base = rows(**{"1": ("Jan", "1"), "2": ("Eva", None), "3": ("Karel", None)})
    # The clerk: Jan's name, Karel deleted, a new row. The other side: Jan's phone, Eva deleted, a new row.
    mine = rows(**{"1": ("Jan N.", "1"), "2": ("Eva", None), "new 0": ("Ota", None)})
    theirs = rows(**{"1": ("Jan", "9"), "3": ("Karel", None), "4": ("Petr", None)})
    merged, conflicts = three_way_merge(base, mine, theirs)
    assert conflicts == {}
    assert merged == rows(**{"1": ("Jan N.", "9"), "new 0": ("Ota", None), "4": ("Petr", None)})


def test_a_row_deleted_on_one_side_and_changed_on_the_other_clashes_and_survives():
    base = rows(**{"1": ("Jan", "1"), "2": ("Eva", None)})
    mine = rows(**{"1": ("Jan", "5")})  # the clerk changed Jan and deleted Eva
    theirs = rows(**{"2": ("Eva K.", None)})  # the other side deleted Jan and renamed Eva
    merged, conflicts = three_way_merge(base, mine, theirs)
    assert merged == rows(**{"1": ("Jan", "5"), "2": ("Eva K.", None)})
    assert conflicts == {
        ("persons", "1"): Conflict({"name": "Jan", "phone": "1"}, {"name": "Jan", "phone": "5"}, MISSING),
        ("persons", "2"): Conflict({"name": "Eva", "phone": None}, MISSING, {"name": "Eva K.", "phone": None}),
    }


def test_one_field_of_a_row_both_changed_clashes_alone():
    base = rows(**{"1": ("Jan", "1")})
    merged, conflicts = three_way_merge(base, rows(**{"1": ("Jan N.", "2")}), rows(**{"1": ("Jan", "3")}))
    assert merged == rows(**{"1": ("Jan N.", "2")})
    assert conflicts == {("persons", "1", "phone"): Conflict("1", "2", "3")}


def test_without_a_base_every_difference_clashes_and_nothing_is_taken_silently():
    merged, conflicts = three_way_merge({}, BASE | {"city": "Ostrava"}, BASE | {"mobile": "+420777000002"})
    assert merged == BASE | {"city": "Ostrava"}
    assert set(conflicts) == {("city",), ("mobile",)}

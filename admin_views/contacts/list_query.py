"""How the contacts list reads its pages, fast at 100,000 contacts and more: `ContactListQuery`.

What costs most is kept until the data under it changes (storage/change_counters.py): the count,
the counts per key of a code-list sort, the filter choices and the colour legend. A page is read
in two short queries: its ids, then their columns as flat rows (list_rows.list_page). The ids
come from the filtered, sorted query, an index walk for the list's orders, read from the end for
a page past the middle; a sort by a code list reads them key by key; a search that many contacts
match reads them along the list's order.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import get_locale

from admin_views.contacts.list_rows import LegendEntry, ListRow, colour_legend, list_page
from models import ClientGroup, ClientStatus, Contact, InvoiceGroup, db
from storage.change_counters import ChangeCache, change_counters
from storage.search_index import matches_search, search_terms

# Up to this many search matches, PostgreSQL sorts the matches rather than walk the list order's index.
FEW_MATCHES = 5000
# Past FEW_MATCHES, a search page is looked for among this many contacts of the list's order.
SEARCH_WALK_ROWS = 2000


# Sorting by a code list (its entries' names) or by contact/client: no index gives that order,
# so the database joins and sorts every contact (50-120 ms at 100,000, ten times that at a
# million). But the contacts of one key (one group, say) come in name order from the
# (key, name, id) index. So the list counts the contacts per key, cached like the count, and
# reads a page key by key, in the order the SQL sort (the export's) gives: keys ascending,
# then name, then id.
KEYED_SORTS = {
    "client_group": (Contact.client_group_id, ClientGroup),
    "client_status": (Contact.client_status_id, ClientStatus),
    "invoice_group": (Contact.invoice_group_id, InvoiceGroup),
    "is_client": (Contact.is_client, None),
}


def sort_keys(sort_column: str) -> list:
    """The keys of a keyed sort in ascending order, as the database orders them."""
    _, code_list = KEYED_SORTS[sort_column]
    if code_list is None:
        return [False, True]
    keys = list(db.session.scalars(sa.select(code_list.id).order_by(code_list.name)))
    # PostgreSQL sorts NULL (no group) after every name, SQLite before.
    return keys + [None] if db.engine.dialect.name == "postgresql" else [None] + keys


def page_ids(in_order, in_reverse, total: int, offset: int, limit: int, read_ids) -> list[int]:
    """Ids `offset` to `offset + limit` of `in_order`, a query of `total` rows; `in_reverse` is the
    same query in the opposite order. A page nearer the end is read from the end: OFFSET walks
    every row it skips (the last page of 1,000,000 contacts took 78 ms)."""
    from_the_end = total - offset - limit
    if offset <= from_the_end:
        return read_ids(in_order.offset(offset).limit(limit))
    return read_ids(in_reverse.offset(max(from_the_end, 0)).limit(max(min(limit, total - offset), 0)))[::-1]


def key_condition(column, key):
    """Contacts whose sort key (KEYED_SORTS) is `key`."""
    if key is None:
        return column.is_(None)
    if isinstance(key, bool):
        return column if key else ~column
    return column == key


def contacts_per_key(count_query, sort_column: str) -> dict:
    """How many contacts of `count_query` (the list's count, filtered) each key of the sort has."""
    column, code_list = KEYED_SORTS[sort_column]
    rows = count_query.with_entities(column, sa.func.count()).group_by(column)
    # SQLite gives contact/client as 0 and 1.
    return {(bool(key) if code_list is None else key): count for key, count in rows}


def keyed_page(
    matches, sort_column: str, keys: list, counts: dict, offset: int, limit: int, descending: bool, read_ids
) -> list[int]:
    """The ids of one page of `matches` (the list's filtered query of ids) in keyed-sort order.

    Only the keys the page overlaps are read, each from its index: `read_ids(query)` runs one.
    """
    column, _ = KEYED_SORTS[sort_column]
    ascending, descending_order = (Contact.name, Contact.id), (Contact.name.desc(), Contact.id.desc())
    order, reverse = (descending_order, ascending) if descending else (ascending, descending_order)
    ids: list[int] = []
    for key in reversed(keys) if descending else keys:
        count = counts.get(key, 0)
        if offset >= count:
            offset -= count
            continue
        part = matches.filter(key_condition(column, key))
        ids += page_ids(part.order_by(*order), part.order_by(*reverse), count, offset, limit - len(ids), read_ids)
        offset = 0
        if len(ids) >= limit:
            break
    return ids


def ids_of(query) -> list[int]:
    """The ids a query of ids gives, in its order."""
    return [contact_id for (contact_id,) in query]


def ids_sorting_matches(query) -> list[int]:
    """The ids of a search's page, PostgreSQL made to sort the (few) matches.

    Otherwise it walks the sort order's index expecting matches spread evenly, but a search
    clusters them (every Novák sits under N): "novak" read 19,000 index rows, 30 ms, where
    sorting its 2,000 matches from the trigram index takes 5 ms.
    """
    db.session.execute(sa.text("SET LOCAL enable_indexscan = off"))
    try:
        return ids_of(query)
    finally:
        db.session.execute(sa.text("RESET enable_indexscan"))


def list_key(search, filters) -> tuple:
    """What the list's cached counts are kept under: the search and the filters' values."""
    return search, tuple((index, value) for index, _, value in filters or ())


class ContactListQuery:
    """The contacts list's reads for one view (so for one app): pages, whole lists, and what they cache.

    It queries through the view's own hooks (get_query, search, filters, sorting), so the list,
    the export and bulk changes all see the same contacts.
    """

    def __init__(self, view):
        self.view = view
        # Per view, so per app: what one database gave is never served for another.
        self._counts, self._sort_keys, self._legend, self._filter_groups = (ChangeCache() for _ in range(4))
        self._filters_counter = None

    # Pages and whole lists

    def page(self, page: int, page_size: int, sort_column, sort_desc, search, filters) -> tuple[int, list[ListRow]]:
        """The count of matching contacts and the rows of one page (page_size 0: every one)."""
        matches, count_query, joins = self._matching(search, filters)
        ordered = self._in_list_order(matches, joins, sort_column, sort_desc)
        counter = change_counters()["contacts"]
        key = list_key(search, filters)
        if sort_column in KEYED_SORTS:
            per_key = self._counts.get(counter, (key, sort_column), lambda: contacts_per_key(count_query, sort_column))
            count = sum(per_key.values())
        else:
            count = self._counts.get(counter, key, count_query.scalar)
        offset = page * page_size
        few_matches = search and count <= FEW_MATCHES and db.engine.dialect.name == "postgresql"
        read = ids_sorting_matches if few_matches else ids_of
        if not page_size:
            ids = read(ordered)
        elif sort_column in KEYED_SORTS:
            keys = self._sort_keys.get(change_counters()["code_lists"], sort_column, lambda: sort_keys(sort_column))
            ids = keyed_page(matches, sort_column, keys, per_key, offset, page_size, sort_desc, read)
        else:
            ids = None
            if search and count > FEW_MATCHES:
                ids = self._search_page_in_list_order(sort_column, sort_desc, filters, search, count, offset, page_size)
            if ids is None:
                reverse = self._in_list_order(matches, joins, *self._reverse_order(sort_column, sort_desc))
                ids = page_ids(ordered, reverse, count, offset, page_size, read)
        return count, list_page(ids, self.view.shown_columns())

    def ordered_ids(self, sort_column, sort_desc, search, filters):
        """A query of the ids of every contact the list shows (all pages), in the list's order."""
        matches, _, joins = self._matching(search, filters)
        return self._in_list_order(matches, joins, sort_column, sort_desc)

    def matching_ids(self, search, filters):
        """A query of the ids of every contact the list shows, in no order."""
        matches, _, _ = self._matching(search, filters)
        return matches

    # What the page shows besides its rows

    def refresh_filters(self) -> None:
        """Read the filters' choices again if the code lists changed since (Flask-Admin reads them once)."""
        code_lists = change_counters()["code_lists"]
        if code_lists != self._filters_counter:
            self.view._refresh_filters_cache()
            self._filters_counter = code_lists

    def filter_groups(self, compute):
        # The filters and their choices as the page's script reads them, translated: they change
        # with the code lists and the language only.
        return self._filter_groups.get(change_counters()["code_lists"], str(get_locale()), compute)

    def colour_legend(self) -> list[LegendEntry]:
        # Per language: the legend's own words ("Marked client") are translated.
        return self._legend.get(change_counters()["code_lists"], str(get_locale()), colour_legend)

    # The queries

    def _matching(self, search, filters):
        """The ids query, count query and joins for this search and these filters (unsorted)."""
        view = self.view
        query, count_query, joins, count_joins = view.get_query(), view.get_count_query(), {}, {}
        if search:
            query, count_query, joins, count_joins = view._apply_search(query, count_query, joins, count_joins, search)
        if filters and view._filters:
            query, count_query, joins, count_joins = view._apply_filters(
                query, count_query, joins, count_joins, filters
            )
        return query.with_entities(Contact.id), count_query, joins

    def _in_list_order(self, query, joins, sort_column, sort_desc):
        """`query` in the list's order: the chosen column, then what keeps equal values in one order."""
        query, _ = self.view._apply_sorting(query, dict(joins), sort_column, sort_desc)  # a copy: it adds to joins
        if sort_column is not None:  # equal cities (...) keep one order from page to page
            ties = (Contact.name, Contact.id) if sort_column in KEYED_SORTS else (Contact.id,)
            query = query.order_by(*(column.desc() if sort_desc else column for column in ties))
        return query

    @staticmethod
    def _reverse_order(sort_column, sort_desc) -> tuple[str, bool]:
        """The sort column and direction that list the contacts in exactly the opposite order."""
        if sort_column is None:  # column_default_sort: name, then id
            return "name", True
        return sort_column, not sort_desc

    def _search_page_in_list_order(self, sort_column, sort_desc, filters, search, count, offset, limit):
        """A search that many contacts match (a town, a common syllable): its page read along the
        list's own order, each contact's search text matched here; None when the page is not
        within the first SEARCH_WALK_ROWS contacts of that order.

        The search index hands over every match, which the database then sorts: 40-55 ms for
        40,000 matches, where the list's first few hundred contacts hold the page.
        """
        listed, listed_count, joins = self._matching(None, filters)
        total = self._counts.get(change_counters()["contacts"], list_key(None, filters), listed_count.scalar)
        # The contacts that hold the page if the matches are spread evenly, twice over.
        rows = 2 * (offset + limit) * total // count + limit
        if rows > SEARCH_WALK_ROWS:
            return None
        read = (
            self._in_list_order(listed.with_entities(Contact.id, Contact.search_text), joins, sort_column, sort_desc)
            .limit(rows)
            .all()
        )
        words = search_terms(search)
        found = [contact_id for contact_id, text in read if matches_search(text, words)]
        if len(found) >= offset + limit or len(read) < rows:  # the page is complete, or the list ended
            return found[offset : offset + limit]
        return None

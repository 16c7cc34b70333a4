"""The contacts list: filters, the indexed search, row colours and the client/contact column."""

from __future__ import annotations

import html
from datetime import datetime, time, timedelta
from typing import NamedTuple

import sqlalchemy as sa
from flask_admin.contrib.sqla.filters import BaseSQLAFilter, BooleanEqualFilter, DateBetweenFilter, IntEqualFilter
from flask_babel import gettext, lazy_gettext
from markupsafe import Markup

from admin_views.code_lists import COLOUR
from models import ClientGroup, ClientStatus, Contact, InvoiceGroup, Location, PaymentType, db
from domain.validators import format_phone

MARKED_COLOUR = "#c3e6cb"
SUSPENDED_COLOUR = "#f8d7da"


def options_of(model):
    """Filter choices for a code list, read again when the code lists have changed (ContactView.index_view)."""

    def options():
        order = (model.position, model.name) if hasattr(model, "position") else (model.name,)
        try:
            return [(str(row.id), row.name) for row in db.session.scalars(sa.select(model).order_by(*order))]
        except sa.exc.SQLAlchemyError:
            # Flask-Admin asks at start-up too, when `flask db upgrade` has not made the tables yet.
            db.session.rollback()
            return []

    return options


class ClientOrContactFilter(BaseSQLAFilter):
    """Clients (a service that is not ended) or plain contacts."""

    def apply(self, query, value, alias=None):
        return query.filter(Contact.is_client if value == "client" else ~Contact.is_client)

    def operation(self):
        return lazy_gettext("is")


class HasSocketFilter(BaseSQLAFilter):
    def apply(self, query, value, alias=None):
        return query.filter(Contact.socket_id.is_not(None) if value == "1" else Contact.socket_id.is_(None))

    def operation(self):
        return lazy_gettext("is")


class SuspendedFilter(BaseSQLAFilter):
    def apply(self, query, value, alias=None):
        return query.filter(Contact.has_suspended_service if value == "1" else ~Contact.has_suspended_service)

    def operation(self):
        return lazy_gettext("is")


class CreatedBetweenFilter(DateBetweenFilter):
    """Created on any day from the first date to the last (both included)."""

    def apply(self, query, value, alias=None):
        start, end = value
        return query.filter(Contact.created_at >= datetime.combine(start, time.min),
                            Contact.created_at < datetime.combine(end + timedelta(days=1), time.min))


YES_NO = ((("1", lazy_gettext("Yes")), ("0", lazy_gettext("No"))))

CONTACT_FILTERS = [
    IntEqualFilter(Contact.client_group_id, lazy_gettext("Group"), options=options_of(ClientGroup)),
    IntEqualFilter(Contact.client_status_id, lazy_gettext("Status"), options=options_of(ClientStatus)),
    IntEqualFilter(Contact.location_id, lazy_gettext("Location"), options=options_of(Location)),
    IntEqualFilter(Contact.invoice_group_id, lazy_gettext("Invoice group"), options=options_of(InvoiceGroup)),
    IntEqualFilter(Contact.payment_type_id, lazy_gettext("Payment type"), options=options_of(PaymentType)),
    ClientOrContactFilter(Contact.id, lazy_gettext("Contact or client"),
                          options=(("client", lazy_gettext("Client")), ("contact", lazy_gettext("Contact")))),
    BooleanEqualFilter(Contact.is_marked, lazy_gettext("Marked")),
    BooleanEqualFilter(Contact.is_corporate, lazy_gettext("Corporate")),
    HasSocketFilter(Contact.socket_id, lazy_gettext("Has a CATV socket"), options=YES_NO),
    SuspendedFilter(Contact.id, lazy_gettext("Has a suspended service"), options=YES_NO),
    CreatedBetweenFilter(Contact.created_at, lazy_gettext("Created")),
]


def phone_formatter(view, context, model, name):
    """A stored E.164 number in readable international form (the client card)."""
    return format_phone(getattr(model, name))


# Each list column's value, read from one flat query: the list page and the export show the same.
_GROUP, _STATUS, _INVOICE_GROUP = (sa.orm.aliased(model) for model in (ClientGroup, ClientStatus, InvoiceGroup))
LIST_COLUMNS = {
    "client_number": Contact.client_number, "name": Contact.name, "company_name": Contact.company_name,
    "city": Contact.city, "street": Contact.street, "phone": Contact.phone, "email": Contact.email,
    "client_group": _GROUP.name, "client_status": _STATUS.name, "invoice_group": _INVOICE_GROUP.name,
    "is_client": Contact.is_client,
}


# Sorting by a code list (its entries' names) or by contact/client: no index gives that order,
# so the database joins and sorts every contact (50-120 ms at 100,000, ten times that at a
# million). But the contacts of one key (one group, say) come in name order from the
# (key, name, id) index. So the list counts the contacts per key, cached like the count, and
# reads a page key by key, in the order the SQL sort (the export's) gives: keys ascending,
# then name, then id.
KEYED_SORTS = {"client_group": (Contact.client_group_id, ClientGroup),
               "client_status": (Contact.client_status_id, ClientStatus),
               "invoice_group": (Contact.invoice_group_id, InvoiceGroup),
               "is_client": (Contact.is_client, None)}


def sort_keys(sort_column: str) -> list:
    """The keys of a keyed sort in ascending order, as the database orders them."""
    column, code_list = KEYED_SORTS[sort_column]
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
    """Contacts whose sort key (contact_list.KEYED_SORTS) is `key`."""
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


def keyed_page(matches, sort_column: str, keys: list, counts: dict, offset: int, limit: int,
               descending: bool, read_ids) -> list[int]:
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


class RowLinks(NamedTuple):
    """What every row of a list page shares: its buttons' URLs and titles.

    `back` is the list's own URL, url-encoded; `edit` is None when the user may not edit, and
    `select_title` None when the list has no actions (no checkbox).
    """

    details: str
    edit: str | None
    back: str
    select_title: str | None
    card_title: str
    edit_title: str


class ListRow(NamedTuple):
    """One row of the contacts list as the page shows it: its cells' HTML and its colour."""

    id: int
    cells: Markup
    marker: dict | None

    def html(self, links: RowLinks) -> Markup:
        """The whole table row. Written here, not in the template: at 50 rows its dozen
        expressions each (escaping, attribute look-ups) were a tenth of the page's time."""
        escape = html.escape
        marker, attributes = self.marker, ""
        if marker:
            kind, colour = escape(marker["kind"]), escape(marker["colour"])
            attributes = (f' class="row-coloured row-{kind}" data-kind="{kind}" data-colour="{colour}"'
                          f' style="--row-colour: {colour}"')
            if marker["title"]:
                attributes += f' title="{escape(marker["title"])}"'
        checkbox = "" if links.select_title is None else (
            f'<td><input type="checkbox" name="rowid" class="action-checkbox" value="{self.id}"'
            f' title="{escape(links.select_title)}"></td>')
        query = f"?id={self.id}&amp;url={links.back}"
        buttons = (f'<a class="icon" href="{escape(links.details)}{query}" title="{escape(links.card_title)}">'
                   f'<span class="fa fa-id-card"></span></a>')
        if links.edit is not None:
            buttons += (f'<a class="icon" href="{escape(links.edit)}{query}" title="{escape(links.edit_title)}">'
                        f'<span class="fa fa-pencil"></span></a>')
        return Markup(f'<tr{attributes}>{checkbox}<td class="list-buttons-column">{buttons}</td>{self.cells}</tr>')


def with_list_joins(query):
    """`query` (a select or ORM query on Contact) joined to the code lists whose names the list shows."""
    return (query.outerjoin(_GROUP, _GROUP.id == Contact.client_group_id)
            .outerjoin(_STATUS, _STATUS.id == Contact.client_status_id)
            .outerjoin(_INVOICE_GROUP, _INVOICE_GROUP.id == Contact.invoice_group_id))


def list_rows(ids: list[int]) -> list[sa.Row]:
    """The list columns (and what the row colour needs) of these contacts, in the order of `ids`."""
    if not ids:
        return []
    statement = with_list_joins(sa.select(
        Contact.id, Contact.is_marked, Contact.marked_reason, _STATUS.colour.label("status_colour"),
        Contact.has_suspended_service.label("suspended"),
        *(column.label(name) for name, column in LIST_COLUMNS.items()))).where(Contact.id.in_(ids))
    rows = {row.id: row for row in db.session.execute(statement)}
    return [rows[contact_id] for contact_id in ids if contact_id in rows]


def export_query(ids_query, names: list[str]):
    """The list's contacts (`ids_query`: its filters, search and order) as rows of the columns `names`."""
    return with_list_joins(ids_query.with_entities(*(LIST_COLUMNS[name].label(name) for name in names)))


def _text(value) -> str:
    return "" if value is None else str(value)


def client_words() -> dict[bool, str]:
    """The is_client column's words, translated once per page or export, not once per row."""
    return {True: gettext("client"), False: gettext("contact")}


def cell_formatters(names: list[str]) -> list:
    """For each column of `names`, the function from its value to the text the list shows."""
    words = client_words()
    special = {"phone": format_phone, "is_client": lambda value: words[bool(value)]}
    return [special.get(name, _text) for name in names]


def list_page(ids: list[int], columns: list[str]) -> list[ListRow]:
    """The list page's rows: each column's text in a cell, and the row's colour.

    The cells are put together here, escaped, rather than by one template expression each: at
    50 rows x 11 columns those were the larger part of rendering the page.
    """
    formatters = cell_formatters(columns)
    badges = client_badges()
    rows = []
    for row in list_rows(ids):
        cells = []
        for name, formatter in zip(columns, formatters):
            value = getattr(row, name)
            content = badges[bool(value)] if name == "is_client" else html.escape(formatter(value))
            cells.append(f'<td class="col-{name}">{content}</td>')
        rows.append(ListRow(row.id, Markup("".join(cells)), row_marker(row)))
    return rows


def client_badges() -> dict[bool, Markup]:
    """The is_client column's badge, in the words the export writes."""
    words = client_words()
    return {value: Markup('<span class="badge {}">{}</span>').format("badge-primary" if value else "badge-light",
                                                                     words[value])
            for value in (True, False)}


def row_marker(row: sa.Row) -> dict | None:
    """The colour of a contact's row and why: a suspended service, marked, or the status colour."""
    if row.suspended:
        return {"kind": "suspended", "colour": SUSPENDED_COLOUR, "title": gettext("Has a suspended service")}
    if row.is_marked:
        return {"kind": "marked", "colour": MARKED_COLOUR, "title": row.marked_reason or gettext("Marked")}
    if row.status_colour and COLOUR.fullmatch(row.status_colour):
        return {"kind": "status", "colour": row.status_colour, "title": row.client_status}
    return None


def colour_legend() -> list[tuple[str, str]]:
    """What each row colour means, for the legend above the list."""
    legend = [(gettext("Suspended service"), SUSPENDED_COLOUR), (gettext("Marked client"), MARKED_COLOUR)]
    statuses = db.session.scalars(sa.select(ClientStatus).where(ClientStatus.colour.is_not(None))
                                  .order_by(ClientStatus.position, ClientStatus.name))
    legend += [(status.name, status.colour) for status in statuses if COLOUR.fullmatch(status.colour)]
    return legend

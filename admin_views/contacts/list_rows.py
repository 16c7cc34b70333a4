"""The contacts list's rows: each column's value from one flat query, written whole, with its colour.

The export reads the same columns (`export_query`) and writes the same texts (`cell_formatters`).
"""

from __future__ import annotations

import html
from typing import NamedTuple

import sqlalchemy as sa
from flask_babel import gettext
from markupsafe import Markup

from admin_views.code_lists import COLOUR
from domain.validators import format_phone
from models import ClientGroup, ClientStatus, Contact, InvoiceGroup, db

MARKED_COLOUR = "#c3e6cb"
SUSPENDED_COLOUR = "#f8d7da"


def phone_formatter(view, context, model, name):
    """A stored E.164 number in readable international form (the client card)."""
    return format_phone(getattr(model, name))


# Each list column's value, read from one flat query: the list page and the export show the same.
_GROUP, _STATUS, _INVOICE_GROUP = (sa.orm.aliased(model) for model in (ClientGroup, ClientStatus, InvoiceGroup))
LIST_COLUMNS = {
    "client_number": Contact.client_number,
    "name": Contact.name,
    "company_name": Contact.company_name,
    "city": Contact.city,
    "street": Contact.street,
    "phone": Contact.phone,
    "email": Contact.email,
    "client_group": _GROUP.name,
    "client_status": _STATUS.name,
    "invoice_group": _INVOICE_GROUP.name,
    "is_client": Contact.is_client,
}


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
            attributes = (
                f' class="row-coloured row-{kind}" data-kind="{kind}" data-colour="{colour}"'
                f' style="--row-colour: {colour}"'
            )
            if marker["title"]:
                attributes += f' title="{escape(marker["title"])}"'
        checkbox = (
            ""
            if links.select_title is None
            else (
                f'<td><input type="checkbox" name="rowid" class="action-checkbox" value="{self.id}"'
                f' title="{escape(links.select_title)}"></td>'
            )
        )
        query = f"?id={self.id}&amp;url={links.back}"
        buttons = (
            f'<a class="icon" href="{escape(links.details)}{query}" title="{escape(links.card_title)}">'
            f'<span class="fa fa-id-card"></span></a>'
        )
        if links.edit is not None:
            buttons += (
                f'<a class="icon" href="{escape(links.edit)}{query}" title="{escape(links.edit_title)}">'
                f'<span class="fa fa-pencil"></span></a>'
            )
        return Markup(f'<tr{attributes}>{checkbox}<td class="list-buttons-column">{buttons}</td>{self.cells}</tr>')


def with_list_joins(query):
    """`query` (a select or ORM query on Contact) joined to the code lists whose names the list shows."""
    return (
        query.outerjoin(_GROUP, _GROUP.id == Contact.client_group_id)
        .outerjoin(_STATUS, _STATUS.id == Contact.client_status_id)
        .outerjoin(_INVOICE_GROUP, _INVOICE_GROUP.id == Contact.invoice_group_id)
    )


def list_rows(ids: list[int]) -> list[sa.Row]:
    """The list columns (and what the row colour needs) of these contacts, in the order of `ids`."""
    if not ids:
        return []
    statement = with_list_joins(
        sa.select(
            Contact.id,
            Contact.is_marked,
            Contact.marked_reason,
            _STATUS.colour.label("status_colour"),
            Contact.has_suspended_service.label("suspended"),
            *(column.label(name) for name, column in LIST_COLUMNS.items()),
        )
    ).where(Contact.id.in_(ids))
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
    return {
        value: Markup('<span class="badge {}">{}</span>').format(
            "badge-primary" if value else "badge-light", words[value]
        )
        for value in (True, False)
    }


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
    statuses = db.session.scalars(
        sa.select(ClientStatus)
        .where(ClientStatus.colour.is_not(None))
        .order_by(ClientStatus.position, ClientStatus.name)
    )
    legend += [(status.name, status.colour) for status in statuses if COLOUR.fullmatch(status.colour)]
    return legend

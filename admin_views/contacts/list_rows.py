"""The contacts list's rows: each column's value from one flat query, written whole, with its marker.

A row's colour (a suspended service, a marked contact, else its status's colour) shows as a narrow
edge at its start, and the status as a badge in that colour (static/admin/contact_list.css): whole
rows filled with strong colours made the black text hard to read.

The export reads the same columns (`export_query`) and writes the same texts (`cell_formatters`).
"""

from __future__ import annotations

import html
from typing import NamedTuple

import sqlalchemy as sa
from flask_babel import gettext
from markupsafe import Markup

from admin_views.code_lists import COLOUR
from domain.contrast import text_colour_on
from domain.validators import format_phone
from models import ClientGroup, ClientStatus, Contact, InvoiceGroup, db

# Edge colours: strong enough for a narrow edge (3:1 on white), unlike the statuses' usual hues.
MARKED_COLOUR = "#28a745"
SUSPENDED_COLOUR = "#d63384"


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
    """One row of the contacts list as the page shows it: its cells' HTML and its marker (edge colour)."""

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
                f' class="row-marker row-{kind}" data-kind="{kind}" data-colour="{colour}"'
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


_JOINS = {
    "client_group": (_GROUP, Contact.client_group_id),
    "client_status": (_STATUS, Contact.client_status_id),
    "invoice_group": (_INVOICE_GROUP, Contact.invoice_group_id),
}


def with_list_joins(query, names):
    """`query` (a select or ORM query on Contact) joined to the code lists of the columns `names`."""
    for name, (code_list, key) in _JOINS.items():
        if name in names:
            query = query.outerjoin(code_list, code_list.id == key)
    return query


def list_rows(ids: list[int], columns: list[str]) -> list[sa.Row]:
    """The `columns` (and what the row's marker needs) of these contacts, in the order of `ids`."""
    if not ids:
        return []
    statement = with_list_joins(
        sa.select(
            Contact.id,
            Contact.is_marked,
            Contact.marked_reason,
            _STATUS.name.label("status_name"),
            _STATUS.colour.label("status_colour"),
            Contact.has_suspended_service.label("suspended"),
            *(LIST_COLUMNS[name].label(name) for name in columns),
        ),
        [*columns, "client_status"],  # the marker's status colour, whether the status is shown or not
    ).where(Contact.id.in_(ids))
    rows = {row.id: row for row in db.session.execute(statement)}
    return [rows[contact_id] for contact_id in ids if contact_id in rows]


def export_query(ids_query, names: list[str]):
    """The list's contacts (`ids_query`: its filters, search and order) as rows of the columns `names`."""
    return with_list_joins(ids_query.with_entities(*(LIST_COLUMNS[name].label(name) for name in names)), names)


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
    """The list page's rows: each shown column's text in a cell, and the row's marker.

    The cells are put together here, escaped, rather than by one template expression each: at
    50 rows x 11 columns those were the larger part of rendering the page.
    """
    formatters = cell_formatters(columns)
    badges = client_badges()
    rows = []
    for row in list_rows(ids, columns):
        cells = []
        for name, formatter in zip(columns, formatters):
            value = getattr(row, name)
            if name == "is_client":
                content = badges[bool(value)]
            elif name == "client_status":
                content = status_badge(value, row.status_colour)
            else:
                content = html.escape(formatter(value))
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


def status_badge(name: str | None, colour: str | None) -> str:
    """A status as a badge in its colour, its text black or white to be read; plain text when the
    stored colour is not a checked #rrggbb (it goes into a style attribute)."""
    if not name or not colour or not COLOUR.fullmatch(colour):
        return html.escape(_text(name))
    return (
        f'<span class="badge status-badge" style="background-color: {colour}; color: {text_colour_on(colour)}">'
        f"{html.escape(name)}</span>"
    )


def row_marker(row: sa.Row) -> dict | None:
    """The colour of a contact's row and why: a suspended service, marked, or the status colour."""
    if row.suspended:
        return {"kind": "suspended", "colour": SUSPENDED_COLOUR, "title": gettext("Has a suspended service")}
    if row.is_marked:
        return {"kind": "marked", "colour": MARKED_COLOUR, "title": row.marked_reason or gettext("Marked")}
    if row.status_colour and COLOUR.fullmatch(row.status_colour):
        return {"kind": "status", "colour": row.status_colour, "title": row.status_name}
    return None


class LegendEntry(NamedTuple):
    """One colour of the legend above the list: an edge (suspended, marked) or a status's badge."""

    label: str
    colour: str
    badge: Markup | None


def colour_legend() -> list[LegendEntry]:
    """What each row colour means, for the legend above the list: the statuses as their badges."""
    legend = [
        LegendEntry(gettext("Suspended service"), SUSPENDED_COLOUR, None),
        LegendEntry(gettext("Marked client"), MARKED_COLOUR, None),
    ]
    statuses = db.session.scalars(
        sa.select(ClientStatus)
        .where(ClientStatus.colour.is_not(None))
        .order_by(ClientStatus.position, ClientStatus.name)
    )
    legend += [
        LegendEntry(status.name, status.colour, Markup(status_badge(status.name, status.colour)))
        for status in statuses
        if COLOUR.fullmatch(status.colour)
    ]
    return legend

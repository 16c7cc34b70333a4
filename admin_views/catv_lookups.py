"""Ajax lookups of the CATV network, and the contact form's cascading socket picker built from them.

The picker (city › street › building › switchboard › socket) has its loaders, helper fields and
the chain a stored socket pre-fills here; the network's own views use `ChainLookup`.
"""

from __future__ import annotations

from itertools import pairwise

from flask import request
from flask_admin.contrib.sqla.ajax import QueryAjaxModelLoader
from flask_admin.model.fields import AjaxSelectField
from flask_babel import lazy_gettext
from sqlalchemy import false

from domain.sockets import socket_holders
from models import Building, City, Socket, Street, Switchboard, db

# Each level's parent relationship.
PARENTS = {Street: "city", Building: "street", Switchboard: "building", Socket: "switchboard"}


def network_chain(row) -> list:
    """The row and its parents, city first (a socket gives city, street, building, switchboard, socket)."""
    chain = [row]
    while type(chain[0]) in PARENTS:
        chain.insert(0, getattr(chain[0], PARENTS[type(chain[0])]))
    return chain


def row_id(value) -> int | None:
    """`value` as a primary key, or None when it cannot be one (text, zero, beyond the integer column)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**31 else None


# --- Ajax lookups ------------------------------------------------------------------------------


class KeyedLoader(QueryAjaxModelLoader):
    """An ajax lookup for which an id that is no key ("__None", text, 20 digits) finds nothing.

    A form posts the chosen row's id; PostgreSQL refuses to compare anything else with its keys.
    """

    def get_one(self, pk):
        pk = row_id(pk)
        return None if pk is None else super().get_one(pk)


class NetworkLoader(KeyedLoader):
    """An ajax lookup of network rows: at most ten a request, and a typed id that is no number finds nothing."""

    def get_list(self, term, offset=0, limit=10):
        return super().get_list(term or "", max(offset or 0, 0), max(1, min(limit or 10, 10)))


class ChainLookup(NetworkLoader):
    """Rows shown with their parents ("Praha › Hlavní › 12"), loaded in the same query."""

    def __init__(self, name, model, load, **options):
        super().__init__(name, db, model, **options)
        self.load = load

    def get_query(self):
        return super().get_query().options(self.load)

    def format(self, model):
        return None if model is None else (model.id, " › ".join(map(str, network_chain(model))))


class ChildLoader(NetworkLoader):
    """A lookup narrowed to the row chosen in the parent field, whose id comes as ?parent=<id>."""

    def __init__(self, name, model, parent_column, **options):
        options.setdefault("minimum_input_length", 0)
        super().__init__(name, db, model, **options)
        self.parent_column = parent_column

    def get_query(self):
        # contact_form.js adds the parent's id to the URL; without one nothing is offered,
        # so a street cannot be picked before its city.
        parent_id = row_id(request.args.get("parent"))
        query = super().get_query()
        if parent_id is None:
            return query.filter(false())
        return query.filter(self.parent_column == parent_id)


# --- The contact form's socket picker ---------------------------------------------------------


class SocketLoader(ChildLoader):
    """Sockets of a switchboard, each with the client that holds it, if any."""

    def get_list(self, term, offset=0, limit=10):
        sockets = super().get_list(term, offset, limit)
        holders = socket_holders([socket.id for socket in sockets])
        for socket in sockets:
            socket.catv_holder = holders.get(socket.id)
        return sockets

    def format(self, model):
        if model is None:
            return None
        holder = getattr(model, "catv_holder", None)
        return model.id, model.label if holder is None else f"{model.label} — {holder}"


class HelperAjaxField(AjaxSelectField):
    """A lookup that only narrows the next one; never written to the model."""

    def populate_obj(self, obj, name):
        pass


def picker_lookup(loader, name: str, parent_column, shown, placeholder) -> ChildLoader:
    """A picker field's lookup: rows under the chosen parent, found and ordered by the column `shown`."""
    model = parent_column.class_
    return loader(name, model, parent_column, fields=[shown.key], order_by=shown, placeholder=placeholder)


# The picker's fields in cascade order; only the last, `socket`, is stored.
SOCKET_PICKER_FIELDS = ("catv_city", "catv_street", "catv_building", "catv_switchboard", "socket")
SOCKET_PICKER_LOADERS = {
    "catv_city": NetworkLoader(
        "catv_city",
        db,
        City,
        fields=["name"],
        order_by=City.name,
        minimum_input_length=0,
        placeholder=lazy_gettext("Choose a city"),
    ),
    "catv_street": picker_lookup(
        ChildLoader, "catv_street", Street.city_id, Street.name, lazy_gettext("Choose a street")
    ),
    "catv_building": picker_lookup(
        ChildLoader, "catv_building", Building.street_id, Building.number, lazy_gettext("Choose a building")
    ),
    "catv_switchboard": picker_lookup(
        ChildLoader, "catv_switchboard", Switchboard.building_id, Switchboard.name, lazy_gettext("Choose a switchboard")
    ),
    "socket": picker_lookup(
        SocketLoader, "socket", Socket.switchboard_id, Socket.label, lazy_gettext("Choose a socket")
    ),
}
SOCKET_PICKER_HELPER_FIELDS = {
    name: HelperAjaxField(SOCKET_PICKER_LOADERS[name], label, allow_blank=True)
    for name, label in (
        ("catv_city", lazy_gettext("CATV city")),
        ("catv_street", lazy_gettext("CATV street")),
        ("catv_building", lazy_gettext("CATV building")),
        ("catv_switchboard", lazy_gettext("CATV switchboard")),
    )
}
# Each field names its parent; the script puts the parent's id into the child's lookup URL.
SOCKET_PICKER_WIDGET_ARGS = {child: {"data-parent": parent} for parent, child in pairwise(SOCKET_PICKER_FIELDS)}


def fill_socket_chain(form) -> None:
    """Set the picker's helper fields to the chain of the form's socket (kept as typed when there is none)."""
    socket = form.socket.data
    if socket is None:
        return
    chain = network_chain(socket)
    for name, row in zip(SOCKET_PICKER_FIELDS, chain):
        form[name].data = row

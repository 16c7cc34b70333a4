"""Ajax lookups of the CATV network, and the contact form's cascading socket picker built from them.

The picker (city › street › building › switchboard › socket) has its loaders, helper fields and
the chain a stored socket pre-fills here; its script is static/admin/socket_picker.js. The
network's own views use `ChainLookup`.
"""

from __future__ import annotations

from itertools import pairwise

from flask import request
from flask_admin.model.fields import AjaxSelectField
from flask_babel import lazy_gettext
from sqlalchemy import false

from admin_views.base import BoundedLoader, row_id
from domain.sockets import leads_to_a_socket, picker_socket_order, socket_choice, socket_holders
from models import Building, City, Socket, Street, Switchboard, db

# Each level's parent relationship.
PARENTS = {Street: "city", Building: "street", Switchboard: "building", Socket: "switchboard"}


def network_chain(row) -> list:
    """The row and its parents, city first (a socket gives city, street, building, switchboard, socket)."""
    chain = [row]
    while type(chain[0]) in PARENTS:
        chain.insert(0, getattr(chain[0], PARENTS[type(chain[0])]))
    return chain


# --- Ajax lookups ------------------------------------------------------------------------------


class NetworkLoader(BoundedLoader):
    """An ajax lookup of network rows."""


class ChainLookup(NetworkLoader):
    """Rows shown with their parents ("Praha › Hlavní › 12"), loaded in the same query."""

    def __init__(self, name, model, load, **options):
        super().__init__(name, db, model, **options)
        self.load = load

    def get_query(self):
        return super().get_query().options(self.load)

    def format(self, model):
        return None if model is None else (model.id, " › ".join(map(str, network_chain(model))))


class PickerLevelLoader(NetworkLoader):
    """A picker level: only rows with a socket below them, so that no choice leads nowhere."""

    def get_query(self):
        return super().get_query().filter(leads_to_a_socket(self.model))


class ChildLoader(NetworkLoader):
    """A lookup narrowed to the row chosen in the parent field, whose id comes as ?parent=<id>."""

    def __init__(self, name, model, parent_column, **options):
        options.setdefault("minimum_input_length", 0)
        super().__init__(name, db, model, **options)
        self.parent_column = parent_column

    def get_query(self):
        # socket_picker.js adds the parent's id to the URL; without one nothing is offered,
        # so a street cannot be picked before its city.
        parent_id = row_id(request.args.get("parent"))
        query = super().get_query()
        if parent_id is None:
            return query.filter(false())
        return query.filter(self.parent_column == parent_id)


# --- The contact form's socket picker ---------------------------------------------------------


class ChildLevelLoader(PickerLevelLoader, ChildLoader):
    """A picker level below the city: children of the chosen row that lead to a socket."""


class SocketLoader(ChildLoader):
    """Sockets of a switchboard, the free ones first; a taken one names its holder and comes as
    [id, text, true], which the picker shows but does not let the clerk choose.

    On an edit form the script sends the contact's id as ?contact=<id>: its own socket is free to it."""

    def get_query(self):
        return super().get_query().order_by(*picker_socket_order(self.editing()))

    def editing(self) -> int | None:
        return row_id(request.args.get("contact"))

    def get_list(self, term, offset=0, limit=10):
        sockets = super().get_list(term, offset, limit)
        holders = socket_holders([socket.id for socket in sockets])
        for socket in sockets:
            holder = holders.get(socket.id)
            socket.catv_holder = None if holder is None or holder.id == self.editing() else holder
        return sockets

    def format(self, model):
        if model is None:
            return None
        holder = getattr(model, "catv_holder", None)
        return (model.id, model.label) if holder is None else (model.id, socket_choice(model, holder), True)


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
    "catv_city": PickerLevelLoader(
        "catv_city",
        db,
        City,
        fields=["name"],
        order_by=City.name,
        minimum_input_length=0,
        placeholder=lazy_gettext("Choose a city"),
    ),
    "catv_street": picker_lookup(
        ChildLevelLoader, "catv_street", Street.city_id, Street.name, lazy_gettext("Choose a street")
    ),
    "catv_building": picker_lookup(
        ChildLevelLoader, "catv_building", Building.street_id, Building.number, lazy_gettext("Choose a building")
    ),
    "catv_switchboard": picker_lookup(
        ChildLevelLoader,
        "catv_switchboard",
        Switchboard.building_id,
        Switchboard.name,
        lazy_gettext("Choose a switchboard"),
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
# socket_picker.js starts the fields marked data-socket-picker; each names its parent, whose id the
# script puts into the child's lookup URL. The socket shows the whole chosen line under the picker.
SOCKET_PICKER_WIDGET_ARGS = {
    "catv_city": {"data-socket-picker": "1"},
    **{child: {"data-socket-picker": "1", "data-parent": parent} for parent, child in pairwise(SOCKET_PICKER_FIELDS)},
}
SOCKET_PICKER_WIDGET_ARGS["socket"]["data-path-label"] = lazy_gettext("CATV line")


def fill_socket_chain(form) -> None:
    """Set the picker's helper fields to the chain of the form's socket (kept as typed when there is none)."""
    socket = form.socket.data
    if socket is None:
        return
    chain = network_chain(socket)
    for name, row in zip(SOCKET_PICKER_FIELDS, chain):
        form[name].data = row

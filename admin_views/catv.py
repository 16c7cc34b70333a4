"""The CATV network: cities, streets, buildings, switchboards, sockets and socket history.

The network's ajax lookups and the contact form's socket picker are in `admin_views.catv_lookups`.
"""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_admin.contrib.sqla.filters import FilterLike, IntEqualFilter
from flask_admin.model.template import EndpointLinkRowAction
from flask_babel import gettext, lazy_gettext
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload
from wtforms.validators import InputRequired, Length, NumberRange

from admin_views.base import BaseModelView, filtered_list_url, row_id
from admin_views.catv_forms import BulkSocketsForm
from admin_views.catv_lookups import ChainLookup, NetworkLoader, network_chain
from domain.sockets import (
    MAX_FLOORS,
    building_floors_errors,
    create_building_sockets,
    socket_floor_errors,
    socket_history,
    socket_holder,
    socket_holders,
)
from models import Building, City, Socket, SocketAssignment, Street, Switchboard, db

CATEGORY = lazy_gettext("CATV network")
# Each level's list view that shows its children filtered by it.
CHILDREN = {
    City: ("street", "city_id", lazy_gettext("Streets")),
    Street: ("building", "street_id", lazy_gettext("Buildings")),
    Building: ("switchboard", "building_id", lazy_gettext("Switchboards")),
    Switchboard: ("socket", "switchboard_id", lazy_gettext("Sockets")),
}
# The level a list filter's column points at (a socket list filtered by building_id shows a building's sockets).
FILTERED_BY = {"city_id": City, "street_id": Street, "building_id": Building, "switchboard_id": Switchboard}


def children_url(row) -> str | None:
    """The list of the row's children, filtered by it (a city's streets, ...)."""
    endpoint, column_key, _ = CHILDREN[type(row)]
    return filtered_list_url(endpoint, column_key, row.id)


def children_link(view, context, row, name) -> Markup:
    """List formatter: a link to the row's children."""
    return Markup('<a href="{}">{} ›</a>').format(children_url(row), CHILDREN[type(row)][2])


def holder_link(view, context, row, name) -> Markup | str:
    """List formatter: the client holding the socket, linked to its form (set by `SocketView.get_list`)."""
    holder = getattr(row, "catv_holder", None)
    if holder is None:
        return ""
    return Markup('<a href="{}">{}</a>').format(url_for("contact.edit_view", id=holder.id), holder)


# --- Network views -----------------------------------------------------------------------------


class NetworkView(BaseModelView):
    """A level of the network: administrators change it, staff read it; lists filter by parent."""

    write_role = "admin"
    list_template = "admin/catv_list.html"
    column_formatters = {"children": children_link}
    # One set of labels for the network's levels (a column shows a row's parent by its label).
    column_labels = BaseModelView.column_labels | {
        "children": "",
        "city": lazy_gettext("City"),
        "street": lazy_gettext("Street"),
        "street.city": lazy_gettext("City"),
        "building": lazy_gettext("Building"),
        "building.street": lazy_gettext("Street"),
        "switchboard": lazy_gettext("Switchboard"),
        "switchboard.building": lazy_gettext("Building"),
        "socket": lazy_gettext("Socket"),
        "number": lazy_gettext("House number"),
        "floors": lazy_gettext("Floors"),
        "floor": lazy_gettext("Floor"),
        "label": lazy_gettext("Label"),
        "holder": lazy_gettext("Client"),
        "assigned_at": lazy_gettext("Assigned"),
        "released_at": lazy_gettext("Released"),
        "assigned_by": lazy_gettext("Assigned by"),
        "released_by": lazy_gettext("Released by"),
        "socket_id": lazy_gettext("Socket ID"),
    }
    column_export_exclude_list = ("children",)
    children_url = staticmethod(children_url)

    def parent_crumbs(self, active_filters) -> list[tuple[object, str]]:
        """The chain of the row the list is filtered by, city first, each with the list of its children."""
        for index, _, value in active_filters or ():
            model = FILTERED_BY.get(getattr(self._filters[index].column, "key", None))
            pk = row_id(value)
            parent = db.session.get(model, pk) if model is not None and pk is not None else None
            if parent is not None:
                return [(row, children_url(row)) for row in network_chain(parent)]
        return []


class CityView(NetworkView):
    """Cities with CATV wiring, each linking to its streets."""

    column_list = ("name", "children")
    column_default_sort = [("name", False), ("id", False)]
    column_searchable_list = ("name",)
    form_columns = ("name",)
    form_args = {"name": {"validators": [InputRequired(), Length(max=100)]}}


class StreetView(NetworkView):
    """Streets, filterable by city."""

    column_list = ("city", "name", "children")
    column_sortable_list = (("city", "city.name"), "name")
    column_default_sort = [("name", False), ("id", False)]
    column_searchable_list = ("name",)
    column_filters = (
        IntEqualFilter(Street.city_id, lazy_gettext("City ID")),
        FilterLike("city.name", lazy_gettext("City name")),
    )
    form_columns = ("city", "name")
    form_args = {"city": {"validators": [InputRequired()]}, "name": {"validators": [InputRequired(), Length(max=100)]}}
    form_ajax_refs = {
        "city": NetworkLoader("city", db, City, fields=["name"], order_by=City.name, minimum_input_length=0)
    }

    def get_query(self):
        return super().get_query().options(joinedload(Street.city))


class BuildingView(NetworkView):
    """Buildings, filterable by street, with the bulk creation of their sockets."""

    details_template = "admin/building_details.html"
    column_list = ("street.city", "street", "number", "name", "floors", "children")
    column_sortable_list = (("street", "street.name"), "number", "name", "floors")
    column_default_sort = [("number", False), ("id", False)]
    column_searchable_list = ("number", "name", "street.name", "street.city.name")
    column_filters = (
        IntEqualFilter(Building.street_id, lazy_gettext("Street ID")),
        FilterLike("street.name", lazy_gettext("Street name")),
        "floors",
    )
    form_columns = ("street", "number", "name", "floors", "note")
    form_args = {
        "street": {"validators": [InputRequired()]},
        "number": {"validators": [InputRequired(), Length(max=20)]},
        "floors": {"validators": [InputRequired(), NumberRange(1, MAX_FLOORS)]},
    }
    form_ajax_refs = {
        "street": ChainLookup(
            "street", Street, joinedload(Street.city), fields=["name"], order_by=Street.name, minimum_input_length=1
        )
    }

    def get_query(self):
        return super().get_query().options(joinedload(Building.street).joinedload(Street.city))

    def get_list_row_actions(self):
        actions = super().get_list_row_actions()
        if self.may_write():
            actions.append(EndpointLinkRowAction("fa fa-plug", ".bulk_sockets", title=gettext("Create sockets")))
        return actions

    def rule_errors(self, form) -> dict[str, str]:
        if form._obj is None or not isinstance(form.floors.data, int):
            return {}
        return building_floors_errors(form._obj.id, form.floors.data)

    @expose("/sockets/", methods=("GET", "POST"))
    def bulk_sockets(self):
        """Create a building's sockets in one go: one per floor on each chosen switchboard."""
        # A custom endpoint is not in WRITE_ENDPOINTS; it changes data, so it checks by itself.
        if not self.may_write():
            abort(403)
        if "id" not in request.args:
            flash(gettext("Choose the building whose sockets to create."), "info")
            return redirect(self.get_url(".index_view"))
        building = self.get_one(request.args["id"])
        boards = db.session.scalars(
            select(Switchboard).where(Switchboard.building_id == building.id).order_by(Switchboard.position)
        ).all()
        form = BulkSocketsForm(building, boards)
        if request.method == "GET":
            form.switchboards.data = [board.id for board in boards]
        if form.validate_on_submit():
            chosen = [board for board in boards if board.id in form.switchboards.data]
            floors = range(form.first_floor.data, form.first_floor.data + building.floors)
            created, skipped = create_building_sockets(chosen, floors, form.pattern.data)
            try:
                db.session.commit()
            except IntegrityError:
                db.session.rollback()
                flash(
                    gettext("Someone created sockets of this building meanwhile; nothing was saved. Try again."),
                    "error",
                )
            else:
                flash(
                    gettext(
                        "%(created)d sockets created, %(skipped)d skipped because they already exist.",
                        created=created,
                        skipped=skipped,
                    ),
                    "success",
                )
                return redirect(filtered_list_url("socket", "building_id", building.id))
        return self.render(
            "admin/building_sockets.html", form=form, building=building, chain=network_chain(building), boards=boards
        )


class SwitchboardView(NetworkView):
    """Switchboards at positions 1–8 of a building, filterable by building."""

    column_list = ("building.street", "building", "name", "position", "children")
    column_sortable_list = (("building", "building.number"), "name", "position")
    column_default_sort = [("name", False), ("id", False)]
    column_searchable_list = ("name",)
    column_filters = (
        IntEqualFilter(Switchboard.building_id, lazy_gettext("Building ID")),
        FilterLike("building.number", lazy_gettext("Building number")),
    )
    form_columns = ("building", "name", "position")
    form_args = {
        "building": {"validators": [InputRequired()]},
        "name": {"validators": [InputRequired(), Length(max=20)]},
        "position": {"validators": [InputRequired(), NumberRange(1, 8)]},
    }
    form_ajax_refs = {
        "building": ChainLookup(
            "building",
            Building,
            joinedload(Building.street).joinedload(Street.city),
            fields=["number"],
            order_by=Building.number,
            minimum_input_length=1,
        )
    }

    def get_query(self):
        return super().get_query().options(joinedload(Switchboard.building).joinedload(Building.street))


class SocketView(NetworkView):
    """Sockets with their current client; a socket's page shows its chain and history of clients."""

    details_template = "admin/socket_details.html"
    column_list = ("switchboard.building", "switchboard", "floor", "label", "holder")
    column_sortable_list = (("switchboard", "switchboard.name"), "floor", "label")
    column_default_sort = [("label", False), ("id", False)]
    column_searchable_list = ("label",)
    column_filters = (
        IntEqualFilter(Socket.switchboard_id, lazy_gettext("Switchboard ID")),
        IntEqualFilter("switchboard.building_id", lazy_gettext("Building ID")),
        "floor",
    )
    column_formatters = {"holder": holder_link}
    column_export_exclude_list = ("holder",)
    form_columns = ("switchboard", "floor", "label")
    form_args = {
        "switchboard": {"validators": [InputRequired()]},
        "floor": {"validators": [InputRequired(), NumberRange(min=0)]},
        "label": {"validators": [InputRequired(), Length(max=20)]},
    }
    form_ajax_refs = {
        "switchboard": ChainLookup(
            "switchboard",
            Switchboard,
            joinedload(Switchboard.building).joinedload(Building.street).joinedload(Street.city),
            fields=["name"],
            order_by=Switchboard.name,
            minimum_input_length=1,
        )
    }

    def get_query(self):
        return (
            super()
            .get_query()
            .options(joinedload(Socket.switchboard).joinedload(Switchboard.building).joinedload(Building.street))
        )

    def get_list(self, *args, **kwargs):
        count, rows = super().get_list(*args, **kwargs)
        # Only the list page shows holders; an export leaves the column out and may hold every socket.
        if request.endpoint == f"{self.endpoint}.index_view":
            # One query for the page's holders instead of one per row.
            holders = socket_holders([row.id for row in rows])
            for row in rows:
                row.catv_holder = holders.get(row.id)
        return count, rows

    def rule_errors(self, form) -> dict[str, str]:
        board = form.switchboard.data
        if board is None or not isinstance(form.floor.data, int):
            return {}
        return socket_floor_errors(board.building, form.floor.data)

    def socket_card(self, socket: Socket) -> dict:
        """What the socket's page shows besides its columns: the chain, the holder and the history."""
        return {
            "chain": [(row, children_url(row)) for row in network_chain(socket)[:-1]],
            "holder": socket_holder(socket.id),
            "history": socket_history(socket.id),
        }


class SocketAssignmentView(BaseModelView):
    """Who held which socket and when; written by the contact form, read here."""

    write_role = None
    column_labels = NetworkView.column_labels
    column_list = ("socket", "contact", "assigned_at", "released_at", "assigned_by", "released_by")
    column_default_sort = [("assigned_at", True), ("id", True)]
    column_filters = ("socket_id", "contact_id")

    def get_query(self):
        return (
            super()
            .get_query()
            .options(
                joinedload(SocketAssignment.socket),
                joinedload(SocketAssignment.contact),
                joinedload(SocketAssignment.assigned_by),
                joinedload(SocketAssignment.released_by),
            )
        )


def register(admin) -> None:
    for view, model, name, endpoint in (
        (CityView, City, lazy_gettext("Cities"), "city"),
        (StreetView, Street, lazy_gettext("Streets"), "street"),
        (BuildingView, Building, lazy_gettext("Buildings"), "building"),
        (SwitchboardView, Switchboard, lazy_gettext("Switchboards"), "switchboard"),
        (SocketView, Socket, lazy_gettext("Sockets"), "socket"),
        (SocketAssignmentView, SocketAssignment, lazy_gettext("Socket history"), "socket_assignment"),
    ):
        admin.add_view(view(model, db, name=name, category=CATEGORY, endpoint=endpoint))

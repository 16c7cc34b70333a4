"""The CATV network: cities, streets, buildings, switchboards, sockets and socket history."""

from __future__ import annotations

from flask_admin.contrib.sqla.ajax import QueryAjaxModelLoader
from flask_babel import lazy_gettext
from sqlalchemy.orm import joinedload

from admin_views import BaseModelView
from models import Building, City, Socket, SocketAssignment, Street, Switchboard, db

CATEGORY = lazy_gettext("CATV network")


class NetworkView(BaseModelView):
    write_role = "admin"


class CityView(NetworkView):
    column_list = ("name",)
    column_default_sort = [("name", False), ("id", False)]
    column_searchable_list = ("name",)
    form_columns = ("name",)


class StreetView(NetworkView):
    column_list = ("city", "name")
    column_default_sort = [("name", False), ("id", False)]
    column_filters = ("city_id",)
    form_columns = ("city", "name")
    form_ajax_refs = {"city": QueryAjaxModelLoader("city", db, City, fields=["name"], order_by=City.name,
                                                   minimum_input_length=0)}

    def get_query(self):
        return super().get_query().options(joinedload(Street.city))


class BuildingView(NetworkView):
    column_list = ("street", "number", "name", "floors")
    column_default_sort = [("number", False), ("id", False)]
    column_filters = ("street_id",)
    form_columns = ("street", "number", "name", "floors", "note")
    form_ajax_refs = {"street": QueryAjaxModelLoader("street", db, Street, fields=["name"],
                                                     order_by=Street.name, minimum_input_length=1)}

    def get_query(self):
        return super().get_query().options(joinedload(Building.street))


class SwitchboardView(NetworkView):
    column_list = ("building", "name", "position")
    column_default_sort = [("name", False), ("id", False)]
    column_filters = ("building_id",)
    form_columns = ("building", "name", "position")
    form_ajax_refs = {"building": QueryAjaxModelLoader("building", db, Building, fields=["number"],
                                                       order_by=Building.number, minimum_input_length=1)}

    def get_query(self):
        return super().get_query().options(joinedload(Switchboard.building))


class SocketView(NetworkView):
    column_list = ("switchboard", "floor", "label")
    column_default_sort = [("label", False), ("id", False)]
    column_filters = ("switchboard_id",)
    form_columns = ("switchboard", "floor", "label")
    form_ajax_refs = {"switchboard": QueryAjaxModelLoader("switchboard", db, Switchboard, fields=["name"],
                                                          order_by=Switchboard.name, minimum_input_length=1)}

    def get_query(self):
        return super().get_query().options(joinedload(Socket.switchboard))


class SocketAssignmentView(BaseModelView):
    """Who held which socket and when; written by the contact form, read here."""

    write_role = None
    column_list = ("socket", "contact", "assigned_at", "released_at", "assigned_by", "released_by")
    column_default_sort = [("assigned_at", True), ("id", True)]
    column_filters = ("socket_id", "contact_id")

    def get_query(self):
        return super().get_query().options(
            joinedload(SocketAssignment.socket), joinedload(SocketAssignment.contact),
            joinedload(SocketAssignment.assigned_by), joinedload(SocketAssignment.released_by),
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

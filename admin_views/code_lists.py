"""Code lists: client groups, statuses, locations, service types and payment types.

Administrators change them; staff may read them.
"""

from __future__ import annotations

from flask_babel import lazy_gettext

from admin_views import BaseModelView
from models import ClientGroup, ClientStatus, Location, PaymentType, ServiceType, db

CATEGORY = lazy_gettext("Code lists")


class CodeListView(BaseModelView):
    write_role = "admin"
    column_default_sort = [("position", False), ("name", False), ("id", False)]
    column_searchable_list = ("name",)
    column_editable_list = ()


class ClientGroupView(CodeListView):
    column_list = ("name", "description", "position", "hidden")
    form_columns = ("name", "description", "position", "hidden")


class ClientStatusView(CodeListView):
    column_list = ("name", "colour", "report_email", "report_days", "position", "hidden")
    form_columns = ("name", "colour", "report_email", "report_days", "position", "hidden")


class LocationView(CodeListView):
    column_list = ("name", "description", "position", "hidden")
    form_columns = ("name", "description", "position", "hidden")


class ServiceTypeView(CodeListView):
    column_list = ("name", "description", "position", "hidden")
    form_columns = ("name", "description", "position", "hidden")


class PaymentTypeView(CodeListView):
    column_list = ("name", "system_code", "is_default", "position", "hidden")
    form_columns = ("name", "is_default", "position", "hidden")


def register(admin) -> None:
    for view, model, name, endpoint in (
        (ClientGroupView, ClientGroup, lazy_gettext("Client groups"), "client_group"),
        (ClientStatusView, ClientStatus, lazy_gettext("Client statuses"), "client_status"),
        (LocationView, Location, lazy_gettext("Locations"), "location"),
        (ServiceTypeView, ServiceType, lazy_gettext("Service types"), "service_type"),
        (PaymentTypeView, PaymentType, lazy_gettext("Payment types"), "payment_type"),
    ):
        admin.add_view(view(model, db, name=name, category=CATEGORY, endpoint=endpoint))

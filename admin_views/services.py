"""Services the contacts buy."""

from __future__ import annotations

from flask_babel import lazy_gettext
from sqlalchemy.orm import joinedload

from admin_views import BaseModelView
from admin_views.contacts import CATEGORY, contact_lookup
from models import Service, db


class ServiceView(BaseModelView):
    column_list = ("contact", "service_type", "tariff_name", "price", "start_date", "end_date", "state")
    column_default_sort = [("start_date", True), ("id", True)]
    column_filters = ("state",)
    form_columns = ("contact", "service_type", "tariff_name", "price", "start_date", "end_date", "state",
                    "suspend_reason", "suspended_from", "suspended_to")
    form_choices = {"state": [("active", lazy_gettext("Active")), ("suspended", lazy_gettext("Suspended")),
                              ("ended", lazy_gettext("Ended"))]}
    form_ajax_refs = {"contact": contact_lookup("contact")}

    def get_query(self):
        return super().get_query().options(joinedload(Service.contact), joinedload(Service.service_type))


def register(admin) -> None:
    admin.add_view(ServiceView(Service, db, name=lazy_gettext("Services"), category=CATEGORY,
                               endpoint="service"))

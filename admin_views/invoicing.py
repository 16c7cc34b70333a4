"""Invoice groups: the provider's invoicing companies."""

from __future__ import annotations

from flask_babel import lazy_gettext

from admin_views import BaseModelView
from models import InvoiceGroup, db


class InvoiceGroupView(BaseModelView):
    write_role = "admin"
    column_list = ("name", "company_name", "company_id", "currency", "vat_payer", "series_prefix",
                   "next_number", "hidden")
    column_default_sort = [("name", False), ("id", False)]
    column_searchable_list = ("name", "company_name")
    form_excluded_columns = ("logo_path", "stamp_path")


def register(admin) -> None:
    admin.add_view(InvoiceGroupView(InvoiceGroup, db, name=lazy_gettext("Invoice groups"),
                                    category=lazy_gettext("Invoicing"), endpoint="invoice_group"))

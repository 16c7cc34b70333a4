"""The contacts list's filters: code lists, contact or client, marked, corporate, socket, suspended, created."""

from __future__ import annotations

import functools
import re
from datetime import datetime, time, timedelta

import sqlalchemy as sa
from flask_admin.contrib.sqla.filters import BaseSQLAFilter, BooleanEqualFilter, DateBetweenFilter, IntEqualFilter
from flask_babel import lazy_gettext

from domain.validators import parse_date_range
from models import ClientGroup, ClientStatus, Contact, InvoiceGroup, Location, PaymentType, db


def read_at_start_up(options):
    """Filter choices read from the database, none while it has no tables: Flask-Admin asks for
    them at start-up too, also when `flask db upgrade` has not made the tables yet."""

    @functools.wraps(options)
    def read():
        try:
            return options()
        except sa.exc.SQLAlchemyError:
            db.session.rollback()
            return []

    return read


def options_of(model):
    """Filter choices for a code list, read again when the code lists change (ContactListQuery.refresh_filters)."""

    @read_at_start_up
    def options():
        order = (model.position, model.name) if hasattr(model, "position") else (model.name,)
        return [(str(row.id), row.name) for row in db.session.scalars(sa.select(model).order_by(*order))]

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

    def __init__(self, column, name, options=None, data_type=None):
        # Typed as `parse_date_range` reads it (1. 2. 2026 – 28. 2. 2026) into a plain text input
        # that static/admin/date_picker.js hints, not Flask-Admin's English daterangepicker.
        super().__init__(column, name, options)
        self.data_type = "typed-date-range"

    def clean(self, value):
        return parse_date_range(value)

    def validate(self, value) -> bool:
        try:
            parse_date_range(value)
        except ValueError:
            return False
        return True

    def apply(self, query, value, alias=None):
        start, end = value
        return query.filter(
            Contact.created_at >= datetime.combine(start, time.min),
            Contact.created_at < datetime.combine(end + timedelta(days=1), time.min),
        )


YES_NO = (("1", lazy_gettext("Yes")), ("0", lazy_gettext("No")))

CONTACT_FILTERS = [
    IntEqualFilter(Contact.client_group_id, lazy_gettext("Group"), options=options_of(ClientGroup)),
    IntEqualFilter(Contact.client_status_id, lazy_gettext("Status"), options=options_of(ClientStatus)),
    IntEqualFilter(Contact.location_id, lazy_gettext("Location"), options=options_of(Location)),
    IntEqualFilter(Contact.invoice_group_id, lazy_gettext("Invoice group"), options=options_of(InvoiceGroup)),
    IntEqualFilter(Contact.payment_type_id, lazy_gettext("Payment type"), options=options_of(PaymentType)),
    ClientOrContactFilter(
        Contact.id,
        lazy_gettext("Contact or client"),
        options=(("client", lazy_gettext("Client")), ("contact", lazy_gettext("Contact"))),
    ),
    BooleanEqualFilter(Contact.is_marked, lazy_gettext("Marked")),
    BooleanEqualFilter(Contact.is_corporate, lazy_gettext("Corporate")),
    HasSocketFilter(Contact.socket_id, lazy_gettext("Has a CATV socket"), options=YES_NO),
    SuspendedFilter(Contact.id, lazy_gettext("Has a suspended service"), options=YES_NO),
    CreatedBetweenFilter(Contact.created_at, lazy_gettext("Created")),
]


def untranslated(text) -> str:
    """A lazy catalogue string's English original; any other text as it is."""
    return str(getattr(text, "_args", (text,))[0])


def filter_url_name(flt) -> str:
    """A filter's name in the list's URLs, the same in every language (`group_equals`).

    Flask-Admin builds it from the translated label, and from the label of the language at hand:
    the names it accepts are made at start-up, in English, while the page, sort and filter links
    of a Czech page would carry Czech names and lose their filters, as would a link sent from a
    Czech clerk to an English one."""
    words = f"{untranslated(flt.name)} {untranslated(flt.operation())}".lower()
    return re.sub(" +", "_", re.sub("[^a-z0-9 ]", "", words))

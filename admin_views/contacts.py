"""Contacts: the add/edit form with its rules, contact persons, notes, and the change history."""

from __future__ import annotations

import json
from datetime import date
from urllib.parse import quote, urlencode

import phonenumbers
from babel import Locale
from flask import abort, flash, g, jsonify, redirect, request, url_for
from flask_admin import expose
from flask_admin.helpers import get_redirect_target
from flask_wtf import FlaskForm
from flask_admin.actions import action
from flask_admin.babel import gettext as admin_gettext
from flask_admin.contrib.sqla.ajax import QueryAjaxModelLoader
from flask_admin.form import rules
from flask_admin.model.form import InlineFormAdmin
from flask_admin.model.typefmt import DETAIL_FORMATTERS
from flask_babel import get_locale, gettext, lazy_gettext, ngettext
from flask_login import current_user
from markupsafe import Markup
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.orm import joinedload
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from admin_views.base import BaseModelView
from admin_views.contact_list import (
    CONTACT_FILTERS, KEYED_SORTS, RowLinks, colour_legend, contacts_per_key, keyed_page, list_page, page_ids,
    phone_formatter, sort_keys,
)
from admin_views.code_lists import COLOUR
from admin_views.contact_export import csv_response, export_rows, xlsx_response
from admin_views.contact_card import (
    CARD_OPTIONS, CARD_SECTIONS, changes_since, history_rows, latest_history_id, revert_change, yes_or_no,
)
from admin_views.catv import (
    SOCKET_PICKER_FIELDS, SOCKET_PICKER_HELPER_FIELDS, SOCKET_PICKER_LOADERS, SOCKET_PICKER_WIDGET_ARGS,
    fill_socket_chain, socket_taken_message,
)
from admin_views.fields import GpsField, PhoneField, TypedTextField
from storage.change_counters import ChangeCache, change_counters
from domain.bulk import bulk_update_contacts
from domain.client_numbers import (
    ClientNumbersExhausted, allocate_client_number, contact_with_client_number, contact_with_portal_login,
    next_client_number, variable_symbol_owner,
)
from domain.duplicates import DUPLICATE_CHECKED_FIELDS, contacts_sharing
from domain.history import pending_changes, record_change
from domain.passwords import generate_portal_password, set_portal_password
from domain.settings import get_settings
from domain.sockets import reassign_socket, socket_holder
from models import (
    ChangeLog, ClientGroup, ClientStatus, Contact, ContactPerson, InvoiceGroup, Location, Note, PaymentType, Service,
    SocketAssignment, db, utcnow,
)
from storage.search_index import normalise_search_text
from storage.search_index import matches_search, search_condition, search_terms
from domain.validators import (
    amount_validator, parse_bank_account, parse_bic, parse_company_id, parse_email_list, parse_gps, parse_iban,
    parse_phone, parse_postcode, parse_url, parse_variable_symbol, parse_vat_id, wtforms_validator,
)

CATEGORY = lazy_gettext("Contacts")
EXTRA_VS_FIELDS = ("extra_vs_1", "extra_vs_2", "extra_vs_3")
COMPANY_FIELDS = ("company_name", "company_id", "vat_id", "contact_person")
INSTALL_FIELDS = ("install_street", "install_postcode", "install_city", "install_country", "install_gps",
                  "install_floor", "install_flat")
DUPLICATE_LABELS = {"id_number": lazy_gettext("ID number"), "company_id": lazy_gettext("Company ID"),
                    "email": lazy_gettext("E-mail"), "mobile": lazy_gettext("Mobile phone")}


def strip_text(value):
    return value.strip() if isinstance(value, str) else value


def country_choices() -> list[tuple[str, str]]:
    """Countries by English name: Babel's territories that are real regions (not EU, UN, ZZ, ...)."""
    names = {code: name for code, name in Locale("en").territories.items() if code in phonenumbers.SUPPORTED_REGIONS}
    return sorted(((code, f"{names[code]} ({code})") for code in names if len(code) == 2 and code.isalpha()),
                  key=lambda item: item[1])


class ContactLookup(QueryAjaxModelLoader):
    """Ajax lookup of contacts that are not deleted, by name."""

    def get_query(self):
        return super().get_query().filter(Contact.deleted_at.is_(None))


def contact_lookup(name: str) -> ContactLookup:
    return ContactLookup(name, db, Contact, fields=["name"], order_by=Contact.name,
                         minimum_input_length=2, placeholder=lazy_gettext("Type a name"))


class OptionalField(rules.Field):
    """A field rule that renders nothing when the form lacks the field (client number in automatic mode)."""

    def __call__(self, form, form_opts=None, field_args=None):
        if getattr(form, self.field_name, None) is None:
            return ""
        return super().__call__(form, form_opts, field_args)


class DuplicateWarnings(rules.Macro):
    """The "this contact may already exist" box with its save-anyway checkbox."""

    def __init__(self):
        super().__init__("rule_macros.duplicate_warnings")

    @property
    def visible_fields(self) -> list[str]:
        return ["save_anyway"]


class EditGuard(rules.Macro):
    """The version the form was opened with (hidden) and, after a clash, what the other user changed."""

    def __init__(self):
        super().__init__("rule_macros.edit_guard")

    @property
    def visible_fields(self) -> list[str]:
        return ["opened_version", "history_mark"]


def section(title, *children) -> rules.Container:
    return rules.Container("rule_macros.section", rules.NestedRule(list(children)), title=title)


def shown_when(checkbox: str, *children) -> rules.Container:
    return rules.Container("rule_macros.shown_when", rules.NestedRule(list(children)), checkbox=checkbox)


class ContactPersonInline(InlineFormAdmin):
    form_columns = ("id", "name", "role", "email", "phone")
    form_label = lazy_gettext("Contact person")
    form_args = {"name": {"validators": [InputRequired()]},
                 "email": {"validators": [Optional(), wtforms_validator(parse_email_list)]}}


class NoteInline(InlineFormAdmin):
    """Notes typed on the contact form; the server fills in author and time."""

    form_columns = ("id", "text")
    form_label = lazy_gettext("Note")
    form_args = {"text": {"label": lazy_gettext("Note"), "validators": [InputRequired()]}}
    form_overrides = {"text": TextAreaField}

    def on_model_change(self, form, model, is_created):
        if is_created:
            model.author_id = current_user.id
            model.created_at = utcnow()


FORM_RULES = [
    EditGuard(),
    DuplicateWarnings(),
    section(lazy_gettext("Basic data"),
            rules.Row(OptionalField("client_number"), rules.Field("name")),
            "is_corporate",
            shown_when("is_corporate", rules.Row("company_name", "contact_person"), rules.Row("company_id", "vat_id"))),
    section(lazy_gettext("Address"),
            rules.Row("street", "postcode", "city"),
            rules.Row("country", "gps", "floor", "flat"),
            rules.Row(*SOCKET_PICKER_FIELDS),
            "has_different_address",
            shown_when("has_different_address",
                       rules.Row("install_street", "install_postcode", "install_city"),
                       rules.Row("install_country", "install_gps", "install_floor", "install_flat"))),
    section(lazy_gettext("Identification"), rules.Row("id_number", "birth_date")),
    section(lazy_gettext("Contact"),
            rules.Row("email", "invoice_email"), rules.Row("tech_email", "business_email"),
            rules.Row("phone", "mobile", "fax"), "www",
            "is_marked", shown_when("is_marked", "marked_reason"),
            rules.Row("no_bulk_email", "show_info_messages")),
    section(lazy_gettext("Portal"), rules.Row("portal_login", "portal_enabled"), "generate_password",
            rules.Macro("rule_macros.portal_password_note")),
    section(lazy_gettext("Classification"), rules.Row("client_group", "client_status", "location")),
    section(lazy_gettext("Internal notes"), rules.Row("internal_note_1", "internal_note_2")),
    section(lazy_gettext("Invoicing"),
            rules.Row("invoice_group", "payment_type", "bulk_payment_number"),
            rules.Row("invoice_by_post", "invoice_by_email", "no_auto_reminders", "issue_proforma"),
            rules.Row("bank_account", "iban", "bic"),
            rules.Row("invoicing_day", "due_days", "opening_balance"),
            rules.Row("suspend_mode", "suspend_min_amount", "suspend_days_after_due"),
            rules.Row(*EXTRA_VS_FIELDS),
            rules.Row("contract_returned", "hide_overdue", "no_payment_notifications")),
    section(lazy_gettext("Contact persons"), "persons"),
    section(lazy_gettext("Notes"), "notes"),
]


# Up to this many search matches, PostgreSQL sorts the matches rather than walk the list order's index.
FEW_MATCHES = 5000
# Past FEW_MATCHES, a search page is looked for among this many contacts of the list's order.
SEARCH_WALK_ROWS = 2000


def list_key(search, filters) -> tuple:
    """What the list's cached counts are kept under: the search and the filters' values."""
    return search, tuple((index, value) for index, _, value in filters or ())


def ids_sorting_matches(query) -> list[int]:
    """The ids of a search's page, PostgreSQL made to sort the (few) matches.

    Otherwise it walks the sort order's index expecting matches spread evenly, but a search
    clusters them (every Novák sits under N): "novak" read 19,000 index rows, 30 ms, where
    sorting its 2,000 matches from the trigram index takes 5 ms.
    """
    db.session.execute(sa.text("SET LOCAL enable_indexscan = off"))
    try:
        return [contact_id for (contact_id,) in query]
    finally:
        db.session.execute(sa.text("RESET enable_indexscan"))


class ContactView(BaseModelView):
    """The register of contacts; deleting only hides a contact (soft delete)."""

    # List
    list_template = "admin/contact_list.html"
    column_list = ("client_number", "name", "company_name", "city", "street", "phone", "email",
                   "client_group", "client_status", "invoice_group", "is_client")
    column_labels = {"client_number": lazy_gettext("Client number"), "company_name": lazy_gettext("Company"),
                     "client_group": lazy_gettext("Group"), "client_status": lazy_gettext("Status"),
                     "invoice_group": lazy_gettext("Invoice group"), "is_client": lazy_gettext("Contact/client"),
                     "email": lazy_gettext("E-mail")}
    column_sortable_list = ("client_number", "name", "company_name", "city", "street", "phone", "email",
                            ("client_group", "client_group.name"), ("client_status", "client_status.name"),
                            ("invoice_group", "invoice_group.name"), "is_client")
    column_default_sort = [("name", False), ("id", False)]
    # The list's cells come from contact_list.list_page; the client card formats the phone here.
    column_formatters = {"phone": phone_formatter}
    column_details_exclude_list = ("search_text", "portal_password_hash", "version")
    column_filters = CONTACT_FILTERS
    named_filter_urls = True
    # The search box runs search.search_condition over the normalised, indexed search text.
    column_searchable_list = ("search_text",)

    # Form
    create_template = "admin/rules_create.html"
    edit_template = "admin/rules_edit.html"
    form_create_rules = form_edit_rules = FORM_RULES
    form_excluded_columns = ("client_number", "portal_login", "search_text", "version", "created_at", "updated_at",
                             "deleted_at", "deleted_by_id", "portal_password_hash", "status_changed_at",
                             "services", "gps_lat", "gps_lon", "install_gps_lat", "install_gps_lon")
    form_extra_fields = {
        "client_number": TypedTextField(
            lazy_gettext("Client number"),
            validators=[InputRequired(), wtforms_validator(parse_variable_symbol)],
            description=lazy_gettext("Unique, up to 10 digits. It is the variable symbol on the client's "
                                     "payments and the default portal login.")),
        "gps": GpsField(lazy_gettext("GPS"), validators=[wtforms_validator(parse_gps)],
                        description=lazy_gettext("50.0755, 14.4378 or 50°4'31.8\"N 14°26'16.1\"E")),
        "install_gps": GpsField(lazy_gettext("GPS"), validators=[wtforms_validator(parse_gps)]),
        "generate_password": BooleanField(lazy_gettext("Generate a new portal password when saving")),
        "save_anyway": BooleanField(lazy_gettext("Save anyway")),
        "opened_version": HiddenField(),
        "history_mark": HiddenField(),
        "portal_login": StringField(lazy_gettext("Portal login"), validators=[Optional(), Length(max=64)],
                                    filters=[lambda value: value.strip() if value else None],
                                    description=lazy_gettext("Leave empty to use the client number.")),
        **SOCKET_PICKER_HELPER_FIELDS,
    }
    form_overrides = {name: TypedTextField for name in EXTRA_VS_FIELDS} | {
        "phone": PhoneField, "mobile": PhoneField, "fax": PhoneField,
        "country": SelectField, "install_country": SelectField,
        "suspend_mode": SelectField, "internal_note_1": TextAreaField, "internal_note_2": TextAreaField,
        "marked_reason": TextAreaField,
    }
    form_args = {
        "name": {"label": lazy_gettext("Client name"), "validators": [DataRequired(), Length(max=200)],
                 "filters": [strip_text],
                 "description": lazy_gettext("Surname first, then first name (sorts better); or the company name.")},
        "is_corporate": {"label": lazy_gettext("Corporate client")},
        "company_name": {"label": lazy_gettext("Company name")},
        "company_id": {"label": lazy_gettext("Company ID"), "validators": [wtforms_validator(parse_company_id)]},
        "vat_id": {"label": lazy_gettext("VAT ID"), "validators": [wtforms_validator(parse_vat_id)]},
        "street": {"validators": [DataRequired(), Length(max=200)], "filters": [strip_text]},
        "postcode": {"validators": [InputRequired(), wtforms_validator(parse_postcode, "country")]},
        "city": {"validators": [DataRequired(), Length(max=100)], "filters": [strip_text]},
        "country": {"choices": country_choices(), "validators": [InputRequired()]},
        "socket": {"label": lazy_gettext("CATV socket")},
        "has_different_address": {"label": lazy_gettext("Client has a different installation address")},
        "install_street": {"label": lazy_gettext("Installation street")},
        "install_postcode": {"label": lazy_gettext("Postcode"),
                             "validators": [wtforms_validator(parse_postcode, "install_country")]},
        "install_city": {"label": lazy_gettext("City")},
        "install_country": {"label": lazy_gettext("Country"), "choices": [("", "")] + country_choices()},
        "install_floor": {"label": lazy_gettext("Floor")},
        "install_flat": {"label": lazy_gettext("Flat")},
        "id_number": {"label": lazy_gettext("ID number"),
                      "description": lazy_gettext("Passport or identity card number.")},
        "birth_date": {"label": lazy_gettext("Birth date")},
        "email": {"label": lazy_gettext("E-mail"), "validators": [wtforms_validator(parse_email_list)],
                  "description": lazy_gettext("Several addresses may be separated by , or ;")},
        "invoice_email": {"label": lazy_gettext("Invoicing e-mail"), "validators": [wtforms_validator(parse_email_list)],
                          "description": lazy_gettext("Invoices go here; if empty, to the main e-mail.")},
        "tech_email": {"label": lazy_gettext("Technical e-mail"), "validators": [wtforms_validator(parse_email_list)]},
        "business_email": {"label": lazy_gettext("Business e-mail"), "validators": [wtforms_validator(parse_email_list)]},
        "phone": {"validators": [wtforms_validator(parse_phone, "country")]},
        "mobile": {"label": lazy_gettext("Mobile phone"), "validators": [wtforms_validator(parse_phone, "country")],
                   "description": lazy_gettext("SMS messages go to this number.")},
        "fax": {"validators": [wtforms_validator(parse_phone, "country")]},
        "www": {"label": lazy_gettext("Web"), "validators": [wtforms_validator(parse_url)]},
        "is_marked": {"label": lazy_gettext("Mark client (green row in the list)")},
        "marked_reason": {"label": lazy_gettext("Why is the client marked?")},
        "no_bulk_email": {"label": lazy_gettext("Don't send bulk e-mail or SMS")},
        "show_info_messages": {"label": lazy_gettext("Show info messages in the portal")},
        "portal_enabled": {"label": lazy_gettext("Portal access allowed")},
        "client_group": {"label": lazy_gettext("Group"), "blank_text": "—"},
        "client_status": {"label": lazy_gettext("Status"), "blank_text": "—"},
        "location": {"label": lazy_gettext("Location"), "blank_text": "—"},
        "internal_note_1": {"label": lazy_gettext("Internal note 1"),
                            "description": lazy_gettext("Available in messages as $CLI_INTERNAL_NOTE_1$.")},
        "internal_note_2": {"label": lazy_gettext("Internal note 2"),
                            "description": lazy_gettext("Available in messages as $CLI_INTERNAL_NOTE_2$.")},
        "invoice_group": {"label": lazy_gettext("Invoice group")},
        "payment_type": {"label": lazy_gettext("Payment type")},
        "bulk_payment_number": {"label": lazy_gettext("Bulk payment number")},
        "invoice_by_post": {"label": lazy_gettext("Send invoices by post")},
        "invoice_by_email": {"label": lazy_gettext("Send invoices by e-mail")},
        "no_auto_reminders": {"label": lazy_gettext("Don't send reminders automatically")},
        "issue_proforma": {"label": lazy_gettext("Issue pro-forma invoices")},
        "bank_account": {"label": lazy_gettext("Bank account"), "validators": [wtforms_validator(parse_bank_account)],
                         "description": lazy_gettext("Czech format prefix-number/bank code.")},
        "iban": {"label": "IBAN", "validators": [wtforms_validator(parse_iban)]},
        "bic": {"label": "BIC", "validators": [wtforms_validator(parse_bic)]},
        "opening_balance": {"label": lazy_gettext("Opening balance"), "validators": [amount_validator()],
                            "description": lazy_gettext("Overpayment (+) or debt (−) taken over from an old system.")},
        "contract_returned": {"label": lazy_gettext("Contract returned")},
        "invoicing_day": {"label": lazy_gettext("Invoicing day"),
                          "validators": [InputRequired(), NumberRange(1, 28, lazy_gettext("A day from 1 to 28."))]},
        "due_days": {"label": lazy_gettext("Due days"),
                     "validators": [InputRequired(), NumberRange(0, 3650, lazy_gettext("0 or more days."))]},
        "suspend_mode": {"label": lazy_gettext("Suspend non-payers"), "choices": [
            ("global", lazy_gettext("As in the general settings")),
            ("individual", lazy_gettext("Individually: minimum debt and days below")),
            ("never", lazy_gettext("Never suspend this client"))]},
        "suspend_min_amount": {"label": lazy_gettext("Minimum debt"),
                               "validators": [Optional(), amount_validator(), NumberRange(0)]},
        "suspend_days_after_due": {"label": lazy_gettext("Days after due date"),
                                   "validators": [Optional(), NumberRange(0, 3650)]},
        "extra_vs_1": {"label": lazy_gettext("Extra variable symbol 1"),
                       "validators": [wtforms_validator(parse_variable_symbol)],
                       "description": lazy_gettext("Other symbols this client pays with.")},
        "extra_vs_2": {"label": lazy_gettext("Extra variable symbol 2"),
                       "validators": [wtforms_validator(parse_variable_symbol)]},
        "extra_vs_3": {"label": lazy_gettext("Extra variable symbol 3"),
                       "validators": [wtforms_validator(parse_variable_symbol)]},
        "hide_overdue": {"label": lazy_gettext("Don't show overdue invoices")},
        "no_payment_notifications": {"label": lazy_gettext("No payment notifications")},
    }
    # The card and the list name each field as the form does; the list's own short names win.
    column_labels = {name: args["label"] for name, args in form_args.items() if "label" in args} | {
        "name": lazy_gettext("Name"), "street": lazy_gettext("Street"), "postcode": lazy_gettext("Postcode"),
        "city": lazy_gettext("City"), "country": lazy_gettext("Country"), "gps_lat": lazy_gettext("GPS latitude"),
        "gps_lon": lazy_gettext("GPS longitude"), "floor": lazy_gettext("Floor"), "flat": lazy_gettext("Flat"),
        "phone": lazy_gettext("Phone"), "fax": lazy_gettext("Fax"), "contact_person": lazy_gettext("Contact person"),
        "status_changed_at": lazy_gettext("Status changed"), "created_at": lazy_gettext("Created"),
        "updated_at": lazy_gettext("Updated"),
    } | column_labels
    column_type_formatters_detail = {**DETAIL_FORMATTERS, bool: yes_or_no}

    # Every lookup of the socket picker; ajax_lookup finds them by ?name=.
    form_ajax_refs = dict(SOCKET_PICKER_LOADERS)
    form_widget_args = {name: dict(args) for name, args in SOCKET_PICKER_WIDGET_ARGS.items()}
    inline_models = (ContactPersonInline(ContactPerson), NoteInline(Note))
    extra_js = ["/static/admin/contact_form.js"]

    # List: search, filters, colours

    def __init__(self, *args, **kwargs):
        # Per view, so per app: what one database gave is never served for another.
        self._count_cache, self._legend_cache, self._filter_groups_cache = ChangeCache(), ChangeCache(), ChangeCache()
        self._sort_keys_cache = ChangeCache()
        self._filters_counter = None
        super().__init__(*args, **kwargs)

    @expose("/")
    def index_view(self):
        # Filter choices come from code lists that change while the app runs.
        code_lists = change_counters()["code_lists"]
        if code_lists != self._filters_counter:
            self._refresh_filters_cache()
            self._filters_counter = code_lists
        return super().index_view()

    export_types = ["csv", "xlsx"]

    @expose("/export/<export_type>/")
    def export(self, export_type: str):
        """The current list (filters, search, order) as CSV or XLSX, streamed."""
        if export_type not in self.export_types:
            abort(404)
        rows = export_rows(self)
        filename = f"contacts-{date.today().isoformat()}"
        return csv_response(rows, filename) if export_type == "csv" else xlsx_response(rows, filename)

    # Bulk changes: on the selected rows, or on every contact the current list shows.

    @action("bulk_change", lazy_gettext("Change group, status, payment, invoice group or mark…"))
    def action_bulk_change(self, ids):
        return redirect(url_for(".bulk_view", ids=",".join(i for i in ids if str(i).isdigit()),
                                url=get_redirect_target() or url_for(".index_view")))

    @expose("/bulk/", methods=("GET", "POST"))
    def bulk_view(self):
        """Confirm and apply one bulk change; the page says how many contacts it will change."""
        ids = self._bulk_ids()
        form = BulkChangeForm()
        form.value.choices = bulk_value_choices()
        if form.validate_on_submit():
            field, value = parse_bulk_choice(form.value.data)
            changed = bulk_update_contacts(ids, field, value, current_user)
            db.session.commit()
            flash(ngettext("%(num)d contact changed.", "%(num)d contacts changed.", changed), "success")
            return redirect(get_redirect_target() or url_for(".index_view"))
        return self.render("admin/contact_bulk.html", form=form, count=len(ids),
                           return_url=get_redirect_target() or url_for(".index_view"))

    def _bulk_ids(self) -> list[int]:
        """The selected contacts (?ids=1,2), or with ?all=1 every contact of the list's current filter."""
        if request.args.get("all"):
            return [contact_id for (contact_id,) in self.current_list_ids(ordered=False)]
        raw = [i for i in (request.values.get("ids") or "").split(",") if i.isdigit()]
        return list(db.session.scalars(sa.select(Contact.id).where(
            Contact.id.in_([int(i) for i in raw]), Contact.deleted_at.is_(None))))

    def current_list_ids(self, ordered: bool):
        """A query of the ids the list shows for this request's search and filters (all pages)."""
        args = self._get_list_extra_args()
        sort = self._get_column_by_idx(args.sort) if ordered else None
        _, query = self.get_list(0, sort[0] if sort else None, args.sort_desc, args.search, args.filters,
                                 execute=False, page_size=0)
        return query if ordered else query.order_by(None)

    def search_placeholder(self) -> str:
        return gettext("Name, number, address, phone, e-mail, IDs, notes…")

    def _apply_search(self, query, count_query, joins, count_joins, search):
        minimum = get_settings().min_search_length
        if len(normalise_search_text(search).replace(" ", "")) < minimum:
            g.search_message = ngettext("Type at least %(num)d character to search.",
                                        "Type at least %(num)d characters to search.", minimum)
            return query.filter(sa.false()), count_query.filter(sa.false()), joins, count_joins
        condition = search_condition(search, db.engine.dialect.name)
        return query.filter(condition), count_query.filter(condition), joins, count_joins

    def get_list(self, page, sort_column, sort_desc, search, filters, execute=True, page_size=None):
        """Flask-Admin's get_list, made cheap at 100,000 contacts.

        The count is kept until the contacts change (change_counters.py). The page is read in
        two short queries: its ids from the filtered, sorted query (an index walk for the
        list's orders), then their columns as flat rows (list_page), no model objects. A sort by
        a code list reads its ids key by key (contact_list.keyed_page), and a search with many
        matches along the list's order (_search_page_in_list_order).
        With execute=False, the query of all matching ids in list order, and no count.
        """
        query, count_query, joins = self._matching(search, filters)
        matches = query.with_entities(Contact.id)
        query = self._in_list_order(matches, joins, sort_column, sort_desc)
        if not execute:
            return None, query
        counter = change_counters()["contacts"]
        key = list_key(search, filters)
        if sort_column in KEYED_SORTS:
            per_key = self._count_cache.get(counter, (key, sort_column),
                                            lambda: contacts_per_key(count_query, sort_column))
            count = sum(per_key.values())
        else:
            count = self._count_cache.get(counter, key, count_query.scalar)
        limit = self.page_size if page_size is None else page_size
        offset = (page or 0) * limit
        if search and count <= FEW_MATCHES and db.engine.dialect.name == "postgresql":
            read_ids = ids_sorting_matches
        else:
            read_ids = lambda ids_query: [contact_id for (contact_id,) in ids_query]  # noqa: E731
        if not limit:  # page_size=0: every matching contact
            ids = read_ids(query)
        elif sort_column in KEYED_SORTS:
            keys = self._sort_keys_cache.get(change_counters()["code_lists"], sort_column,
                                             lambda: sort_keys(sort_column))
            ids = keyed_page(matches, sort_column, keys, per_key, offset, limit, sort_desc, read_ids)
        else:
            ids = None
            if search and count > FEW_MATCHES:
                ids = self._search_page_in_list_order(sort_column, sort_desc, search, filters, count, offset, limit)
            if ids is None:
                reverse = self._in_list_order(matches, joins, *self._reverse_order(sort_column, sort_desc))
                ids = page_ids(query, reverse, count, offset, limit, read_ids)
        return count, list_page(ids, [name for name, _ in self._list_columns])

    def _matching(self, search, filters):
        """The list's query, count query and joins for this search and these filters (unsorted)."""
        query, count_query, joins, count_joins = self.get_query(), self.get_count_query(), {}, {}
        if search:
            query, count_query, joins, count_joins = self._apply_search(query, count_query, joins, count_joins,
                                                                        search)
        if filters and self._filters:
            query, count_query, joins, count_joins = self._apply_filters(query, count_query, joins, count_joins,
                                                                         filters)
        return query, count_query, joins

    def _in_list_order(self, query, joins, sort_column, sort_desc):
        """`query` in the list's order: the chosen column, then what keeps equal values in one order."""
        query, _ = self._apply_sorting(query, dict(joins), sort_column, sort_desc)  # a copy: it adds to joins
        if sort_column is not None:  # equal cities (...) keep one order from page to page
            ties = (Contact.name, Contact.id) if sort_column in KEYED_SORTS else (Contact.id,)
            query = query.order_by(*(column.desc() if sort_desc else column for column in ties))
        return query

    @staticmethod
    def _reverse_order(sort_column, sort_desc) -> tuple[str, bool]:
        """The sort column and direction that list the contacts in exactly the opposite order."""
        if sort_column is None:  # column_default_sort: name, then id
            return "name", True
        return sort_column, not sort_desc

    def _search_page_in_list_order(self, sort_column, sort_desc, search, filters, count, offset, limit):
        """A search that many contacts match (a town, a common syllable): its page read along the
        list's own order, each contact's search text matched here; None when the page is not
        within the first SEARCH_WALK_ROWS contacts of that order.

        The search index hands over every match, which the database then sorts: 40-55 ms for
        40,000 matches, where the list's first few hundred contacts hold the page.
        """
        listed, listed_count, joins = self._matching(None, filters)
        total = self._count_cache.get(change_counters()["contacts"], list_key(None, filters), listed_count.scalar)
        # The contacts that hold the page if the matches are spread evenly, twice over.
        rows = 2 * (offset + limit) * total // count + limit
        if rows > SEARCH_WALK_ROWS:
            return None
        read = self._in_list_order(listed.with_entities(Contact.id, Contact.search_text), joins, sort_column,
                                   sort_desc).limit(rows).all()
        words = search_terms(search)
        found = [contact_id for contact_id, text in read if matches_search(text, words)]
        if len(found) >= offset + limit or len(read) < rows:  # the page is complete, or the list ended
            return found[offset:offset + limit]
        return None

    def row_links(self, return_url: str, with_checkbox: bool) -> RowLinks:
        """What the list page's rows share (contact_list.ListRow.html)."""
        return RowLinks(details=self.get_url(".details_view"),
                        edit=self.get_url(".edit_view") if self.can_edit else None,
                        back=quote(return_url, safe="/"),
                        select_title=admin_gettext("Select record") if with_checkbox else None,
                        card_title=gettext("Client card"), edit_title=admin_gettext("Edit Record"))

    @property
    def search_message(self) -> str | None:
        return g.get("search_message")

    def _get_list_url(self, view_args) -> str:
        """Flask-Admin's list URL (page, order, search, page size, filters), from the list's path:
        a page builds some 25 of them (sorting, paging, page sizes) and url_for costs."""
        args = {"page": view_args.page or None, "sort": view_args.sort, "desc": 1 if view_args.sort_desc else None,
                "search": view_args.search, **view_args.extra_args,
                "page_size": self.get_safe_page_size(view_args.page_size), **self._get_filters(view_args.filters)}
        if "contact_list_path" not in g:
            g.contact_list_path = self.get_url(".index_view")
        query = urlencode([(name, value) for name, value in args.items() if value is not None])
        return f"{g.contact_list_path}?{query}" if query else g.contact_list_path

    def _get_filter_groups(self):
        # The filters and their choices as the page's script reads them, translated: they change
        # with the code lists and the language only.
        return self._filter_groups_cache.get(change_counters()["code_lists"], str(get_locale()),
                                             super()._get_filter_groups)

    def colour_legend(self) -> list[tuple[str, str]]:
        # Per language: the legend's own words ("Marked client") are translated.
        return self._legend_cache.get(change_counters()["code_lists"], str(get_locale()), colour_legend)

    # Queries

    def get_query(self):
        return super().get_query().filter(Contact.deleted_at.is_(None))

    def get_count_query(self):
        return super().get_count_query().filter(Contact.deleted_at.is_(None))

    def get_one(self, id):
        contact = super().get_one(id)
        if contact.is_deleted:
            abort(404)
        return contact

    # Form set-up

    def create_form(self, obj=None):
        form = super().create_form(obj)
        settings = get_settings()
        if settings.client_number_mode == "automatic":
            del form.client_number
        if request.method == "GET":
            if "client_number" in form:
                form.client_number.data = next_client_number()
            form.country.data = settings.default_country
            form.due_days.data = settings.default_due_days
            form.invoicing_day.data = 1
            form.invoice_by_email.data = True
            form.show_info_messages.data = True
            form.suspend_mode.data = "global"
            form.invoice_group.data = self._preferred_invoice_group()
            form.payment_type.data = db.session.scalars(
                db.select(PaymentType).where(PaymentType.is_default)).first()
        prepare_code_list_fields(form, None)
        return form

    def edit_form(self, obj=None):
        form = super().edit_form(obj)
        if request.method == "GET":
            form.client_number.data = obj.client_number
            form.opened_version.data = obj.version
            form.history_mark.data = latest_history_id(obj.id)
        if get_settings().client_number_mode == "automatic":
            form.client_number.render_kw = {"readonly": True}
        prepare_code_list_fields(form, obj)
        return form

    def _preferred_invoice_group(self) -> InvoiceGroup | None:
        """The invoice group this clerk chose last, else the only or first one."""
        if current_user.last_invoice_group_id:
            group = db.session.get(InvoiceGroup, current_user.last_invoice_group_id)
            if group is not None and not group.hidden:
                return group
        return db.session.scalars(db.select(InvoiceGroup).where(InvoiceGroup.hidden.is_(False))
                                  .order_by(InvoiceGroup.name)).first()

    # Validation

    def validate_form(self, form) -> bool:
        valid = super().validate_form(form)
        if request.method != "POST" or not hasattr(form, "street"):
            return valid  # a page load, or the delete and action forms
        obj_id = form._obj.id if form._obj is not None else None
        # A re-rendered form shows the chain of the typed socket.
        fill_socket_chain(form)
        if form._obj is not None and not self._check_version(form):
            return False
        valid &= self._check_rules(form, obj_id)
        if valid and not form.save_anyway.data:
            form.duplicate_warnings = self._duplicate_warnings(form, obj_id)
            if form.duplicate_warnings:
                flash(gettext("This contact may already exist. Check the warning and save again if it is "
                              "a different contact."), "warning")
                return False
        return valid

    @staticmethod
    def _check_version(form) -> bool:
        """Refuse to save over a newer version; show what changed since the form was opened.

        The form then carries the current version, so saving again (after a look) goes through.
        """
        contact = form._obj
        if str(contact.version) == (form.opened_version.data or ""):
            return True
        mark = int(form.history_mark.data) if (form.history_mark.data or "").isdigit() else 0
        form.edit_conflict = changes_since(contact.id, mark)
        form.opened_version.data = contact.version
        form.history_mark.data = latest_history_id(contact.id)
        flash(gettext("Someone else saved this contact after you opened it. Nothing was saved; your typing "
                      "is kept below. Check their changes, then save again."), "error")
        return False

    def _check_rules(self, form, obj_id: int | None) -> bool:
        """The form's cross-field rules; each broken one is an error next to its field."""
        errors = {}
        if "client_number" in form and isinstance(form.client_number.data, int):
            if get_settings().client_number_mode == "automatic" and form._obj is not None:
                form.client_number.data = form._obj.client_number
            other = contact_with_client_number(form.client_number.data, obj_id)
            if other is not None:
                errors["client_number"] = client_number_clash_message(other)
            elif (payer := variable_symbol_owner(form.client_number.data, obj_id)) is not None:
                errors["client_number"] = gettext(
                    "Contact %(contact)s already pays with this number as an extra variable symbol. "
                    "The next free number is %(next)s.", contact=payer,
                    next=next_client_number(after=form.client_number.data))
        if form.is_corporate.data and not (form.company_name.data or "").strip():
            errors["company_name"] = gettext("A corporate client needs a company name.")
        if form.has_different_address.data:
            for name in ("install_street", "install_postcode", "install_city"):
                if not form[name].data:
                    errors[name] = gettext("Fill in the installation address or untick the box.")
        if form.birth_date.data and form.birth_date.data > date.today():
            errors["birth_date"] = gettext("A birth date cannot be in the future.")
        payment_type = form.payment_type.data
        if payment_type is not None and payment_type.system_code == "bulk_payment" \
                and not (form.bulk_payment_number.data or "").strip():
            errors["bulk_payment_number"] = gettext("Bulk payment needs the bulk payment number.")
        if form.invoice_by_email.data and not (form.invoice_email.data or form.email.data):
            errors["invoice_by_email"] = gettext("Sending invoices by e-mail needs an invoicing or main e-mail.")
        typed_login = form.portal_login.data
        login = typed_login or (str(form.client_number.data) if "client_number" in form
                                and isinstance(form.client_number.data, int) else None)
        taken = contact_with_portal_login(login, obj_id) if login else None
        if taken is not None and typed_login:
            errors["portal_login"] = gettext("This login is used by %(contact)s.", contact=taken)
        elif taken is not None:
            errors["portal_login"] = gettext(
                "The client number is the portal login of %(contact)s; type another login.", contact=taken)
        errors.update(self._extra_vs_errors(form, obj_id))
        if form.socket.data is not None:
            holder = socket_holder(form.socket.data.id, obj_id)
            if holder is not None:
                errors["socket"] = socket_taken_message(holder)
        for name, message in errors.items():
            form[name].errors = list(form[name].errors) + [message]
        return not errors

    @staticmethod
    def _extra_vs_errors(form, obj_id: int | None) -> dict[str, str]:
        errors = {}
        own_number = form.client_number.data if "client_number" in form else None
        seen = {own_number}
        for name in EXTRA_VS_FIELDS:
            number = form[name].data
            if not isinstance(number, int):
                continue
            owner = variable_symbol_owner(number, obj_id)
            if number in seen:
                errors[name] = gettext("This symbol is already this contact's client number or symbol.")
            elif owner is not None:
                errors[name] = gettext("Contact %(contact)s already pays with this symbol.", contact=owner)
            seen.add(number)
        return errors

    @staticmethod
    def _duplicate_warnings(form, obj_id: int | None) -> list[dict]:
        warnings = []
        for name in DUPLICATE_CHECKED_FIELDS:
            value = form[name].data
            others = contacts_sharing(name, value, obj_id)
            if others:
                warnings.append({"field": name, "label": DUPLICATE_LABELS[name], "value": value,
                                 "contacts": others})
        return warnings

    # Saving

    def create_model(self, form):
        g.contact_form = form
        return super().create_model(form)

    def update_model(self, form, model):
        g.contact_form = form
        return super().update_model(form, model)

    def handle_view_exception(self, exc: Exception) -> bool:
        form = g.get("contact_form")
        if isinstance(exc, StaleDataError):
            db.session.rollback()
            flash(gettext("Someone else saved this contact a moment ago. Nothing was saved; reload the page "
                          "to see their changes."), "error")
            return True
        if isinstance(exc, IntegrityError) and form is not None and self._socket_taken_meanwhile(form):
            return True
        if isinstance(exc, IntegrityError) and form is not None and "client_number" in form:
            db.session.rollback()
            other = contact_with_client_number(form.client_number.data)
            if other is not None:
                # Another clerk saved this number a moment ago.
                form.client_number.errors = [client_number_clash_message(other)]
                flash(gettext("The client number was taken meanwhile; nothing was saved."), "error")
                return True
        return super().handle_view_exception(exc)

    def _socket_taken_meanwhile(self, form) -> bool:
        """After a failed save: if another clerk gave the socket to someone a moment ago, say so at the field."""
        db.session.rollback()
        if form.socket.data is None:
            return False
        holder = socket_holder(form.socket.data.id, form._obj.id if form._obj is not None else None)
        if holder is None:
            return False
        form.socket.errors = [socket_taken_message(holder)]
        flash(gettext("The socket was taken meanwhile; nothing was saved."), "error")
        return True

    def on_model_change(self, form, model, is_created):
        # No autoflush: a flush before record_change would empty the change history it reads.
        with db.session.no_autoflush:
            self._apply_contact_rules(form, model, is_created)
            changes = pending_changes(model)
            record_change(model, "create" if is_created else "update", changes, current_user)
            if "socket_id" in changes:
                reassign_socket(model, model.socket, current_user)

    def _apply_contact_rules(self, form, model, is_created):
        """Derived values: client number, cleared blocks, portal login and password, status time."""
        settings = get_settings()
        if is_created and settings.client_number_mode == "automatic":
            try:
                model.client_number = allocate_client_number()
            except ClientNumbersExhausted:
                raise ValidationError(gettext("Automatic numbering has no free client number of at most 10 "
                                              "digits left; switch to manual numbering in the settings.")) from None
        elif is_created:
            settings.last_client_number = model.client_number
        if not model.is_corporate:
            for name in COMPANY_FIELDS:
                setattr(model, name, None)
        if not model.has_different_address:
            model.install_gps = None
            for name in INSTALL_FIELDS:
                if name != "install_gps":
                    setattr(model, name, None)
        if not model.portal_login:
            model.portal_login = str(model.client_number)
        if is_created or form.generate_password.data:
            g.new_portal_password = generate_portal_password()
            set_portal_password(model, g.new_portal_password, generated=True)
        if "client_status_id" in pending_changes(model):
            model.status_changed_at = utcnow()
        current_user.last_invoice_group_id = model.invoice_group.id

    def after_model_change(self, form, model, is_created):
        password = g.pop("new_portal_password", None)
        if password:
            flash(Markup(gettext("Portal password for %(login)s: <code id=\"new-portal-password\">%(password)s"
                                 "</code> — give it to the client now; it is not shown again.",
                                 login=Markup.escape(model.portal_login), password=Markup.escape(password))),
                  "warning")

    def on_form_prefill(self, form, id):
        fill_socket_chain(form)

    # The client card

    details_template = "admin/contact_card.html"

    one_options = CARD_OPTIONS

    def card(self, contact: Contact) -> dict:
        """What the card template shows besides the contact's own fields."""
        return {"contact": contact, "sections": CARD_SECTIONS, "history": history_rows(contact),
                "may_revert": current_user.is_admin}

    @expose("/revert/", methods=("POST",))
    def revert(self):
        """Put one history entry's fields back (administrators only)."""
        if not current_user.is_admin:
            abort(403)
        entry = db.session.get(ChangeLog, request.form.get("entry_id", type=int) or 0)
        if entry is None:
            abort(404)
        refusal = revert_change(entry, current_user)
        if refusal:
            db.session.rollback()
            flash(gettext("Not reverted: %(reason)s", reason=refusal), "error")
        else:
            flash(gettext("History entry #%(id)d was reverted.", id=entry.id), "success")
        return redirect(url_for(".details_view", id=entry.contact_id))

    def get_save_return_url(self, model, is_created: bool) -> str:
        return self.get_url(".edit_view", id=model.id)

    def delete_model(self, model) -> bool:
        """Soft delete: the contact leaves the lists but keeps its number and history."""
        model.deleted_at = utcnow()
        model.deleted_by_id = current_user.id
        changes = {"deleted_at": {"old": None, "new": model.deleted_at.isoformat()}}
        if model.socket_id is not None:
            # A deleted contact holds no socket: it is free for the next client.
            changes["socket_id"] = {"old": model.socket_id, "new": None}
            reassign_socket(model, None, current_user)
        record_change(model, "delete", changes, current_user)
        db.session.commit()
        return True

    # Endpoints

    @expose("/duplicates/")
    def duplicates(self):
        """Contacts sharing a typed ID number, company ID, e-mail or mobile (the live warning)."""
        field = request.args.get("field", "")
        value = request.args.get("value", "").strip()
        exclude_id = request.args.get("id", type=int)
        if field not in DUPLICATE_CHECKED_FIELDS or not value or len(value) > 500:
            return jsonify([])
        try:
            value = normalise_for_duplicate_check(field, value, request.args.get("country", "CZ"))
        except ValueError:
            return jsonify([])
        return jsonify([{"id": c.id, "client_number": c.client_number, "name": c.name,
                         "url": url_for(".edit_view", id=c.id)}
                        for c in contacts_sharing(field, value, exclude_id)])


# Select fields fed by code lists: field name -> (model, endpoint of its admin view).
CODE_LIST_FIELDS = {
    "client_group": (ClientGroup, "client_group"),
    "client_status": (ClientStatus, "client_status"),
    "location": (Location, "location"),
    "payment_type": (PaymentType, "payment_type"),
    "invoice_group": (InvoiceGroup, None),
}


def prepare_code_list_fields(form, obj: Contact | None) -> None:
    """Offer only entries that are not hidden (plus the contact's own), in the lists' order.

    Administrators also get the "+" that creates an entry on the spot; the status select
    carries each status's colour for the swatch beside it.
    """
    for name, (model, endpoint) in CODE_LIST_FIELDS.items():
        field = form[name]
        current_id = getattr(obj, f"{name}_id", None)
        order = (model.position, model.name) if hasattr(model, "position") else (model.name,)
        field.query = db.session.scalars(db.select(model).where(
            db.or_(model.hidden.is_(False), model.id == current_id)).order_by(*order)).all()
        attributes = {}
        if endpoint and current_user.is_admin:
            attributes["data-quick-create"] = url_for(f"{endpoint}.quick_create")
        if name == "client_status":
            attributes["data-colours"] = json.dumps({str(s.id): s.colour for s in field.query
                                                     if s.colour and COLOUR.fullmatch(s.colour)})
        field.render_kw = attributes


class BulkChangeForm(FlaskForm):
    value = SelectField(lazy_gettext("Change to"), validators=[InputRequired()])


def bulk_value_choices() -> dict[str, list[tuple[str, str]]]:
    """The new values a bulk change offers, grouped by field: value "<field>:<id>"."""
    groups = {}
    for label, field, model in ((gettext("Group"), "client_group_id", ClientGroup),
                                (gettext("Status"), "client_status_id", ClientStatus),
                                (gettext("Payment type"), "payment_type_id", PaymentType),
                                (gettext("Invoice group"), "invoice_group_id", InvoiceGroup)):
        rows = db.session.scalars(sa.select(model).where(model.hidden.is_(False)).order_by(model.name))
        groups[label] = [(f"{field}:{row.id}", f"{label}: {row.name}") for row in rows]
    groups[gettext("Mark")] = [("is_marked:1", gettext("Mark")), ("is_marked:0", gettext("Unmark"))]
    return groups


def parse_bulk_choice(choice: str) -> tuple[str, int | bool]:
    field, _, raw = choice.partition(":")
    return field, (raw == "1") if field == "is_marked" else int(raw)


def normalise_for_duplicate_check(field: str, value: str, country: str) -> str:
    """The form's stored form of a typed value, so the live check matches what saving would."""
    if field == "company_id":
        return parse_company_id(value)
    if field == "email":
        return parse_email_list(value)
    if field == "mobile":
        return parse_phone(value, country[:2])
    return value


def client_number_clash_message(other: Contact) -> str:
    state = gettext(" (deleted)") if other.is_deleted else ""
    return gettext("Client number %(number)s belongs to %(name)s%(state)s. The next free number is %(next)s.",
                   number=other.client_number, name=other.name, state=state,
                   next=next_client_number(after=other.client_number))


class ContactPersonView(BaseModelView):
    column_list = ("contact", "name", "role", "email", "phone")
    column_default_sort = [("name", False), ("id", False)]
    column_searchable_list = ("name",)
    form_columns = ("contact", "name", "role", "email", "phone")
    form_args = {"name": {"validators": [InputRequired()]},
                 "email": {"validators": [Optional(), wtforms_validator(parse_email_list)]}}
    form_ajax_refs = {"contact": contact_lookup("contact")}

    def get_query(self):
        return super().get_query().options(joinedload(ContactPerson.contact))


class NoteView(BaseModelView):
    """Staff-only notes; the author and time are set by the server."""

    column_list = ("contact", "created_at", "author", "text")
    column_default_sort = [("created_at", True), ("id", True)]
    form_columns = ("contact", "text")
    form_args = {"text": {"validators": [InputRequired()]}}
    form_overrides = {"text": TextAreaField}
    form_ajax_refs = {"contact": contact_lookup("contact")}

    def get_query(self):
        return super().get_query().options(joinedload(Note.contact), joinedload(Note.author))

    def on_model_change(self, form, model, is_created):
        if is_created:
            model.author_id = current_user.id
            model.created_at = utcnow()


class ChangeLogView(BaseModelView):
    """The audit trail of contacts: read by staff, changed by nobody."""

    write_role = None
    column_list = ("created_at", "contact", "user", "actor", "action", "changes")
    column_default_sort = [("created_at", True), ("id", True)]
    column_filters = ("action", "actor")

    def get_query(self):
        return super().get_query().options(joinedload(ChangeLog.contact), joinedload(ChangeLog.user))


class DeletedContactView(BaseModelView):
    """Soft-deleted contacts: staff restore them, an administrator purges them for good."""

    can_create = can_edit = can_delete = False
    column_list = ("client_number", "name", "city", "street", "deleted_at")
    column_labels = {"client_number": lazy_gettext("Client number"), "deleted_at": lazy_gettext("Deleted")}
    column_default_sort = [("deleted_at", True), ("id", True)]
    column_searchable_list = ("search_text",)
    column_details_exclude_list = ("search_text", "portal_password_hash", "version")

    def get_query(self):
        return super().get_query().filter(Contact.deleted_at.is_not(None))

    def get_count_query(self):
        return super().get_count_query().filter(Contact.deleted_at.is_not(None))

    def get_one(self, id):
        contact = super().get_one(id)
        if not contact.is_deleted:
            abort(404)
        return contact

    def _apply_search(self, query, count_query, joins, count_joins, search):
        condition = search_condition(search, db.engine.dialect.name)
        return query.filter(condition), count_query.filter(condition), joins, count_joins

    def is_action_allowed(self, name: str) -> bool:
        if name == "purge":
            return current_user.is_admin
        return super().is_action_allowed(name)

    def _selected(self, ids) -> list[Contact]:
        return db.session.scalars(sa.select(Contact).where(
            Contact.id.in_([int(i) for i in ids if str(i).isdigit()]), Contact.deleted_at.is_not(None))).all()

    @action("restore", lazy_gettext("Restore"), lazy_gettext("Put the selected contacts back in the register?"))
    def action_restore(self, ids):
        contacts = self._selected(ids)
        for contact in contacts:
            record_change(contact, "restore", {"deleted_at": {"old": contact.deleted_at.isoformat(), "new": None}},
                          current_user)
            contact.deleted_at = contact.deleted_by_id = None
        db.session.commit()
        flash(ngettext("%(num)d contact restored (without its former CATV socket).",
                       "%(num)d contacts restored (without their former CATV sockets).", len(contacts)), "success")

    @action("purge", lazy_gettext("Purge for good"),
            lazy_gettext("Delete the selected contacts and their history for good? This cannot be undone."))
    def action_purge(self, ids):
        if not current_user.is_admin:
            abort(403)
        contacts = self._selected(ids)
        refused = purge_refusals(contacts)
        if refused:
            flash(gettext("Nothing was purged. %(reasons)s", reasons=" ".join(refused)), "error")
            return
        for contact in contacts:
            db.session.delete(contact)
        db.session.commit()
        flash(ngettext("%(num)d contact purged.", "%(num)d contacts purged.", len(contacts)), "success")


def purge_refusals(contacts: list[Contact]) -> list[str]:
    """Why each of these contacts must be kept: it has services or a CATV socket history."""
    ids = [c.id for c in contacts]
    with_services = set(db.session.scalars(sa.select(Service.contact_id).where(Service.contact_id.in_(ids))))
    with_sockets = set(db.session.scalars(sa.select(SocketAssignment.contact_id)
                                          .where(SocketAssignment.contact_id.in_(ids))))
    reasons = []
    for contact in contacts:
        if contact.id in with_services:
            reasons.append(gettext("%(name)s has services.", name=contact.name))
        elif contact.id in with_sockets:
            reasons.append(gettext("%(name)s has a CATV socket history.", name=contact.name))
    return reasons


def register(admin) -> None:
    admin.add_view(ContactView(Contact, db, name=lazy_gettext("Contacts"), category=CATEGORY,
                               endpoint="contact"))
    admin.add_view(ContactPersonView(ContactPerson, db, name=lazy_gettext("Contact persons"),
                                     category=CATEGORY, endpoint="contact_person"))
    admin.add_view(NoteView(Note, db, name=lazy_gettext("Notes"), category=CATEGORY, endpoint="note"))
    admin.add_view(ChangeLogView(ChangeLog, db, name=lazy_gettext("History"), category=CATEGORY,
                                 endpoint="change_log"))
    admin.add_view(DeletedContactView(Contact, db, name=lazy_gettext("Deleted contacts"), category=CATEGORY,
                                      endpoint="deleted_contact"))

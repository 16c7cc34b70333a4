"""The register of contacts: its list, form and client card; deleting only hides a contact."""

from __future__ import annotations

from functools import partial
from urllib.parse import quote, urlencode

import sqlalchemy as sa
from flask import abort, flash, jsonify, redirect, request, url_for
from flask_admin import expose
from flask_admin.babel import gettext as admin_gettext
from flask_admin.helpers import get_redirect_target
from flask_babel import gettext, lazy_gettext, ngettext
from flask_login import current_user
from markupsafe import Markup
from wtforms import HiddenField
from wtforms.validators import ValidationError

from admin_views.base import BaseModelView, drop_flashed, row_id
from admin_views.catv_lookups import SOCKET_PICKER_LOADERS, SOCKET_PICKER_WIDGET_ARGS, fill_socket_chain
from admin_views.contacts.bulk import BulkChangeMixin
from admin_views.contacts.card import ClientCardMixin
from admin_views.contacts.edit_merge import check_version, remember_opened
from admin_views.contacts.export import ExportMixin
from admin_views.contacts.filters import CONTACT_FILTERS, filter_url_name
from admin_views.contacts.form import (
    FORM_RULES,
    ContactPersonInline,
    NoteInline,
    add_errors,
    fill_new_contact_defaults,
    flush_or_explain,
    form_values,
    prepare_code_list_fields,
    valid_values,
)
from admin_views.contacts.form_fields import (
    FIELD_LABELS,
    FORM_ARGS,
    FORM_EXCLUDED_COLUMNS,
    FORM_EXTRA_FIELDS,
    FORM_OVERRIDES,
)
from admin_views.contacts.list_columns import COLUMNS_PREFERENCE, ColumnChoice, column_choices, shown_columns
from admin_views.contacts.list_query import ContactListQuery
from admin_views.contacts.list_rows import RowLinks
from domain.client_numbers import ClientNumbersExhausted, lock_numbering
from domain.contacts import apply_contact_rules, contact_rule_errors, soft_delete
from domain.duplicates import (
    DUPLICATE_CHECKED_FIELDS,
    acknowledge_duplicates,
    acknowledged_others,
    contacts_sharing,
    normalise_for_duplicate_check,
    unacknowledged_duplicates,
)
from domain.history import pending_changes, pending_row_changes, record_change, row_changes
from domain.preferences import preference, remember_preference
from domain.settings import get_settings
from domain.sockets import reassign_socket
from domain.uniqueness import sets_new_symbol, uniqueness_errors
from models import Contact, ContactPerson, Note, db, utcnow
from storage.search_index import normalise_search_text, search_condition


def search_too_short(search: str) -> bool:
    """Whether a search has fewer letters and digits than the settings ask for (it then finds nothing)."""
    return len(normalise_search_text(search).replace(" ", "")) < get_settings().min_search_length


class ContactView(ClientCardMixin, ExportMixin, BulkChangeMixin, BaseModelView):
    """The register of contacts; deleting only hides a contact (soft delete)."""

    # List: its rows come from ContactListQuery, its cells from list_rows.
    list_template = "admin/contact_list.html"
    column_list = (
        "client_number",
        "name",
        "company_name",
        "city",
        "street",
        "phone",
        "email",
        "client_group",
        "client_status",
        "invoice_group",
        "is_client",
    )
    # The contact's own columns sort by themselves, the code lists by their names.
    column_sortable_list = (
        *column_list[:7],
        ("client_group", "client_group.name"),
        ("client_status", "client_status.name"),
        ("invoice_group", "invoice_group.name"),
        "is_client",
    )
    column_default_sort = [("name", False), ("id", False)]
    # The card and the list name each field as the form does; the list's own short names win.
    column_labels = FIELD_LABELS | {
        "client_number": lazy_gettext("Client number"),
        "company_name": lazy_gettext("Company"),
        "client_group": lazy_gettext("Group"),
        "client_status": lazy_gettext("Status"),
        "invoice_group": lazy_gettext("Invoice group"),
        "is_client": lazy_gettext("Contact/client"),
        "email": lazy_gettext("E-mail"),
    }
    column_filters = CONTACT_FILTERS
    named_filter_urls = True
    # The search box runs search_condition over the normalised, indexed search text.
    column_searchable_list = ("search_text",)

    # Form
    create_template = "admin/rules_create.html"
    edit_template = "admin/rules_edit.html"
    form_create_rules = form_edit_rules = FORM_RULES
    form_excluded_columns = FORM_EXCLUDED_COLUMNS
    # The values the edit form was opened with: the base of the merge after an edit conflict.
    form_extra_fields = FORM_EXTRA_FIELDS | {"opened_values": HiddenField()}
    form_overrides = FORM_OVERRIDES
    form_args = FORM_ARGS
    # Every lookup of the socket picker; ajax_lookup finds them by ?name=.
    form_ajax_refs = dict(SOCKET_PICKER_LOADERS)
    form_widget_args = {name: dict(args) for name, args in SOCKET_PICKER_WIDGET_ARGS.items()}
    inline_models = (ContactPersonInline(ContactPerson), NoteInline(Note))
    extra_js = ["/static/admin/contact_form.js", "/static/admin/socket_picker.js"]
    save_returns_to_form = True  # so the form's bar needs no "Save and Continue Editing"

    def get_filter_arg(self, index: int, flt) -> str:
        return filter_url_name(flt)

    def __init__(self, *args, **kwargs):
        self.list_query = ContactListQuery(self)
        self._list_paths: dict[str, str] = {}
        super().__init__(*args, **kwargs)

    # The list

    @expose("/")
    def index_view(self):
        self.list_query.refresh_filters()
        return super().index_view()

    def get_list(self, page, sort_column, sort_desc, search, filters, execute=True, page_size=None):
        sort_column = self.shown_sort(sort_column)
        if not execute:
            return None, self.list_query.ordered_ids(sort_column, sort_desc, search, filters)
        page_size = self.page_size if page_size is None else page_size
        return self.list_query.page(page or 0, page_size, sort_column, sort_desc, search, filters)

    def current_list_ids(self, ordered: bool):
        """A query of the ids the list shows for this request's search and filters (all pages)."""
        args = self._get_list_extra_args()
        if not ordered:
            return self.list_query.matching_ids(args.search, args.filters)
        sort = self._get_column_by_idx(args.sort)
        sort_column = self.shown_sort(sort[0] if sort else None)
        return self.list_query.ordered_ids(sort_column, args.sort_desc, args.search, args.filters)

    def shown_columns(self) -> list[str]:
        """The list's columns this clerk chose to see (list_columns.py), in the list's order."""
        return shown_columns([name for name, _ in self._list_columns], preference(current_user, COLUMNS_PREFERENCE))

    def column_chooser(self) -> list[ColumnChoice]:
        """The "Columns" menu's lines (not `column_choices`: Flask-Admin's own attribute)."""
        return column_choices(self._list_columns, self.shown_columns())

    def shown_sort(self, sort_column: str | None) -> str | None:
        """The sort, unless by a column the clerk hid: the list would be in an order it does not show."""
        return sort_column if sort_column in self.shown_columns() else None

    @expose("/columns/", methods=["POST"])
    def choose_columns(self):
        """The "Columns" chooser without JavaScript: remember the choice and show the list again
        (static/admin/contact_list.js posts to /admin/preferences/contact_list_columns instead)."""
        try:
            remember_preference(current_user._get_current_object(), COLUMNS_PREFERENCE, request.form.getlist("item"))
        except ValueError:
            abort(400)
        db.session.commit()
        return redirect(get_redirect_target() or self.get_url(".index_view"))

    def get_query(self):
        return super().get_query().filter(Contact.deleted_at.is_(None))

    def get_count_query(self):
        return super().get_count_query().filter(Contact.deleted_at.is_(None))

    def search_placeholder(self) -> str:
        return gettext("Name, number, address, phone, e-mail, IDs, notes…")

    def _apply_search(self, query, count_query, joins, count_joins, search):
        if search_too_short(search):
            return query.filter(sa.false()), count_query.filter(sa.false()), joins, count_joins
        condition = search_condition(search, db.engine.dialect.name)
        return query.filter(condition), count_query.filter(condition), joins, count_joins

    @property
    def search_message(self) -> str | None:
        """Why a search found nothing without looking: it is shorter than the settings allow."""
        search = request.args.get("search")
        if not search or not search_too_short(search):
            return None
        return ngettext(
            "Type at least %(num)d character to search.",
            "Type at least %(num)d characters to search.",
            get_settings().min_search_length,
        )

    def _get_filter_groups(self):
        return self.list_query.filter_groups(super()._get_filter_groups)

    def row_links(self, return_url: str, with_checkbox: bool) -> RowLinks:
        """What the list page's rows share (list_rows.ListRow.html)."""
        return RowLinks(
            details=self.get_url(".details_view"),
            edit=self.get_url(".edit_view") if self.can_edit else None,
            back=quote(return_url, safe="/"),
            select_title=admin_gettext("Select record") if with_checkbox else None,
            card_title=gettext("Client card"),
            edit_title=admin_gettext("Edit Record"),
        )

    def _get_list_url(self, view_args) -> str:
        """Flask-Admin's list URL (page, order, search, page size, filters), from the list's path:
        a page builds some 25 of them (sorting, paging, page sizes) and url_for costs."""
        args = {
            "page": view_args.page or None,
            "sort": view_args.sort,
            "desc": 1 if view_args.sort_desc else None,
            "search": view_args.search,
            **view_args.extra_args,
            "page_size": self.get_safe_page_size(view_args.page_size),
            **self._get_filters(view_args.filters),
        }
        path = self._list_paths.get(request.script_root)
        if path is None:
            path = self._list_paths[request.script_root] = self.get_url(".index_view")
        query = urlencode([(name, value) for name, value in args.items() if value is not None])
        return f"{path}?{query}" if query else path

    # The form

    def create_form(self, obj=None):
        form = super().create_form(obj)
        if get_settings().client_number_mode == "automatic":
            del form.client_number
        if request.method == "GET":
            fill_new_contact_defaults(form, current_user)
        prepare_code_list_fields(form, None)
        form.duplicate_warnings = []
        return form

    def edit_form(self, obj=None):
        form = super().edit_form(obj)
        if request.method == "GET":
            form.client_number.data = obj.client_number
            remember_opened(form, obj)
        if get_settings().client_number_mode == "automatic":
            form.client_number.render_kw = {"readonly": True}
        prepare_code_list_fields(form, obj)
        form.duplicate_warnings = []
        return form

    def on_form_prefill(self, form, id):
        fill_socket_chain(form)

    def render(self, template, **kwargs):
        form = kwargs.get("form")
        if request.method == "POST" and form is not None and (form.errors or getattr(form, "duplicate_warnings", None)):
            # The form's summary says what to fix; Flask-Admin's "Failed to create record." above it
            # would only repeat, vaguely, that nothing was saved.
            drop_flashed(admin_gettext("Failed to create record."), admin_gettext("Failed to save record."))
        return super().render(template, **kwargs)

    def validate_form(self, form) -> bool:
        valid = super().validate_form(form)
        if request.method != "POST" or not hasattr(form, "street"):
            return valid  # a page load, or the delete and action forms
        contact = form._obj
        if contact is not None and "client_number" in form and get_settings().client_number_mode == "automatic":
            form.client_number.data = contact.client_number  # read-only: the typed value does not count
        stored_form = partial(self._edit_form_class, None, obj=contact)
        stale = contact is not None and not check_version(form, contact, stored_form)
        fill_socket_chain(form)  # a re-rendered form shows the chain of its socket
        if stale:
            return False
        values = form_values(form)
        obj_id = contact.id if contact is not None else None
        if sets_new_symbol(values, contact):
            lock_numbering()  # the check below and this save take turns with other clerks' saves
        errors = contact_rule_errors(values) | uniqueness_errors(values, obj_id)
        add_errors(form, errors)
        # The warnings come with the errors, so that one save shows everything to fix or confirm.
        form.duplicate_warnings = unacknowledged_duplicates(valid_values(form, values), obj_id)
        return valid and not errors and (not form.duplicate_warnings or form.save_anyway.data)

    def on_model_change(self, form, model, is_created):
        # No autoflush: a flush before record_change would empty the change history it reads.
        with db.session.no_autoflush:
            try:
                form.new_portal_password = apply_contact_rules(
                    model, is_created, form.generate_password.data, current_user
                )
            except ClientNumbersExhausted:
                raise ValidationError(
                    gettext(
                        "Automatic numbering has no free client number of at most 10 "
                        "digits left; switch to manual numbering in the settings."
                    )
                ) from None
            changes = pending_changes(model)
            rows = pending_row_changes(model)
            if rows:
                model.updated_at = utcnow()  # a new version: a form open on this contact notices
            if "socket_id" in changes:
                reassign_socket(model, model.socket, current_user)
        flush_or_explain(form)
        if form.save_anyway.data:  # the warnings the clerk confirmed are not asked about again
            acknowledge_duplicates(model.id, form.duplicate_warnings, current_user)
        # After the flush: new persons and notes have their ids for the history.
        record_change(model, "create" if is_created else "update", changes | row_changes(rows), current_user)

    def after_model_change(self, form, model, is_created):
        password = getattr(form, "new_portal_password", None)
        if password:
            flash(
                Markup(
                    gettext(
                        'Portal password for %(login)s: <code id="new-portal-password">%(password)s'
                        "</code> — give it to the client now; it is not shown again.",
                        login=Markup.escape(model.portal_login),
                        password=Markup.escape(password),
                    )
                ),
                "warning",
            )

    def get_save_return_url(self, model, is_created: bool) -> str:
        return self.get_url(".edit_view", id=model.id)

    def delete_model(self, model) -> bool:
        """Soft delete: the contact leaves the lists but keeps its number and history."""
        ended = soft_delete(model, current_user)
        db.session.commit()
        if ended:
            flash(
                ngettext(
                    "%(num)d service of %(contact)s was ended.",
                    "%(num)d services of %(contact)s were ended.",
                    ended,
                    contact=model,
                ),
                "info",
            )
        return True

    @expose("/duplicates/")
    def duplicates(self):
        """Contacts sharing a typed ID number, company ID, e-mail or mobile (the live warning), but
        those a clerk said differ from the edited contact."""
        field = request.args.get("field", "")
        value = request.args.get("value", "").strip()
        if field not in DUPLICATE_CHECKED_FIELDS or not value or len(value) > 500:
            return jsonify([])
        try:
            value = normalise_for_duplicate_check(field, value, request.args.get("country", "CZ"))
        except ValueError:
            return jsonify([])
        contact_id = row_id(request.args.get("id"))
        return jsonify(
            [
                {"id": c.id, "client_number": c.client_number, "name": c.name, "url": url_for(".edit_view", id=c.id)}
                for c in contacts_sharing(field, value, contact_id, skip=acknowledged_others(contact_id).get(field, ()))
            ]
        )

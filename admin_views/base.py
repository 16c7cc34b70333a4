"""What every admin view shares: access rules, the base model view, usage counts, form clean-up."""

from __future__ import annotations

import re

import sqlalchemy as sa
from flask import abort, current_app, flash, g, redirect, request, session, url_for
from flask_admin._compat import as_unicode
from flask_admin.actions import action
from flask_admin.contrib.sqla import ModelView
from flask_admin.contrib.sqla.ajax import QueryAjaxModelLoader
from flask_admin.contrib.sqla.filters import FilterEqual
from flask_admin.helpers import get_form_data
from flask_admin.model.filters import BaseIntFilter, BaseIntListFilter
from flask_babel import get_locale, gettext, lazy_gettext
from flask_babel.speaklater import LazyString
from flask_login import current_user, user_logged_in, user_logged_out
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import MultiDict

from admin_views import formatters
from admin_views.fields import CheckedConverter, InlineRowsConverter, integer_range
from admin_views.forms import CheckedBaseForm
from admin_views.labels import COLUMN_LABELS
from models import MAX_ROW_ID, User, db

# The largest list page anyone can reach (OFFSET stays far inside 64 bits).
MAX_PAGE = 10_000_000
# Query arguments a list page cannot take: Flask-Admin hands the list's arguments on to url_for
# (and its templates to get_url) as keywords, where these names are taken (`endpoint`, `self`,
# `_method`, ...) or set by the call itself (`export_type`; `all` and `url` in contact_list.html).
RESERVED_LIST_ARGS = frozenset({"endpoint", "self", "export_type", "url", "all"})


def row_id(value) -> int | None:
    """`value` as a row id, or None when it cannot be one (not plain digits, zero, beyond the integer column).
    str.isdigit() is not enough: "²" and "١" pass it."""
    text = str(value).strip() if isinstance(value, (str, int)) else ""
    if not (text.isascii() and text.isdigit() and len(text) <= len(str(MAX_ROW_ID))):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ROW_ID else None


def row_ids(values) -> list[int]:
    """The values that can be row ids, as numbers (the rest are dropped)."""
    return [number for number in map(row_id, values) if number is not None]


class BoundedLoader(QueryAjaxModelLoader):
    """An ajax lookup at most ten rows a request from a sane offset; an id no row can have finds nothing."""

    def get_one(self, pk):
        pk = row_id(pk)
        return None if pk is None else super().get_one(pk)

    def get_list(self, term, offset=0, limit=10):
        return super().get_list(term or "", min(max(offset or 0, 0), MAX_PAGE), max(1, min(limit or 10, 10)))


# Endpoints of a model view that change data; everything else only reads.
WRITE_ENDPOINTS = frozenset(
    {"create_view", "edit_view", "delete_view", "action_view", "ajax_update", "quick_create", "revert", "bulk_view"}
)
# The flag that switches each endpoint off; a switched-off endpoint answers 403, not a redirect.
ENDPOINT_FLAGS = {
    "create_view": "can_create",
    "edit_view": "can_edit",
    "delete_view": "can_delete",
    "details_view": "can_view_details",
    "export": "can_export",
}


def has_role(role: str | None) -> bool:
    """Whether the logged-in staff user may act as `role` ("staff" includes administrators)."""
    return role in staff_roles()


def staff_roles() -> frozenset[str]:
    """The logged-in staff user's roles, worked out once per request (the menu asks for every view)."""
    roles = g.get("staff_roles")
    if roles is None:
        g.staff_roles = roles = _staff_roles()
    return roles


def _staff_roles() -> frozenset[str]:
    user = current_user._get_current_object()
    if not isinstance(user, User) or not user.is_authenticated:
        return frozenset()
    return frozenset({"staff", "admin"}) if user.is_admin else frozenset({"staff"})


@user_logged_in.connect
@user_logged_out.connect
def _forget_staff_roles(sender, **kwargs) -> None:
    g.pop("staff_roles", None)


class ProtectedView:
    """Access rules for every admin view: who may open it and who may change through it.

    Anonymous users go to the login page; a logged-in user without the right gets 403.
    """

    read_role = "staff"
    # None: nobody changes data through this view (an audit log).
    write_role: str | None = "staff"

    def is_accessible(self) -> bool:
        return has_role(self.read_role)

    def inaccessible_callback(self, name, **kwargs):
        if current_user.is_authenticated:
            abort(403)
        target = request.full_path if request.query_string else request.path
        return redirect(url_for("auth.login", next=target))

    def may_write(self) -> bool:
        return has_role(self.write_role)

    def get_url(self, endpoint: str, **kwargs) -> str:
        # A page links some twenty static files: their URLs are worked out once, not per page.
        if not endpoint.endswith(".static"):
            return super().get_url(endpoint, **kwargs)
        urls = current_app.extensions.setdefault("ispdesk_static_urls", {})
        key = (request.script_root, endpoint, tuple(sorted(kwargs.items())))
        if key not in urls:
            urls[key] = super().get_url(endpoint, **kwargs)
        return urls[key]

    def menu_html(self, render_menu) -> Markup:
        """The main menu, rendered once per role, open view and language: it is the same for each.
        Rendering its two dozen entries (access checks, URLs, labels) was a tenth of a list page."""
        menus = current_app.extensions.setdefault("ispdesk_menus", {})
        key = (staff_roles(), self.endpoint, str(get_locale()))
        if key not in menus:
            menus[key] = render_menu()
        return menus[key]

    def _handle_view(self, name, **kwargs):
        response = super()._handle_view(name, **kwargs)
        if response is None and name in WRITE_ENDPOINTS and not self.may_write():
            abort(403)
        return response


class BaseModelView(ProtectedView, ModelView):
    """A model view with our access rules, paging, 404s and friendly constraint errors."""

    column_labels = COLUMN_LABELS
    page_size = 50
    can_set_page_size = True
    page_size_options = (25, 50, 100, 200)
    can_view_details = True
    can_export = True
    export_types = ["csv"]
    # Inline rows (contact persons, notes) that drop a new row ticked for deletion.
    inline_model_form_converter = InlineRowsConverter
    # Every form refuses what it would store changed (admin_views/forms.py); numbers are read
    # strictly, within their column's range, decimals with a comma or a point (admin_views/fields.py).
    form_base_class = CheckedBaseForm
    model_form_converter = CheckedConverter
    # Values written as the user's locale does (dates, times, numbers, money, yes/no).
    column_type_formatters = formatters.LIST_FORMATTERS
    column_type_formatters_detail = formatters.DETAIL_FORMATTERS
    column_type_formatters_export = formatters.EXPORT_FORMATTERS
    # Loader options for get_one: what the record's pages (card, form) show, read with it.
    one_options: tuple = ()

    @property
    def can_create(self) -> bool:
        return self.may_write()

    @property
    def can_edit(self) -> bool:
        return self.may_write()

    @property
    def can_delete(self) -> bool:
        return self.may_write()

    def _handle_view(self, name, **kwargs):
        response = super()._handle_view(name, **kwargs)
        if response is None and not getattr(self, ENDPOINT_FLAGS.get(name, ""), True):
            abort(403)
        if response is None and name in ("index_view", "export") and any(map(is_reserved_list_arg, request.args)):
            abort(400)
        return response

    def init_actions(self):
        # Every action gets only the ticked row ids that can be ids ("rowid" is whatever was posted),
        # as the strings Flask-Admin passes.
        super().init_actions()
        for name, (handler, text, confirmation) in list(self._actions_data.items()):
            self._actions_data[name] = (_with_row_ids(handler), text, confirmation)

    def scaffold_form(self):
        form_class = super().scaffold_form()
        form_class.input_model = self.model  # text fields are bounded by the model's columns
        return form_class

    def create_form(self, obj=None):
        return self._create_form_class(clean_form_data(), obj=obj)

    def edit_form(self, obj=None):
        return self._edit_form_class(clean_form_data(), obj=obj)

    def search_placeholder(self) -> str | None:
        # Flask-Admin's names the searched attributes ("street.name"); ours says their labels, a
        # related row's name by its relation's ("street.name": "Street").
        if not self.column_searchable_list:
            return None
        names = [str(name).split(".")[-2:] for name in self.column_searchable_list]
        return ", ".join(dict.fromkeys(str(self.get_column_name(parts[0])) for parts in names))

    def _get_list_extra_args(self):
        # A page number from a tampered URL would make an OFFSET the database refuses (negative)
        # or cannot hold: past MAX_PAGE there is nothing to show anyway.
        args = super()._get_list_extra_args()
        return args.clone(page=min(max(args.page or 0, 0), MAX_PAGE))

    def scaffold_sortable_columns(self):
        # PostgreSQL has no ordering for JSON (the history's "Changes"): such a column is not
        # offered for sorting, and a sort index naming it in a crafted URL is ignored.
        columns = super().scaffold_sortable_columns()
        return {name: column for name, column in columns.items() if not isinstance(column.type, sa.JSON)}

    def _get_list_filter_args(self):
        # A whole number no column can hold is refused like any other invalid filter value,
        # rather than reaching the database.
        filters = super()._get_list_filter_args()
        if filters is None:
            return None
        kept = []
        for index, name, value in filters:
            flt = self._filters[index]
            numbers = flt.clean(value) if isinstance(flt, (BaseIntFilter, BaseIntListFilter)) else []
            if not all(
                abs(number) <= integer_range(flt.column)[1]
                for number in (numbers if isinstance(numbers, list) else [numbers])
            ):
                flash(self.get_invalid_value_msg(value, flt), "error")
            else:
                kept.append((index, name, value))
        return kept

    def get_one(self, id):
        """The record with this id; a missing id, or one no row can have, is a 404."""
        pk = row_id(id)
        model = None if pk is None else db.session.get(self.model, pk, options=self.one_options)
        if model is None:
            abort(404)
        return model

    # Re-declared: Flask-Admin finds actions by the decorator, which an override would lose.
    @action("delete", lazy_gettext("Delete"), lazy_gettext("Are you sure you want to delete selected records?"))
    def action_delete(self, ids):
        # Row ids arrive as strings; PostgreSQL will not compare them with integer keys.
        return super().action_delete(row_ids(ids))

    def get_export_value(self, model, name):
        # Every standard list export (CSV or other) takes each cell from here.
        return formatters.safe_cell(as_unicode(super().get_export_value(model, name)))

    def rule_errors(self, form) -> dict[str, str]:
        """The domain rules the submitted record breaks, as {field: message}; a view names its rules here."""
        return {}

    def validate_form(self, form) -> bool:
        valid = super().validate_form(form)
        if request.method == "POST" and request.endpoint.endswith((".create_view", ".edit_view")):
            if valid:
                valid = check_unique_constraints(form, self.model)
            valid = add_field_errors(form, self.rule_errors(form)) and valid
        # Flask-Admin shows a field's errors only when they are str; lazy_gettext messages are not.
        for field in form:
            if isinstance(field.errors, list):
                field.errors = [str(e) if isinstance(e, LazyString) else e for e in field.errors]
        return valid

    def handle_view_exception(self, exc: Exception) -> bool:
        if isinstance(exc, IntegrityError):
            db.session.rollback()
            if request.endpoint and request.endpoint.endswith((".delete_view", ".action_view")):
                flash(gettext("This record is still used elsewhere and cannot be deleted."), "error")
            else:
                flash(gettext("The record conflicts with existing data; nothing was saved."), "error")
            return True
        return super().handle_view_exception(exc)


def drop_flashed(*messages: str) -> None:
    """Take back messages flashed earlier in this request (they wait in the session until a page shows them)."""
    flashed = session.get("_flashes")
    if flashed:
        session["_flashes"] = [(category, message) for category, message in flashed if message not in messages]


def is_reserved_list_arg(name: str) -> bool:
    return name in RESERVED_LIST_ARGS or name.startswith("_")


def _with_row_ids(handler):
    def handle(ids):
        return handler([str(number) for number in row_ids(ids)])

    return handle


# Inline rows are numbered "persons-0-name"; WTForms trusts str.isdigit(), which "²" passes too.
_FIELD_KEY = re.compile(r"[A-Za-z0-9_\-]+")


def clean_form_data():
    """The posted form with each NUL character as U+FFFD, and without keys that are not plain
    field names; None when nothing was posted.

    PostgreSQL cannot even compare a text with NUL (a uniqueness check would fail), so it never
    reaches a query; as U+FFFD, the replacement a browser shows for it, the form refuses the field.
    """
    formdata = get_form_data()
    if formdata is None:
        return None
    cleaned = MultiDict()
    for key, value in formdata.items(multi=True):
        if not _FIELD_KEY.fullmatch(key):
            continue
        cleaned.add(key, value.replace("\x00", "\ufffd") if isinstance(value, str) else value)
    return cleaned


def add_field_errors(form, errors: dict[str, str]) -> bool:
    """Show each rule's message next to its field; True when there were none."""
    for name, message in errors.items():
        form[name].errors = list(form[name].errors) + [message]
    return not errors


def filtered_list_url(endpoint: str, column_key: str, value) -> str | None:
    """The list of view `endpoint` filtered to `column_key == value`, if that view has such a filter."""
    view = next((v for v in current_app.extensions["admin"][0]._views if v.endpoint == endpoint), None)
    for key, (_, flt) in ((view and view._filter_args) or {}).items():
        if getattr(flt.column, "key", None) == column_key and isinstance(flt, FilterEqual):
            return url_for(f"{endpoint}.index_view", **{f"flt1_{key}": value})
    return None


def check_unique_constraints(form, model_class) -> bool:
    """Put a field error on the form for each unique constraint the submitted values would break.

    Single-column unique columns are already checked by Flask-Admin's `Unique` validator; this
    covers constraints over several columns (a street's name within its city, ...).
    """
    valid = True
    obj = getattr(form, "_obj", None)
    for constraint in model_class.__table__.constraints:
        columns = list(getattr(constraint, "columns", []))
        if constraint.__class__.__name__ != "UniqueConstraint" or len(columns) < 2:
            continue
        values = {}
        for column in columns:
            key = column.key
            relation = key[:-3] if key.endswith("_id") else None
            if key in form:
                values[key] = form[key].data
            elif relation and relation in form:
                related = form[relation].data
                values[key] = getattr(related, "id", None)
            else:
                values[key] = getattr(obj, key, None)
        if any(v is None for v in values.values()):
            continue
        query = select(model_class.id).filter_by(**values)
        if obj is not None and obj.id is not None:
            query = query.where(model_class.id != obj.id)
        if db.session.scalar(query.limit(1)) is not None:
            last = columns[-1].key
            field = form[last] if last in form else form[last[:-3]]
            field.errors = list(field.errors) + [gettext("A record with this value already exists here.")]
            valid = False
    return valid

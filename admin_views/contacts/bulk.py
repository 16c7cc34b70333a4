"""Bulk changes of the contacts list: on the ticked rows, or on every contact the list shows."""

from __future__ import annotations

import sqlalchemy as sa
from flask import flash, redirect, request, url_for
from flask_admin import expose
from flask_admin.actions import action
from flask_admin.helpers import get_redirect_target
from flask_babel import gettext, lazy_gettext, ngettext
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import InputRequired, Length, Optional, Regexp

from admin_views.base import add_field_errors, row_ids
from admin_views.forms import CheckedForm
from domain.bulk import CLEARABLE_FIELDS, bulk_change_errors, bulk_update_contacts
from models import ClientGroup, ClientStatus, Contact, InvoiceGroup, Location, PaymentType, db


class BulkChangeForm(CheckedForm, FlaskForm):
    value = SelectField(
        lazy_gettext("Change to"), validators=[InputRequired(message=lazy_gettext("Choose what to change."))]
    )
    bulk_payment_number = StringField(
        lazy_gettext("Bulk payment number"),
        filters=[lambda value: value.strip() if value else value],
        validators=[
            Optional(),
            Length(max=20),
            Regexp(r"[^\x00-\x1f\x7f]*\Z", message=lazy_gettext("Use letters, digits and punctuation only.")),
        ],
        description=lazy_gettext("Needed when the payment type becomes bulk payment."),
    )


# The choice that changes nothing (the select's first entry), and the value that empties a field.
UNCHANGED = ""
CLEAR = "none"


def bulk_value_choices() -> dict[str | None, list[tuple[str, str]]]:
    """The new values a bulk change offers, grouped by field: value "<field>:<id>", "<field>:none" empties it."""
    groups = {None: [(UNCHANGED, gettext("— Leave everything unchanged —"))]}
    for label, field, model in (
        (gettext("Group"), "client_group_id", ClientGroup),
        (gettext("Status"), "client_status_id", ClientStatus),
        (gettext("Location"), "location_id", Location),
        (gettext("Payment type"), "payment_type_id", PaymentType),
        (gettext("Invoice group"), "invoice_group_id", InvoiceGroup),
    ):
        rows = db.session.scalars(sa.select(model).where(model.hidden.is_(False)).order_by(model.name))
        groups[label] = [(f"{field}:{row.id}", f"{label}: {row.name}") for row in rows]
        if field in CLEARABLE_FIELDS:
            groups[label].append((f"{field}:{CLEAR}", gettext("%(field)s: clear (none)", field=label)))
    groups[gettext("Mark")] = [("is_marked:1", gettext("Mark")), ("is_marked:0", gettext("Unmark"))]
    return groups


def parse_bulk_choice(choice: str) -> tuple[str, int | bool | None]:
    field, _, raw = choice.partition(":")
    if field == "is_marked":
        return field, raw == "1"
    return field, None if raw == CLEAR else int(raw)


class BulkChangeMixin:
    """The contacts view's bulk change: the list's action, then a page that confirms and applies it."""

    @action("bulk_change", lazy_gettext("Change group, status, location, payment, invoice group or mark…"))
    def action_bulk_change(self, ids):
        return redirect(
            url_for(
                ".bulk_view",
                ids=",".join(i for i in ids if str(i).isdigit()),
                url=get_redirect_target() or url_for(".index_view"),
            )
        )

    @expose("/bulk/", methods=("GET", "POST"))
    def bulk_view(self):
        """Confirm and apply one bulk change; the page says how many contacts it will change."""
        ids = self._bulk_ids()
        form = BulkChangeForm()
        form.value.choices = bulk_value_choices()
        if form.validate_on_submit():
            field, value = parse_bulk_choice(form.value.data)
            number = form.bulk_payment_number.data
            if add_field_errors(form, bulk_change_errors(field, value, number)):
                changed = bulk_update_contacts(ids, field, value, current_user, number)
                db.session.commit()
                flash(ngettext("%(num)d contact changed.", "%(num)d contacts changed.", changed), "success")
                return redirect(get_redirect_target() or url_for(".index_view"))
        return self.render(
            "admin/contact_bulk.html",
            form=form,
            count=len(ids),
            return_url=get_redirect_target() or url_for(".index_view"),
        )

    def _bulk_ids(self) -> list[int]:
        """The selected contacts (?ids=1,2), or with ?all=1 every contact of the list's current filter."""
        if request.args.get("all"):
            return [contact_id for (contact_id,) in self.current_list_ids(ordered=False)]
        ids = row_ids((request.values.get("ids") or "").split(","))
        return list(db.session.scalars(sa.select(Contact.id).where(Contact.id.in_(ids), Contact.deleted_at.is_(None))))

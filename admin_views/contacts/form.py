"""The contact form: its sections, its inline contact persons and notes, and what fills its fields.

The rules the form applies are in `domain/` (contacts, uniqueness, duplicates); this module only
lays the fields out and fills them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from flask import url_for
from flask_admin.form import rules
from flask_admin.model.form import InlineFormAdmin
from flask_babel import gettext, lazy_gettext
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Optional, ValidationError

from admin_views.base import BoundedLoader, add_field_errors
from admin_views.catv_lookups import SOCKET_PICKER_FIELDS
from admin_views.code_lists import COLOUR
from domain.client_numbers import next_client_number
from domain.preferences import preference
from domain.settings import get_settings
from domain.uniqueness import EXTRA_VS_FIELDS, uniqueness_errors
from domain.validators import (
    parse_email_list,
    wtforms_validator,
)
from models import (
    ClientGroup,
    ClientStatus,
    Contact,
    InvoiceGroup,
    Location,
    PaymentType,
    User,
    db,
    utcnow,
)


class ContactLookup(BoundedLoader):
    """Ajax lookup of contacts that are not deleted, by name."""

    def get_query(self):
        return super().get_query().filter(Contact.deleted_at.is_(None))


def contact_lookup(name: str) -> ContactLookup:
    return ContactLookup(
        name,
        db,
        Contact,
        fields=["name"],
        order_by=Contact.name,
        minimum_input_length=2,
        placeholder=lazy_gettext("Type a name"),
    )


class OptionalField(rules.Field):
    """A field rule that renders nothing when the form lacks the field (client number in automatic mode)."""

    def __call__(self, form, form_opts=None, field_args=None):
        if getattr(form, self.field_name, None) is None:
            return ""
        return super().__call__(form, form_opts, field_args)


@dataclass(frozen=True)
class Problem:
    """One line of the form's summary: an error, or a duplicate warning, of the field `field_id`."""

    field_id: str
    label: str
    message: str = ""
    warning: dict | None = None


def field_problems(form, name: str) -> list[Problem]:
    """The errors of field `name`, or of each row of an inline list, then its duplicate warnings."""
    field = form[name]
    if name in ROW_LABELS:
        return [
            Problem(sub.id, f"{ROW_LABELS[name]} {number}: {sub.label.text}", message)
            for number, entry in enumerate(field.entries, 1)
            for sub in entry.form
            for message in sub.errors
        ]
    found = [Problem(field.id, field.label.text, message) for message in field.errors if isinstance(message, str)]
    warnings = getattr(form, "duplicate_warnings", ())
    return found + [Problem(field.id, field.label.text, warning=w) for w in warnings if w["field"] == name]


class Summary(rules.Macro):
    """At the top of the form: every error and duplicate warning, in the form's order, each a link
    to its field. Its "Save anyway" is a button of the form's bar."""

    def __init__(self):
        super().__init__("rule_macros.form_summary")

    @property
    def visible_fields(self) -> list[str]:
        return ["save_anyway"]

    def __call__(self, form, form_opts=None, field_args=None):
        names = [name for rule in form_opts.form_rules for name in rule.visible_fields if name in form]
        problems = [problem for name in names for problem in field_problems(form, name)]
        return super().__call__(form, form_opts, {"problems": problems})


class Section(rules.Container):
    """A part of the form the clerk may fold: folded as they left it, but open when it holds a problem."""

    def __init__(self, name: str, title, *children):
        super().__init__("rule_macros.section", rules.NestedRule(list(children)), title=title, name=name)
        self.name = name

    def __call__(self, form, form_opts=None, field_args=None):
        folded = self.name in (preference(current_user, FOLDED_SECTIONS) or ()) and not any(
            field_problems(form, name) for name in self.visible_fields if name in form
        )
        return super().__call__(form, form_opts, {**(field_args or {}), "folded": folded})


class EditGuard(rules.Macro):
    """What the form was opened with (hidden: version, history mark, values) and, after a clash, what the
    other user changed."""

    def __init__(self):
        super().__init__("rule_macros.edit_guard")

    @property
    def visible_fields(self) -> list[str]:
        return ["opened_version", "history_mark", "opened_values"]


def checked(name: str) -> rules.Field:
    """A field whose value other contacts may share: the duplicate warning shows beside it."""
    return rules.Field(name, "rule_macros.checked_field")


def shown_when(checkbox: str, *children) -> rules.Container:
    return rules.Container("rule_macros.shown_when", rules.NestedRule(list(children)), checkbox=checkbox)


class ContactPersonInline(InlineFormAdmin):
    form_columns = ("id", "name", "role", "email", "phone")
    form_label = lazy_gettext("Contact person")
    form_args = {
        "name": {"label": lazy_gettext("Name"), "validators": [DataRequired()]},
        "role": {"label": lazy_gettext("Role")},
        "email": {"label": lazy_gettext("E-mail"), "validators": [Optional(), wtforms_validator(parse_email_list)]},
        "phone": {"label": lazy_gettext("Phone")},
    }


class NoteInline(InlineFormAdmin):
    """Notes typed on the contact form; the server fills in author and time."""

    form_columns = ("id", "text")
    form_label = lazy_gettext("Note")
    form_args = {"text": {"label": lazy_gettext("Note"), "validators": [DataRequired()]}}
    form_overrides = {"text": TextAreaField}

    def on_model_change(self, form, model, is_created):
        if is_created:
            model.author_id = current_user.id
            model.created_at = utcnow()


# Each inline list's rows, as the summary names them ("Contact person 2: E-mail").
ROW_LABELS = {"persons": ContactPersonInline.form_label, "notes": NoteInline.form_label}
# The preference naming the sections a clerk folded.
FOLDED_SECTIONS = "contact_form_folded"

FORM_RULES = [
    rules.Macro("rule_macros.contact_form_texts"),
    EditGuard(),
    Summary(),
    Section(
        "basic",
        lazy_gettext("Basic data"),
        rules.Row(OptionalField("client_number"), rules.Field("name")),
        "is_corporate",
        shown_when("is_corporate", rules.Row("company_name", "contact_person")),
    ),
    Section(
        "address",
        lazy_gettext("Address"),
        rules.Row("street", "postcode", "city"),
        rules.Row("country", "gps", "floor", "flat"),
        rules.Row(*SOCKET_PICKER_FIELDS),
        "has_different_address",
        shown_when(
            "has_different_address",
            rules.Row("install_street", "install_postcode", "install_city"),
            rules.Row("install_country", "install_gps", "install_floor", "install_flat"),
        ),
    ),
    # Company and VAT IDs for private persons too: a self-employed person has them.
    Section(
        "identification",
        lazy_gettext("Identification"),
        rules.Row(checked("id_number"), "birth_date"),
        rules.Row(checked("company_id"), "vat_id"),
    ),
    Section(
        "contact",
        lazy_gettext("Contact"),
        rules.Row(checked("email"), "invoice_email"),
        rules.Row("tech_email", "business_email"),
        rules.Row("phone", checked("mobile"), "fax"),
        "www",
        "is_marked",
        shown_when("is_marked", "marked_reason"),
        rules.Row("no_bulk_email", "show_info_messages"),
    ),
    Section(
        "portal",
        lazy_gettext("Portal"),
        rules.Row("portal_login", "portal_enabled"),
        "generate_password",
        rules.Macro("rule_macros.portal_password_note"),
    ),
    Section("classification", lazy_gettext("Classification"), rules.Row("client_group", "client_status", "location")),
    Section("internal_notes", lazy_gettext("Internal notes"), rules.Row("internal_note_1", "internal_note_2")),
    Section(
        "invoicing",
        lazy_gettext("Invoicing"),
        rules.Row("invoice_group", "payment_type", "bulk_payment_number"),
        rules.Row("invoice_by_post", "invoice_by_email", "no_auto_reminders", "issue_proforma"),
        rules.Row("bank_account", "iban", "bic"),
        rules.Row("invoicing_day", "due_days", "opening_balance"),
        rules.Row("suspend_mode", "suspend_min_amount", "suspend_days_after_due"),
        rules.Row(*EXTRA_VS_FIELDS),
        rules.Row("contract_returned", "hide_overdue", "no_payment_notifications"),
    ),
    Section("persons", lazy_gettext("Contact persons"), "persons"),
    Section("notes", lazy_gettext("Notes"), "notes"),
]


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
        field.query = db.session.scalars(
            db.select(model).where(db.or_(model.hidden.is_(False), model.id == current_id)).order_by(*order)
        ).all()
        attributes = {}
        if endpoint and current_user.is_admin:
            attributes["data-quick-create"] = url_for(f"{endpoint}.quick_create")
        if name == "client_status":
            attributes["data-colours"] = json.dumps(
                {str(s.id): s.colour for s in field.query if s.colour and COLOUR.fullmatch(s.colour)}
            )
        field.render_kw = attributes


def fill_new_contact_defaults(form, user: User) -> None:
    """A new contact's form as the settings and the clerk's last choices pre-fill it."""
    settings = get_settings()
    if "client_number" in form:
        form.client_number.data = next_client_number()
    form.country.data = settings.default_country
    form.due_days.data = settings.default_due_days
    form.invoicing_day.data = 1
    form.invoice_by_email.data = True
    form.show_info_messages.data = True
    form.suspend_mode.data = "global"
    form.invoice_group.data = preferred_invoice_group(user)
    form.payment_type.data = db.session.scalars(db.select(PaymentType).where(PaymentType.is_default)).first()


def preferred_invoice_group(user: User) -> InvoiceGroup | None:
    """The invoice group this clerk chose last, else the only or first one."""
    if user.last_invoice_group_id:
        group = db.session.get(InvoiceGroup, user.last_invoice_group_id)
        if group is not None and not group.hidden:
            return group
    return db.session.scalars(
        db.select(InvoiceGroup).where(InvoiceGroup.hidden.is_(False)).order_by(InvoiceGroup.name)
    ).first()


# The form field of each value the domain's checks name differently.
FORM_FIELD = {"socket_id": "socket"}


def form_values(form) -> dict:
    """The typed contact as the domain's checks read it: each field's value, and the socket's id."""
    values = {field.name: field.data for field in form}
    if not isinstance(values.get("client_number"), int):
        values.pop("client_number", None)
    values["socket_id"] = form.socket.data.id if form.socket.data is not None else None
    return values


def valid_values(form, values: dict) -> dict:
    """`values` but those of fields with an error: a check that needs them waits until they are fixed."""
    return {name: value for name, value in values.items() if not form[FORM_FIELD.get(name, name)].errors}


def add_errors(form, errors: dict[str, str]) -> None:
    """Each message next to its field, after the field's own."""
    add_field_errors(form, {FORM_FIELD.get(name, name): message for name, message in errors.items()})


def flush_or_explain(form) -> None:
    """Write the contact now, so that losing a race to another clerk is told at the field it concerns."""
    try:
        db.session.flush()
    except StaleDataError:
        db.session.rollback()
        raise ValidationError(
            gettext(
                "Someone else saved this contact a moment ago. Nothing was saved; reload the page to see their changes."
            )
        ) from None
    except IntegrityError:
        db.session.rollback()
        # The database's unique indexes refused what the app's check let through a moment
        # before: the same check, asked again, names the field and the other contact.
        taken = uniqueness_errors(form_values(form), form._obj.id if form._obj is not None else None)
        if not taken:
            raise
        add_errors(form, taken)
        if "socket_id" in taken:
            message = gettext("The socket was taken meanwhile; nothing was saved.")
        elif "client_number" in taken:
            message = gettext("The client number was taken meanwhile; nothing was saved.")
        else:
            message = gettext("Another contact was saved with the same value meanwhile; nothing was saved.")
        raise ValidationError(message) from None

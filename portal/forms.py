"""The portal's forms: login, the client's own details, and its password."""

from __future__ import annotations

from flask_babel import gettext, lazy_gettext
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import EqualTo, InputRequired, Length, ValidationError

from admin_views.forms import CheckedForm, checked_form_for
from domain.passwords import check_portal_password
from domain.portal_access import password_strength_error
from domain.validators import parse_email_list, parse_phone, wtforms_validator
from models import Contact


class LoginForm(CheckedForm, FlaskForm):
    """The portal login: a client number or portal login, and the password."""

    login = StringField(lazy_gettext("Client number or login"), validators=[InputRequired(), Length(max=64)])
    password = PasswordField(lazy_gettext("Password"), validators=[InputRequired(), Length(max=200)])


class ContactDetailsForm(checked_form_for(Contact), FlaskForm):
    """What a client may change about itself, checked as the admin form checks it."""

    email = StringField(lazy_gettext("E-mail"), validators=[wtforms_validator(parse_email_list)])
    invoice_email = StringField(lazy_gettext("Invoicing e-mail"), validators=[wtforms_validator(parse_email_list)])
    phone = StringField(lazy_gettext("Phone"))
    mobile = StringField(lazy_gettext("Mobile phone"))
    no_bulk_email = BooleanField(lazy_gettext("Don't send me bulk e-mail or SMS"))

    def validate_phone(self, field):
        field.data = parse_own_phone(field.data)

    def validate_mobile(self, field):
        field.data = parse_own_phone(field.data)

    def validate_email(self, field):
        if current_user.contact.invoice_by_email and not (field.data or self.invoice_email.data):
            raise ValidationError(gettext("Invoices are sent to you by e-mail, so keep at least one address."))


def parse_own_phone(value: str | None) -> str | None:
    """A phone number typed by the client, read as from the client's country."""
    if not value or not value.strip():
        return None
    try:
        return parse_phone(value, current_user.contact.country)
    except ValueError as error:
        raise ValidationError(str(error)) from None


def password_strength(form, field):
    """The portal's password rule, for the logged-in client."""
    error = password_strength_error(field.data or "", current_user.contact)
    if error:
        raise ValidationError(error)


class PasswordForm(CheckedForm, FlaskForm):
    """A new portal password, given the current one and typed twice."""

    old_password = PasswordField(lazy_gettext("Current password"), validators=[InputRequired()])
    new_password = PasswordField(
        lazy_gettext("New password"), validators=[InputRequired(), Length(max=200), password_strength]
    )
    repeat = PasswordField(
        lazy_gettext("New password again"),
        validators=[EqualTo("new_password", lazy_gettext("The two passwords differ."))],
    )

    def validate_old_password(self, field):
        if not check_portal_password(current_user.contact, field.data or ""):
            raise ValidationError(gettext("This is not your current password."))

"""The client portal: a client logs in with its client number (or portal login) and sees only itself."""

from __future__ import annotations

from datetime import date
from functools import wraps

import nh3
import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext, lazy_gettext
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm
from markupsafe import Markup
from sqlalchemy.orm import selectinload
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import EqualTo, InputRequired, Length, ValidationError

from domain.history import pending_changes, record_change
from domain.passwords import check_portal_password, set_portal_password
from models import Contact, InfoMessage, Service, db
from auth.throttle import record_failure, retry_after, too_many_attempts_message
from domain.validators import parse_email_list, parse_phone, wtforms_validator

bp = Blueprint("portal", __name__, url_prefix="/portal")

# Tags an info message may use; everything else (scripts, handlers, styles) is stripped.
ALLOWED_TAGS = {"p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "a", "h3", "h4", "blockquote"}


class PortalClient:
    """The logged-in portal client: a contact, kept apart from staff users by its session id."""

    is_authenticated = True
    is_active = True
    is_anonymous = False
    is_admin = False

    def __init__(self, contact: Contact):
        self.contact = contact

    def get_id(self) -> str:
        return f"client:{self.contact.id}"

    def __str__(self) -> str:
        return self.contact.name


def load_portal_client(contact_id: int) -> PortalClient | None:
    """The portal client of a session, if the contact may still use the portal."""
    contact = db.session.get(Contact, contact_id)
    if contact is None or not may_use_portal(contact):
        return None
    return PortalClient(contact)


def may_use_portal(contact: Contact) -> bool:
    return contact.deleted_at is None and contact.portal_enabled and bool(contact.portal_password_hash)


def client_required(view):
    """Portal pages answer only a logged-in client; anyone else (staff too) goes to the portal login."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not isinstance(current_user, PortalClient):
            return redirect(url_for("portal.login", next=request.path))
        return view(*args, **kwargs)

    return wrapped


def find_client(login: str) -> Contact | None:
    """The contact a portal login names: its portal login, or its client number."""
    login = login.strip()
    conditions = [Contact.portal_login == login]
    if login.isdigit() and len(login) <= 10:
        conditions.append(Contact.client_number == int(login))
    return db.session.scalars(sa.select(Contact).where(sa.or_(*conditions), Contact.deleted_at.is_(None))
                              .order_by(Contact.id).limit(1)).first()


def sanitise_html(html: str) -> Markup:
    """Rich text with only harmless tags and attributes left."""
    return Markup(nh3.clean(html or "", tags=ALLOWED_TAGS, attributes={"a": {"href", "title"}},
                            url_schemes={"http", "https", "mailto"}))


def current_info_messages(contact: Contact, today: date | None = None) -> list[InfoMessage]:
    """The info messages this client should see today (none if it turned them off)."""
    if not contact.show_info_messages:
        return []
    today = today or date.today()
    audience = [InfoMessage.audience == "all"]
    if contact.client_group_id:
        audience.append(sa.and_(InfoMessage.audience == "group", InfoMessage.client_group_id == contact.client_group_id))
    if contact.client_status_id:
        audience.append(sa.and_(InfoMessage.audience == "status",
                                InfoMessage.client_status_id == contact.client_status_id))
    return list(db.session.scalars(sa.select(InfoMessage).where(
        InfoMessage.shown,
        sa.or_(InfoMessage.valid_from.is_(None), InfoMessage.valid_from <= today),
        sa.or_(InfoMessage.valid_to.is_(None), InfoMessage.valid_to >= today),
        sa.or_(*audience),
    ).order_by(InfoMessage.valid_from.desc(), InfoMessage.id.desc())))


# --- Forms -----------------------------------------------------------------------------------


class LoginForm(FlaskForm):
    login = StringField(lazy_gettext("Client number or login"), validators=[InputRequired(), Length(max=64)])
    password = PasswordField(lazy_gettext("Password"), validators=[InputRequired(), Length(max=200)])


class ContactDetailsForm(FlaskForm):
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
    password = field.data or ""
    if len(password) < 10:
        raise ValidationError(gettext("Use at least 10 characters."))
    if password.isdigit() or password.isalpha() or password.lower() == password or password.upper() == password:
        raise ValidationError(gettext("Mix upper and lower case letters with digits."))
    contact = current_user.contact
    if password.lower() in {str(contact.client_number), (contact.portal_login or "").lower()}:
        raise ValidationError(gettext("The password must not be your login."))


class PasswordForm(FlaskForm):
    old_password = PasswordField(lazy_gettext("Current password"), validators=[InputRequired()])
    new_password = PasswordField(lazy_gettext("New password"),
                                 validators=[InputRequired(), Length(max=200), password_strength])
    repeat = PasswordField(lazy_gettext("New password again"),
                           validators=[EqualTo("new_password", lazy_gettext("The two passwords differ."))])

    def validate_old_password(self, field):
        if not check_portal_password(current_user.contact, field.data or ""):
            raise ValidationError(gettext("This is not your current password."))


# --- Pages -----------------------------------------------------------------------------------


@bp.route("/login", methods=["GET", "POST"])
def login():
    """The portal's own login page; wrong passwords are throttled per account and per address."""
    form = LoginForm()
    if form.validate_on_submit():
        address = request.remote_addr or ""
        wait = retry_after("portal", form.login.data, address)
        if wait:
            form.password.errors.append(too_many_attempts_message(wait))
            return render_template("portal/login.html", form=form), 429
        contact = find_client(form.login.data)
        if contact is not None and may_use_portal(contact) and check_portal_password(contact, form.password.data):
            login_user(PortalClient(contact))
            return redirect(url_for("portal.index"))
        record_failure("portal", form.login.data, address)
        form.password.errors.append(gettext("Wrong login or password."))
    return render_template("portal/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    if isinstance(current_user, PortalClient):
        logout_user()
    return redirect(url_for("portal.login"))


@bp.route("/")
@client_required
def index():
    """The client's own data, services and current info messages."""
    contact = db.session.scalars(sa.select(Contact).where(Contact.id == current_user.contact.id).options(
        selectinload(Contact.persons), selectinload(Contact.services).selectinload(Service.service_type))).one()
    messages = [(m, sanitise_html(m.body)) for m in current_info_messages(contact)]
    return render_template("portal/index.html", contact=contact, messages=messages)


@bp.route("/details", methods=["GET", "POST"])
@client_required
def details():
    """Change own e-mails, phones and the bulk e-mail opt-out; recorded in the contact's history."""
    contact = current_user.contact
    form = ContactDetailsForm(obj=contact)
    if form.validate_on_submit():
        for name in ("email", "invoice_email", "phone", "mobile", "no_bulk_email"):
            setattr(contact, name, form[name].data)
        record_change(contact, "portal edit", pending_changes(contact), actor="portal")
        db.session.commit()
        flash(gettext("Your details were saved."), "success")
        return redirect(url_for("portal.index"))
    return render_template("portal/details.html", form=form)


@bp.route("/password", methods=["GET", "POST"])
@client_required
def password():
    form = PasswordForm()
    if form.validate_on_submit():
        contact = current_user.contact
        set_portal_password(contact, form.new_password.data)
        record_change(contact, "portal password", {"portal_password_hash": {"old": "***", "new": "***"}},
                      actor="portal")
        db.session.commit()
        flash(gettext("Your password was changed."), "success")
        return redirect(url_for("portal.index"))
    return render_template("portal/password.html", form=form)

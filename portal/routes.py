"""The portal's pages: login, logout, the client's overview, its details and its password."""

from __future__ import annotations

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy.orm import selectinload

from auth.sessions import current_session_token, log_in, log_out
from auth.staff_login import safe_next_url
from auth.throttle import record_failure, record_success, retry_after, too_many_attempts_message
from domain.history import pending_changes, record_change
from domain.info_messages import sanitise_html
from domain.passwords import check_portal_password, set_portal_password
from domain.portal_access import current_info_messages, find_client, may_use_portal
from models import Contact, Service, db
from portal import PortalClient, bp, client_required
from portal.forms import ContactDetailsForm, LoginForm, PasswordForm


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
        # A NUL names nobody (and PostgreSQL would refuse to compare it).
        contact = find_client(form.login.data)  # CheckedForm refused control characters (a NUL)
        # Always one password check, so an unknown login answers as slowly as a known one.
        if check_portal_password(
            contact if contact is not None and may_use_portal(contact) else None, form.password.data
        ):
            log_in(PortalClient(contact))
            record_success("portal", form.login.data, address)
            target = safe_next_url(request.args.get("next"), "portal.index")
            return redirect(target if target.startswith("/portal/") else url_for("portal.index"))
        record_failure("portal", form.login.data, address)
        form.password.errors.append(gettext("Wrong login or password."))
    return render_template("portal/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    """End a portal client's session; a staff session on the same browser is left alone."""
    if isinstance(current_user, PortalClient):
        log_out()
    return redirect(url_for("portal.login"))


@bp.route("/")
@client_required
def index():
    """The client's own data, services and current info messages."""
    contact = db.session.scalars(
        sa.select(Contact)
        .where(Contact.id == current_user.contact.id)
        .options(selectinload(Contact.persons), selectinload(Contact.services).selectinload(Service.service_type))
    ).one()
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
    """Change own portal password, given the current one; recorded in the history without the password."""
    form = PasswordForm()
    if form.validate_on_submit():
        contact = current_user.contact
        set_portal_password(contact, form.new_password.data, keep_session=current_session_token())
        record_change(
            contact, "portal password", {"portal_password_hash": {"old": "***", "new": "***"}}, actor="portal"
        )
        db.session.commit()
        flash(gettext("Your password was changed."), "success")
        return redirect(url_for("portal.index"))
    return render_template("portal/password.html", form=form)

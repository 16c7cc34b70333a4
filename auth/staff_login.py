"""Staff login and logout."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext, lazy_gettext
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.csrf import generate_csrf
from sqlalchemy import select
from wtforms import PasswordField, StringField
from wtforms.validators import InputRequired, Length

from admin_views.forms import CheckedForm
from auth.sessions import log_in, log_out
from auth.throttle import record_failure, record_success, retry_after, too_many_attempts_message
from domain.passwords import check_user_password
from models import User, db, utcnow

bp = Blueprint("auth", __name__)


class LoginForm(CheckedForm, FlaskForm):
    username = StringField(lazy_gettext("Username"), validators=[InputRequired(), Length(max=64)])
    password = PasswordField(lazy_gettext("Password"), validators=[InputRequired(), Length(max=200)])


def safe_next_url(target: str | None, default: str = "admin.index") -> str:
    """`target` if it stays on this site, else the start page (`default` endpoint).

    A backslash or a control character is refused: browsers read `/\\host` as another site, and
    CR/LF would split the redirect's header."""
    if target and target.isprintable() and "\\" not in target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//"):
            return target
    return url_for(default)


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Log a staff user in; wrong name and wrong password get the same message."""
    if current_user.is_authenticated and isinstance(current_user, User):
        return redirect(safe_next_url(request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        username, address = form.username.data.strip(), request.remote_addr or ""
        wait = retry_after("staff", username, address)
        if wait:
            form.password.errors.append(too_many_attempts_message(wait))
            return render_template("auth/login.html", form=form), 429
        # CheckedForm refused control characters: no NUL reaches the query (PostgreSQL refuses it).
        user = db.session.scalar(select(User).where(User.username == username))
        # Always one password check, so an unknown name answers as slowly as a known one.
        if check_user_password(user if user is not None and user.active else None, form.password.data):
            user.last_login_at = utcnow()
            log_in(user)
            record_success("staff", username, address)
            return redirect(safe_next_url(request.args.get("next")))
        record_failure("staff", username, address)
        form.password.errors.append(gettext("Wrong username or password."))
    return render_template("auth/login.html", form=form)


@bp.route("/alive")
def alive():
    """Asked by the panel's pages (static/admin/keep_alive.js) while the clerk types, and before a
    form is saved: 204 with the session's security token while the session holds, else 401."""
    if not (isinstance(current_user, User) and current_user.is_authenticated):
        return "", 401
    # After a login in another tab the form's token is the old session's: the page takes this one.
    return "", 204, {"X-CSRF-Token": generate_csrf()}


@bp.route("/logout", methods=["POST"])
def logout():
    """Log out (POST only, so a link on another site cannot do it)."""
    log_out()
    flash(gettext("You have been logged out."), "info")
    return redirect(url_for("auth.login"))

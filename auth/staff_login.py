"""Staff login and logout."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext, lazy_gettext
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import PasswordField, StringField
from wtforms.validators import InputRequired, Length

from admin_views.forms import CheckedForm
from auth.throttle import record_failure, retry_after, too_many_attempts_message
from domain.passwords import check_user_password
from models import User, db, utcnow

bp = Blueprint("auth", __name__)


class LoginForm(CheckedForm, FlaskForm):
    username = StringField(lazy_gettext("Username"), validators=[InputRequired(), Length(max=64)])
    password = PasswordField(lazy_gettext("Password"), validators=[InputRequired(), Length(max=200)])


def safe_next_url(target: str | None) -> str:
    """`target` if it stays on this site, else the panel's start page."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//"):
            return target
    return url_for("admin.index")


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
        user = db.session.scalar(select(User).where(User.username == username))
        if user is not None and user.active and check_user_password(user, form.password.data):
            login_user(user)
            user.last_login_at = utcnow()
            db.session.commit()
            return redirect(safe_next_url(request.args.get("next")))
        record_failure("staff", username, address)
        form.password.errors.append(gettext("Wrong username or password."))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    """Log out (POST only, so a link on another site cannot do it)."""
    logout_user()
    flash(gettext("You have been logged out."), "info")
    return redirect(url_for("auth.login"))

"""The two session cookies (staff panel, client portal) and logging in and out with a session the
server holds (domain/sessions.py).

The panel and the portal each have their own signed cookie: a client logging in to the portal in
the clerk's browser, or logging out of it, leaves the clerk's panel session as it was.
"""

from __future__ import annotations

from flask import Flask, flash, has_request_context, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_login import login_user, logout_user

from domain.sessions import end_session, session_end_reason, start_session
from models import User, db

# The key of the server-side session's token in the signed cookie.
TOKEN_KEY = "_login_session"
PORTAL_PATH = "/portal"
PORTAL_COOKIE = "ispdesk_portal"
# What Flask-Login keeps in the cookie about the logged-in user.
FLASK_LOGIN_KEYS = ("_user_id", "_fresh", "_id", "_remember")


def in_portal() -> bool:
    return request.path == PORTAL_PATH or request.path.startswith(PORTAL_PATH + "/")


class AreaSessionInterface(SecureCookieSessionInterface):
    """One cookie for the panel, another (limited to /portal) for the portal; either is Secure
    whenever the request came over HTTPS (directly or through the trusted proxy)."""

    def get_cookie_name(self, app: Flask) -> str:
        return PORTAL_COOKIE if in_portal() else super().get_cookie_name(app)

    def get_cookie_path(self, app: Flask) -> str:
        return PORTAL_PATH if in_portal() else super().get_cookie_path(app)

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"] or request.is_secure)


def log_in(holder) -> None:
    """Log the staff user or portal client (portal.PortalClient) in, with a new server-side session."""
    end_session(session.get(TOKEN_KEY))  # the one this login replaces, if any
    if isinstance(holder, User):
        token = start_session(user_id=holder.id)
    else:
        token = start_session(contact_id=holder.contact.id)
    db.session.commit()
    # A fresh cookie: nothing from before the login (nor a planted token) carries over.
    session.clear()
    session[TOKEN_KEY] = token
    login_user(holder)


def log_out() -> None:
    """End the session on the server too: the cookie, even copied, no longer lets anybody in."""
    end_session(session.get(TOKEN_KEY))
    logout_user()
    session.pop(TOKEN_KEY, None)


def current_session_token() -> str | None:
    """The token of this request's session (kept when its user changes the password)."""
    return session.get(TOKEN_KEY) if has_request_context() else None


def session_holds(user_id: int | None = None, contact_id: int | None = None) -> bool:
    """Whether this request's session still lets its user in; if not, the cookie forgets the user
    and the login page will say why."""
    reason = session_end_reason(session.get(TOKEN_KEY), user_id=user_id, contact_id=contact_id)
    if reason is None:
        return True
    for key in (*FLASK_LOGIN_KEYS, TOKEN_KEY):
        session.pop(key, None)
    flash(reason, "warning")
    return False

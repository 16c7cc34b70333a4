"""The client portal: a client logs in with its client number (or portal login) and sees only itself."""

from __future__ import annotations

from functools import wraps

from flask import Blueprint, redirect, request, url_for
from flask_babel import get_locale
from flask_login import current_user

from domain.portal_access import may_use_portal
from models import Contact, db

bp = Blueprint("portal", __name__, url_prefix="/portal")


@bp.context_processor
def page_language() -> dict:
    """The language the page is written in, for <html lang> (screen readers, spelling, hyphenation)."""
    return {"language": str(get_locale() or "en")}


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


def client_required(view):
    """Portal pages answer only a logged-in client; anyone else (staff too) goes to the portal login."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not isinstance(current_user, PortalClient):
            return redirect(url_for("portal.login", next=request.path))
        return view(*args, **kwargs)

    return wrapped


# Imported last: the routes register themselves on `bp` and use the names above.
from portal import routes  # noqa: E402, F401

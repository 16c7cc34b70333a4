"""Which language and time zone a request is shown in, and remembering a chosen language.

A language is chosen with the switch in the navigation bar: a staff user's choice is kept on
the user (`User.language`, followed on every computer); anyone else's (a portal client, or the
login pages) in a cookie of the browser, one for the panel and one for the portal, so that a
client choosing a language in the clerk's browser leaves the clerk's panel as it was. A portal
client's choice is not stored on the contact: a click would then change the contact row (its
version and time of change), and a clerk's form open on it would report a conflict.
Without a choice the browser's Accept-Language decides, and without that BABEL_DEFAULT_LOCALE.
"""

from __future__ import annotations

import pytz
from flask import Response, current_app, has_request_context, request, session, url_for
from flask_babel import get_locale

from auth.sessions import in_portal
from domain.settings import get_settings
from models import LANGUAGES, User, db

# The switch's choices, each named in its own language.
LANGUAGE_NAMES = {"cs": "Čeština", "en": "English"}
PANEL_COOKIE = "ispdesk_language"
PORTAL_COOKIE = "ispdesk_portal_language"
COOKIE_DAYS = 400  # the longest a browser keeps a cookie


def select_locale() -> str | None:
    """The language of this request; None (BABEL_DEFAULT_LOCALE) outside one or when nothing decides."""
    if not has_request_context():
        return None
    return chosen_language() or request.accept_languages.best_match(LANGUAGES)


def chosen_language() -> str | None:
    """The language the staff user of this request chose, else the one this browser chose here."""
    user = staff_user()
    if user is not None and user.language in LANGUAGES:
        return user.language
    cookie = request.cookies.get(language_cookie())
    return cookie if cookie in LANGUAGES else None


def staff_user() -> User | None:
    """The staff user this request's panel session names, read from the session itself.

    Not through Flask-Login's current_user: loading it checks the session, whose "you were logged
    out" message is translated, which would ask for the language again. A session that no longer
    holds still names its user: the login page it leads to is then in that user's language.
    """
    kind, _, raw_id = str(session.get("_user_id", "")).partition(":")
    if in_portal() or kind != "staff" or not raw_id.isdigit() or len(raw_id) > 18:
        return None
    return db.session.get(User, int(raw_id))  # the identity map: the user loader finds it there


def language_cookie() -> str:
    return PORTAL_COOKIE if in_portal() else PANEL_COOKIE


def remember_language(language: str, response: Response) -> None:
    """Keep `language` for this browser's area and, for a logged-in staff user, on the user."""
    user = staff_user()
    if user is not None:
        user.language = language
        db.session.commit()
    response.set_cookie(
        language_cookie(),
        language,
        max_age=COOKIE_DAYS * 24 * 3600,
        path="/portal" if in_portal() else "/",
        secure=bool(current_app.config["SESSION_COOKIE_SECURE"] or request.is_secure),
        httponly=True,
        samesite="Lax",
    )


def language_switch() -> dict:
    """What the switch (templates/_language_switch.html) needs: where it posts, the current language."""
    endpoint = "i18n.portal_switch" if in_portal() else "i18n.switch"
    action = url_for(endpoint, next=request.full_path if request.query_string else request.path)
    return {"action": action, "current": get_locale().language, "names": LANGUAGE_NAMES}


def select_timezone() -> str | None:
    """The provider's time zone (settings) in a request; BABEL_DEFAULT_TIMEZONE outside one, or
    for a name Flask-Babel's pytz does not know (set past the settings form)."""
    zone = get_settings().time_zone if has_request_context() else None
    return zone if zone in pytz.all_timezones_set else None

"""Login sessions held on the server: they end at logout, after a password change, when idle
too long and at the end of their lifetime, whatever a copied cookie says.

The cookie carries only a random token; the row says whose session it is and whether it still
holds. Last-seen is written at most once a minute, so a busy list does not write on every page.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import gettext

from domain.settings import get_settings
from models import LoginSession, db, utcnow

# Last-seen is refreshed only when it is older than this: the idle timeout is a minute coarse.
TOUCH_INTERVAL = timedelta(minutes=1)
# Rows of sessions gone this long are deleted when someone logs in (they only fill the table).
KEEP_ENDED = timedelta(days=7)


def start_session(user_id: int | None = None, contact_id: int | None = None) -> str:
    """A new session of the staff user or the portal client; its token (for the cookie). Not committed."""
    now = utcnow()
    db.session.execute(sa.delete(LoginSession).where(LoginSession.last_seen_at < now - KEEP_ENDED))
    token = secrets.token_urlsafe(32)
    db.session.add(LoginSession(token=token, user_id=user_id, contact_id=contact_id, created_at=now, last_seen_at=now))
    return token


def session_end_reason(token: str | None, user_id: int | None = None, contact_id: int | None = None) -> str | None:
    """Why the session of `token` no longer lets its holder in (a message for the login page), or
    None when it holds; a session that holds is marked as seen now (at most once a minute)."""
    row = db.session.scalar(sa.select(LoginSession).where(LoginSession.token == token)) if token else None
    if row is None or row.ended_at is not None or (row.user_id, row.contact_id) != (user_id, contact_id):
        return gettext("You have been logged out. Please log in again.")
    settings = get_settings()
    now = utcnow()
    if now - _aware(row.created_at) > timedelta(hours=settings.session_lifetime_hours):
        reason = gettext(
            "Your session reached its longest allowed time (%(hours)d hours). Please log in again.",
            hours=settings.session_lifetime_hours,
        )
    elif now - _aware(row.last_seen_at) > timedelta(minutes=settings.session_idle_minutes):
        reason = gettext(
            "Your session ended after %(minutes)d minutes without activity. Please log in again.",
            minutes=settings.session_idle_minutes,
        )
    else:
        if now - _aware(row.last_seen_at) > TOUCH_INTERVAL:
            _write_now(sa.update(LoginSession).where(LoginSession.id == row.id).values(last_seen_at=now))
        return None
    _write_now(sa.update(LoginSession).where(LoginSession.id == row.id).values(ended_at=now))
    return reason


def end_session(token: str | None) -> None:
    """End the session of `token` (logout), committed."""
    if token:
        db.session.execute(
            sa.update(LoginSession)
            .where(LoginSession.token == token, LoginSession.ended_at.is_(None))
            .values(ended_at=utcnow())
        )
        db.session.commit()


def end_other_sessions(user_id: int | None = None, contact_id: int | None = None, keep: str | None = None) -> None:
    """End every session of the user or client except the one of token `keep` (a password change);
    part of the caller's transaction."""
    if user_id is None and contact_id is None:
        return
    holder = LoginSession.user_id == user_id if user_id is not None else LoginSession.contact_id == contact_id
    query = sa.update(LoginSession).where(holder, LoginSession.ended_at.is_(None))
    if keep:
        query = query.where(LoginSession.token != keep)
    # Not flushed first: the caller's own changes (a contact being saved) flush when it commits.
    with db.session.no_autoflush:
        db.session.execute(query.values(ended_at=utcnow()))


def _write_now(statement) -> None:
    """Run and commit `statement`, unless the request has changes of its own pending: those are
    not the session check's to commit (the write then waits for the next request)."""
    session = db.session()
    if session.new or session.dirty or session.deleted:
        return
    session.execute(statement)
    session.commit()


def _aware(moment):
    # SQLite gives timestamps back without their zone; they were written in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=utcnow().tzinfo)

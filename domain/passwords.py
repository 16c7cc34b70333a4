"""Passwords: hashing for staff and portal clients, and generated portal passwords."""

from __future__ import annotations

import secrets

from flask import current_app, has_app_context
from werkzeug.security import check_password_hash, generate_password_hash

from domain.sessions import end_other_sessions
from models import Contact, User

# A generated portal password is 12 random characters (about 70 bits): brute force is hopeless
# whatever the hash, so it gets a quick one and saving a contact stays fast. Passwords people
# choose themselves get scrypt.
GENERATED_PASSWORD_HASH = "pbkdf2:sha256:5000"


def hash_password(password: str, method: str | None = None) -> str:
    """A salted hash of `password`; the default method is configurable so tests can use a cheap one."""
    if method is None:
        method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt") if has_app_context() else "scrypt"
    return generate_password_hash(password, method=method)


def set_user_password(user: User, password: str, keep_session: str | None = None) -> None:
    """Set the password and end the user's other sessions (all but the one of token `keep_session`)."""
    user.password_hash = hash_password(password)
    end_other_sessions(user_id=user.id, keep=keep_session)


def check_user_password(user: User | None, password: str) -> bool:
    """Whether `password` is the user's; with no user, as slow a check that fails."""
    return _verify(user.password_hash if user is not None else None, password)


_dummy_hashes: dict[str, str] = {}


def _verify(password_hash: str | None, password: str) -> bool:
    """Exactly one hash verification whether or not there is a hash to check: an unknown login
    takes as long to refuse as a known one, so the answer time does not tell which logins exist."""
    if password_hash:
        return check_password_hash(password_hash, password)
    method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt") if has_app_context() else "scrypt"
    if method not in _dummy_hashes:
        _dummy_hashes[method] = generate_password_hash("not a password anybody has", method=method)
    check_password_hash(_dummy_hashes[method], password)
    return False


# No 0/O, 1/l/I: a clerk reads the password out over the phone.
PASSWORD_ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def generate_portal_password(length: int = 12) -> str:
    """A random portal password with lower case, upper case and digits."""
    while True:
        password = "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(length))
        if (
            any(c.islower() for c in password)
            and any(c.isupper() for c in password)
            and any(c.isdigit() for c in password)
        ):
            return password


def set_portal_password(
    contact: Contact, password: str, generated: bool = False, keep_session: str | None = None
) -> None:
    """Set the portal password and end the client's other portal sessions (all but `keep_session`'s)."""
    contact.portal_password_hash = hash_password(password, GENERATED_PASSWORD_HASH if generated else None)
    end_other_sessions(contact_id=contact.id, keep=keep_session)


def check_portal_password(contact: Contact | None, password: str) -> bool:
    """Whether `password` is the client's portal password; with no client or none set, as slow a check that fails."""
    return _verify(contact.portal_password_hash if contact is not None else None, password)

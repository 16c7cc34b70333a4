"""Passwords: hashing for staff and portal clients, and generated portal passwords."""

from __future__ import annotations

import secrets

from flask import current_app, has_app_context
from werkzeug.security import check_password_hash, generate_password_hash

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


def set_user_password(user: User, password: str) -> None:
    user.password_hash = hash_password(password)


def check_user_password(user: User, password: str) -> bool:
    return check_password_hash(user.password_hash, password)


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


def set_portal_password(contact: Contact, password: str, generated: bool = False) -> None:
    contact.portal_password_hash = hash_password(password, GENERATED_PASSWORD_HASH if generated else None)


def check_portal_password(contact: Contact, password: str) -> bool:
    return bool(contact.portal_password_hash) and check_password_hash(contact.portal_password_hash, password)

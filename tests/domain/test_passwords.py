"""Passwords: generated portal passwords, hashing and checking for staff and portal clients (no HTTP)."""

from __future__ import annotations

from werkzeug.security import check_password_hash

from domain.passwords import (
    PASSWORD_ALPHABET,
    check_portal_password,
    check_user_password,
    generate_portal_password,
    hash_password,
    set_portal_password,
    set_user_password,
)
from models import Contact, User

# Characters a clerk could misread over the phone.
LOOK_ALIKES = "0O1lI"


def test_a_generated_password_is_twelve_characters_of_the_readable_alphabet():
    for _ in range(200):
        password = generate_portal_password()
        assert len(password) == 12
        assert set(password) <= set(PASSWORD_ALPHABET)
        assert not set(password) & set(LOOK_ALIKES)


def test_the_alphabet_has_no_look_alike_characters_but_every_kind():
    assert not set(PASSWORD_ALPHABET) & set(LOOK_ALIKES)
    assert any(c.islower() for c in PASSWORD_ALPHABET)
    assert any(c.isupper() for c in PASSWORD_ALPHABET)
    assert any(c.isdigit() for c in PASSWORD_ALPHABET)


def test_a_generated_password_always_mixes_lower_case_upper_case_and_digits():
    # Three characters: a password drawn without the mix rule would often lack one kind.
    for _ in range(300):
        password = generate_portal_password(3)
        assert len(password) == 3
        assert any(c.islower() for c in password), password
        assert any(c.isupper() for c in password), password
        assert any(c.isdigit() for c in password), password


def test_generated_passwords_differ():
    assert len({generate_portal_password() for _ in range(50)}) == 50


def test_a_hash_is_salted_and_checks_only_its_password(app):
    with app.app_context():
        first, second = hash_password("Secret-42"), hash_password("Secret-42")
    assert first != second
    assert "Secret-42" not in first
    assert check_password_hash(first, "Secret-42")
    assert check_password_hash(second, "Secret-42")
    assert not check_password_hash(first, "secret-42")


def test_the_hash_method_is_the_apps_setting_or_the_one_asked_for(app):
    with app.app_context():
        assert hash_password("Secret-42").startswith("pbkdf2:sha256:1000$")  # the tests' cheap setting
        assert hash_password("Secret-42", "pbkdf2:sha256:2000").startswith("pbkdf2:sha256:2000$")
    # Without an app, scrypt.
    assert hash_password("Secret-42").startswith("scrypt:")


def test_a_staff_password_is_stored_as_a_hash_and_checked(app):
    with app.app_context():
        user = User(username="clerk", role="staff")
        set_user_password(user, "Clerk-Pass-1")
        assert user.password_hash != "Clerk-Pass-1"
        assert "Clerk-Pass-1" not in user.password_hash
        assert check_user_password(user, "Clerk-Pass-1")
        assert not check_user_password(user, "Clerk-Pass-2")
        assert not check_user_password(user, "")
        set_user_password(user, "Clerk-Pass-2")
        assert check_user_password(user, "Clerk-Pass-2")
        assert not check_user_password(user, "Clerk-Pass-1")


def test_a_portal_password_is_stored_as_a_hash_and_checked(app):
    with app.app_context():
        contact = Contact(client_number=1001, name="Novák Jan")
        assert not check_portal_password(contact, "")
        assert not check_portal_password(contact, "Portal-Pass-42")
        set_portal_password(contact, "Portal-Pass-42")
        assert "Portal-Pass-42" not in contact.portal_password_hash
        assert contact.portal_password_hash.startswith("pbkdf2:sha256:1000$")
        assert check_portal_password(contact, "Portal-Pass-42")
        assert not check_portal_password(contact, "portal-pass-42")


def test_a_generated_portal_password_gets_the_quick_hash(app):
    password = generate_portal_password()
    with app.app_context():
        contact = Contact(client_number=1001, name="Novák Jan")
        set_portal_password(contact, password, generated=True)
        assert contact.portal_password_hash.startswith("pbkdf2:sha256:5000$")
        assert password not in contact.portal_password_hash
        assert check_portal_password(contact, password)

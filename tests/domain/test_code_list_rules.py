"""Code lists: case-insensitive names, and the payment types' system entries and single default (no HTTP)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from domain.code_lists import entry_named, make_default_payment_type, payment_type_delete_refusal, payment_type_errors
from models import ClientGroup, PaymentType, db


def payment_type(code_or_name: str) -> PaymentType:
    return db.session.scalar(
        sa.select(PaymentType).where(sa.or_(PaymentType.system_code == code_or_name, PaymentType.name == code_or_name))
    )


def test_an_entry_is_found_by_name_whatever_the_case(app):
    with app.app_context():
        vip = ClientGroup(name="VIP")
        db.session.add(vip)
        db.session.commit()
        assert entry_named(ClientGroup, "vip") is vip
        assert entry_named(ClientGroup, "Vip", exclude_id=vip.id) is None
        assert entry_named(ClientGroup, "Gold") is None
        assert entry_named(PaymentType, "CASH").system_code == "cash"


def test_the_check_finds_every_name_the_unique_index_refuses(app):
    """The check lowers both names in the database, as the index on lower(name) does: Czech
    letters fold too, on SQLite as on PostgreSQL ("ÚČET" and "účet" are one name)."""
    with app.app_context():
        account = ClientGroup(name="ÚČET Praha")
        db.session.add(account)
        db.session.commit()
        assert entry_named(ClientGroup, "ÚČET Praha") is account
        assert entry_named(ClientGroup, "účet praha") is account
        for name in ("ÚČET Praha", "ÚČET PRAHA", "účet praha", "Účet Praha"):
            db.session.add(ClientGroup(name=name))
            with pytest.raises(sa.exc.IntegrityError):
                db.session.commit()
            db.session.rollback()


def test_system_types_keep_their_names(app):
    with app.app_context():
        cash = payment_type("cash")
        assert payment_type_errors(cash, "Money", False, False) == {"name": "System payment types cannot be renamed."}
        assert payment_type_errors(cash, cash.name, False, True) == {}


def test_the_default_is_neither_hidden_nor_unset(app):
    with app.app_context():
        default = payment_type("bank_transfer")
        assert default.is_default
        assert payment_type_errors(default, default.name, True, True) == {
            "hidden": "The default payment type cannot be hidden."
        }
        assert payment_type_errors(default, default.name, False, False) == {
            "is_default": "Make another type the default instead; one type is always the default."
        }
        assert payment_type_errors(None, "Card", True, True) == {"hidden": "The default payment type cannot be hidden."}
        assert payment_type_errors(None, "Card", True, False) == {}


def test_system_types_and_the_default_are_not_deleted(app):
    with app.app_context():
        card = PaymentType(name="Card")
        db.session.add(card)
        db.session.commit()
        assert payment_type_delete_refusal([card]) is None
        assert payment_type_delete_refusal([card, payment_type("cash"), payment_type("bank_transfer")]) == (
            "System payment types and the default type cannot be deleted: Cash, Bank transfer."
        )
        card.is_default = False
        make_default_payment_type(card)
        db.session.commit()
        assert payment_type_delete_refusal([card]) == (
            "System payment types and the default type cannot be deleted: Card."
        )


def test_making_a_type_the_default_unsets_the_old_one(app):
    with app.app_context():
        card = PaymentType(name="Card")
        db.session.add(card)
        make_default_payment_type(card)
        db.session.commit()
        assert db.session.scalars(sa.select(PaymentType.name).where(PaymentType.is_default)).all() == ["Card"]
        make_default_payment_type(payment_type("cash"))
        db.session.commit()
        assert db.session.scalars(sa.select(PaymentType.system_code).where(PaymentType.is_default)).all() == ["cash"]

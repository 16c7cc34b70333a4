"""Client numbers: the next free one skips numbers and extra symbols in use; allocation moves the series (no HTTP)."""

from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa

from domain.client_numbers import ClientNumbersExhausted, allocate_client_number, next_client_number
from domain.settings import get_settings
from models import MAX_VARIABLE_SYMBOL, Contact, PaymentType, db, utcnow
from tests.helpers import StatementCounter


def add_contacts(group_id: int, numbers, **fields) -> None:
    """Contacts with these client numbers, in one commit."""
    payment_type = db.session.scalar(sa.select(PaymentType.id).where(PaymentType.is_default))
    db.session.add_all(
        [
            Contact(
                client_number=n,
                name=f"Client {n}",
                street="Hlavní 1",
                postcode="110 00",
                city="Praha",
                payment_type_id=payment_type,
                invoice_group_id=group_id,
                opening_balance=Decimal(0),
                **fields,
            )
            for n in numbers
        ]
    )
    db.session.commit()


def set_last_client_number(number: int) -> None:
    get_settings().last_client_number = number
    db.session.commit()


def test_the_next_number_follows_the_one_issued_last(app):
    with app.app_context():
        assert next_client_number() == 1
        set_last_client_number(41)
        assert next_client_number() == 42
        assert next_client_number(after=100) == 101


def test_the_next_number_skips_client_numbers_in_use_deleted_contacts_included(app, make_invoice_group):
    group = make_invoice_group().id
    with app.app_context():
        add_contacts(group, [11, 12])
        add_contacts(group, [13], deleted_at=utcnow())
        set_last_client_number(10)
        assert next_client_number() == 14
        assert next_client_number(after=11) == 14
        assert next_client_number(after=14) == 15


def test_the_next_number_skips_extra_variable_symbols(app, make_invoice_group):
    group = make_invoice_group().id
    with app.app_context():
        add_contacts(group, [1], extra_vs_1=2, extra_vs_2=3)
        add_contacts(group, [4], extra_vs_1=5)
        # 1 is a client number, 2 and 3 are its symbols, 4 a client number, 5 its symbol.
        assert next_client_number(after=0) == 6
        assert next_client_number(after=1) == 6
        assert next_client_number(after=5) == 6


def test_a_symbol_right_after_a_run_of_numbers_is_skipped_too(app, make_invoice_group):
    group = make_invoice_group().id
    with app.app_context():
        add_contacts(group, range(1, 51))
        contact = db.session.scalar(sa.select(Contact).where(Contact.client_number == 10))
        contact.extra_vs_1 = 51
        db.session.commit()
        assert next_client_number(after=0) == 52


# A number taken only as an extra symbol is no run of client numbers to jump: the free numbers
# after it (6..499, 1004..4999 below) come before the next client number (a7abde6 fixed this).
def test_a_symbol_below_a_higher_client_number_does_not_hide_the_free_numbers(app, make_invoice_group):
    group = make_invoice_group().id
    with app.app_context():
        add_contacts(group, [1], extra_vs_1=2, extra_vs_2=3)
        add_contacts(group, [4], extra_vs_1=5)
        add_contacts(group, [500])
        assert next_client_number(after=0) == 6


def test_a_symbol_after_a_run_of_numbers_does_not_hide_the_free_numbers(app, make_invoice_group):
    group = make_invoice_group().id
    with app.app_context():
        add_contacts(group, [1001])
        add_contacts(group, [1002], extra_vs_1=1003)
        add_contacts(group, [5000])
        assert next_client_number(after=1000) == 1004


def test_the_next_number_is_the_first_gap_not_the_highest_number(app, make_invoice_group):
    group = make_invoice_group().id
    with app.app_context():
        add_contacts(group, [*range(1, 31), *range(32, 40), 100])
        assert next_client_number(after=0) == 31
        assert next_client_number(after=31) == 40
        assert next_client_number(after=99) == 101


def test_a_long_run_of_used_numbers_is_jumped_not_walked(app, make_invoice_group):
    group = make_invoice_group().id
    with app.app_context():
        add_contacts(group, range(1, 301))
        db.session.expire_all()
        with StatementCounter(app) as counter:
            assert next_client_number(after=0) == 301
        # One number at a time would take 300 queries.
        assert counter.count < 10


def test_allocation_moves_the_settings_counter(app, make_invoice_group):
    group = make_invoice_group().id
    with app.app_context():
        add_contacts(group, [11, 12])
        set_last_client_number(10)
        assert allocate_client_number() == 13
        assert get_settings().last_client_number == 13
        assert allocate_client_number() == 14
        db.session.commit()
    with app.app_context():
        assert get_settings().last_client_number == 14


def test_allocation_takes_the_last_ten_digit_number(app):
    with app.app_context():
        set_last_client_number(MAX_VARIABLE_SYMBOL - 1)
        assert allocate_client_number() == MAX_VARIABLE_SYMBOL
        assert get_settings().last_client_number == MAX_VARIABLE_SYMBOL


def test_allocation_past_ten_digits_is_refused_and_the_counter_stays(app):
    with app.app_context():
        set_last_client_number(MAX_VARIABLE_SYMBOL)
        with pytest.raises(ClientNumbersExhausted, match=f"above {MAX_VARIABLE_SYMBOL}"):
            allocate_client_number()
        assert get_settings().last_client_number == MAX_VARIABLE_SYMBOL


def test_allocation_is_refused_when_the_last_ten_digit_number_is_taken(app, make_invoice_group):
    group = make_invoice_group().id
    with app.app_context():
        add_contacts(group, [MAX_VARIABLE_SYMBOL])
        set_last_client_number(MAX_VARIABLE_SYMBOL - 1)
        with pytest.raises(ClientNumbersExhausted):
            allocate_client_number()
        assert get_settings().last_client_number == MAX_VARIABLE_SYMBOL - 1

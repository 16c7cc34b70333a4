"""A clerk's "Save anyway", remembered: the same clash is not asked about again, a new one is (no HTTP)."""

import sqlalchemy as sa

from domain.duplicates import acknowledge_duplicates, acknowledged_others, unacknowledged_duplicates
from models import AcknowledgedDuplicate, Contact, db
from tests.helpers import user_named


def clashes(warnings: list[dict]) -> list[tuple[str, list[int]]]:
    return [(w["field"], [c.client_number for c in w["contacts"]]) for w in warnings]


def test_a_confirmed_clash_is_not_asked_again_a_new_one_is(app, make_contact):
    me = make_contact(client_number=1001, id_number="AB123456", email="jan@example.cz")
    make_contact(client_number=1002, id_number="AB123456")
    mine = {"id_number": "AB123456", "email": "jan@example.cz", "mobile": "+420601123456"}
    with app.app_context():
        warnings = unacknowledged_duplicates(mine, me)
        assert clashes(warnings) == [("id_number", [1002])]
        acknowledge_duplicates(me, warnings, user_named("staff"))
        db.session.commit()
        assert unacknowledged_duplicates(mine, me) == []
    # The same other contact by another value, and another contact by the same value: asked.
    make_contact(client_number=1003, id_number="AB123456", email="jan@example.cz")
    make_contact(client_number=1004, mobile="+420601123456")
    with app.app_context():
        assert clashes(unacknowledged_duplicates(mine, me)) == [
            ("id_number", [1003]),
            ("email", [1003]),
            ("mobile", [1004]),
        ]


def test_the_pair_is_confirmed_from_both_sides(app, make_contact):
    first = make_contact(client_number=1001, company_id="25596641")
    second = make_contact(client_number=1002, company_id="25596641")
    with app.app_context():
        acknowledge_duplicates(first, unacknowledged_duplicates({"company_id": "25596641"}, first), None)
        db.session.commit()
        assert unacknowledged_duplicates({"company_id": "25596641"}, second) == []
        assert acknowledged_others(second) == {"company_id": {first}}
        assert acknowledged_others(first) == {"company_id": {second}}


def test_a_new_contact_has_no_confirmations_and_confirming_twice_stores_once(app, make_contact):
    first = make_contact(client_number=1001, email="jan@example.cz")
    make_contact(client_number=1002, email="jan@example.cz")
    with app.app_context():
        assert clashes(unacknowledged_duplicates({"email": "jan@example.cz"}, None)) == [("email", [1001, 1002])]
        new = Contact(client_number=1003, name="Nový", street="Hlavní 1", postcode="110 00", city="Praha")
        new.payment_type_id = db.session.get(Contact, first).payment_type_id
        new.invoice_group_id = db.session.get(Contact, first).invoice_group_id
        db.session.add(new)
        db.session.flush()
        warnings = unacknowledged_duplicates({"email": "jan@example.cz"}, new.id)
        staff = user_named("staff")
        acknowledge_duplicates(new.id, warnings, staff)
        acknowledge_duplicates(new.id, warnings, staff)
        db.session.commit()
        rows = db.session.scalars(sa.select(AcknowledgedDuplicate).order_by(AcknowledgedDuplicate.other_contact_id))
        assert [(r.contact_id, r.kind, r.user_id) for r in rows] == [(new.id, "email", staff.id)] * 2
        assert unacknowledged_duplicates({"email": "jan@example.cz"}, new.id) == []


def test_more_confirmed_matches_than_shown_do_not_hide_a_new_one(app, make_contact):
    me = make_contact(client_number=1000, mobile="+420601123456")
    for number in range(1001, 1007):
        make_contact(client_number=number, mobile="+420601123456")
    with app.app_context():
        mine = {"mobile": "+420601123456"}
        # Five are shown (and confirmed) at a time: a second "Save anyway" confirms the sixth.
        acknowledge_duplicates(me, unacknowledged_duplicates(mine, me), None)
        assert clashes(unacknowledged_duplicates(mine, me)) == [("mobile", [1006])]


def test_deleting_a_contact_forgets_its_confirmations(app, make_contact):
    first = make_contact(client_number=1001, email="jan@example.cz")
    second = make_contact(client_number=1002, email="jan@example.cz")
    with app.app_context():
        acknowledge_duplicates(first, unacknowledged_duplicates({"email": "jan@example.cz"}, first), None)
        db.session.commit()
        db.session.delete(db.session.get(Contact, second))
        db.session.commit()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AcknowledgedDuplicate)) == 0

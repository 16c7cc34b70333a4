"""A staff user's remembered choices: stored per user, only known names, only short lists."""

import pytest

from domain.preferences import preference, remember_preference
from models import db
from tests.helpers import csrf_token, user_named


def test_a_choice_is_remembered_per_user(app):
    with app.app_context():
        staff, admin = user_named("staff"), user_named("admin")
        assert preference(staff, "contact_list_columns") is None
        remember_preference(staff, "contact_list_columns", ["name", "phone", "name"])
        db.session.commit()
        db.session.expire_all()
        assert preference(user_named("staff"), "contact_list_columns") == ["name", "phone"]
        assert preference(admin, "contact_list_columns") is None


@pytest.mark.parametrize(
    "name, items",
    [
        ("colour_theme", ["dark"]),
        ("contact_list_columns", ["x" * 65]),
        ("contact_list_columns", [""]),
        ("contact_list_columns", ["c"] * 101),
    ],
)
def test_unknown_names_and_long_lists_are_refused(app, name, items):
    with app.app_context(), pytest.raises(ValueError, match="preference"):
        remember_preference(user_named("staff"), name, items)


def test_the_page_stores_a_choice_with_its_security_token(app, staff):
    token = csrf_token(staff, "/admin/")
    response = staff.post(
        "/admin/preferences/contact_form_folded", data={"csrf_token": token, "item": ["notes", "catv"]}
    )
    assert response.status_code == 204
    with app.app_context():
        assert preference(user_named("staff"), "contact_form_folded") == ["notes", "catv"]


def test_storing_a_choice_needs_the_token_a_staff_login_and_a_known_name(app, client, staff, make_portal_client):
    assert staff.post("/admin/preferences/contact_form_folded", data={"item": "notes"}).status_code == 400
    token = csrf_token(staff, "/admin/")
    assert staff.post("/admin/preferences/theme", data={"csrf_token": token, "item": "x"}).status_code == 400
    anonymous = client.post("/admin/preferences/contact_form_folded", data={"item": "notes"})
    assert anonymous.status_code in (302, 400)
    with app.app_context():
        assert preference(user_named("staff"), "contact_form_folded") is None

"""The command-line interface: setup and user management."""

import re

from domain.passwords import check_user_password
from models import PaymentType, User, db
from tests.helpers import csrf_token, make_app


def test_setup_creates_one_administrator_whose_password_logs_in(database):
    app = make_app(database.fresh_url())
    runner = app.test_cli_runner()
    result = runner.invoke(args=["setup"])
    assert result.exit_code == 0, result.output
    password = re.search(r"login 'admin', password '([^']+)'", result.output).group(1)
    assert len(password) >= 16
    again = runner.invoke(args=["setup"])
    assert again.exit_code == 0
    assert "password" not in again.output
    with app.app_context():
        assert db.session.query(User).count() == 1
        assert db.session.query(PaymentType).filter(PaymentType.system_code.is_not(None)).count() == 5
        assert db.session.query(PaymentType).filter_by(is_default=True).count() == 1
        db.session.remove()
        db.engine.dispose()
    client = app.test_client()
    response = client.post("/login", data={"csrf_token": csrf_token(client), "username": "admin", "password": password})
    assert response.headers["Location"] == "/admin/"
    database.reset()


def test_users_create_with_generated_password(app, runner):
    result = runner.invoke(args=["users", "create", "jana", "--role", "staff"])
    assert result.exit_code == 0, result.output
    password = re.search(r"with password '([^']+)'", result.output).group(1)
    with app.app_context():
        user = db.session.query(User).filter_by(username="jana").one()
        assert user.role == "staff"
        assert check_user_password(user, password)


def test_users_create_refuses_a_taken_name(runner):
    result = runner.invoke(args=["users", "create", "admin", "--role", "admin"])
    assert result.exit_code != 0
    assert "already exists" in result.output


def test_users_create_refuses_an_unknown_role(runner):
    result = runner.invoke(args=["users", "create", "eve", "--role", "root"])
    assert result.exit_code != 0

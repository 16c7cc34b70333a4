"""The `app` fixture lends each test the worker's one app (tests/helpers.py SharedApp): what a test
leaves behind in it must be gone for the next one."""

from __future__ import annotations

import sqlalchemy as sa

from models import ClientGroup, User, db


def test_what_a_test_leaves_in_the_shared_app_is_gone_for_the_next(shared_app, database, tmp_path):
    app = shared_app.app
    contact_view = next(v for v in app.extensions["admin"][0]._views if v.endpoint == "contact")
    statements = []

    def count(*args):
        statements.append(args)

    # One test: a row, a config value, a listener on the engine, a view attribute, the list's caches.
    database.restore(app)
    shared_app.start_test(tmp_path / "first")
    with app.app_context():
        users = db.session.scalar(sa.select(sa.func.count()).select_from(User))
        db.session.add(ClientGroup(name="Left behind"))
        db.session.commit()
        sa.event.listen(db.engine, "before_cursor_execute", count)
    app.config["LEFT_BEHIND"] = True
    contact_view.page_size = 3
    cached_list = contact_view.list_query
    shared_app.restore()

    # The next test.
    database.restore(app)
    shared_app.start_test(tmp_path / "second")
    statements.clear()
    with app.app_context():
        assert db.session.scalars(sa.select(ClientGroup.name).where(ClientGroup.name == "Left behind")).all() == []
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == users
    assert statements == []
    assert "LEFT_BEHIND" not in app.config
    assert contact_view.page_size != 3
    assert contact_view.list_query is not cached_list
    assert app.instance_path == str(tmp_path / "second") == app.config["INSTANCE_PATH"]
    assert (tmp_path / "second").is_dir()

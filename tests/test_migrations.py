"""The migrations build exactly the schema the models describe."""

import os
import uuid

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from domain.passwords import set_user_password
from domain.settings import ensure_reference_data
from models import ClientGroup, Contact, InvoiceGroup, PaymentType, User, db
from storage.change_counters import read_change_counters
from storage.search_index import is_search_index_object
from tests.helpers import SQLiteDatabase, make_app


@pytest.fixture
def empty_database_url(database, tmp_path):
    """A database with no tables at all, on the backend under test."""
    if isinstance(database, SQLiteDatabase):
        yield f"sqlite:///{tmp_path / 'migrated.sqlite'}"
        return
    server = sa.make_url(os.environ["TEST_DATABASE_URL"])
    name = f"ispdesk_migrations_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield server.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


# SQLite's reflection cannot read the unique indexes on lower(name) and says so; on SQLite
# test_migrated_database_refuses_duplicates checks that they exist and work.
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index uq_")
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based index 'uq_")
def test_migrations_and_models_agree(empty_database_url):
    app = make_app(empty_database_url)
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"include_object": is_search_index_object})
            differences = compare_metadata(context, db.metadata)
        db.engine.dispose()
    assert differences == []


def test_upgrade_keeps_data_and_downgrade_removes_everything(empty_database_url):
    app = make_app(empty_database_url)
    with app.app_context():
        upgrade()
        ensure_reference_data()
        user = User(username="keeper", role="admin")
        set_user_password(user, "a-long-password")
        db.session.add(user)
        db.session.commit()
        upgrade()  # a second upgrade is a no-op, never a reset
        assert db.session.query(User).filter_by(username="keeper").count() == 1
        assert db.session.query(PaymentType).count() == 5
        db.session.remove()
        downgrade(revision="base")
        assert sa.inspect(db.engine).get_table_names() == ["alembic_version"]
        db.engine.dispose()


def test_system_payment_types_exist_after_migration(empty_database_url):
    app = make_app(empty_database_url)
    with app.app_context():
        upgrade()
        types = db.session.scalars(sa.select(PaymentType).order_by(PaymentType.position)).all()
        assert [t.system_code for t in types] == [
            "bank_transfer",
            "direct_debit",
            "bulk_payment",
            "postal_order",
            "cash",
        ]
        assert [t.name for t in types if t.is_default] == ["Bank transfer"]
        db.session.remove()
        db.engine.dispose()


def test_migrated_database_counts_changes_for_the_list_caches(empty_database_url):
    app = make_app(empty_database_url)
    with app.app_context():
        upgrade()
        db.session.add(ClientGroup(name="Counted"))
        db.session.commit()
        assert read_change_counters()["code_lists"] == 1
        with db.engine.connect() as connection:  # every counted table kept its trigger(s)
            assert count_triggers(connection) == (7 if connection.dialect.name == "postgresql" else 7 * 3)
        db.session.remove()
        downgrade(revision="0004")
        with db.engine.connect() as connection:
            assert "change_counter" not in sa.inspect(connection).get_table_names()
            if connection.dialect.name == "postgresql":
                assert connection.scalar(sa.text("SELECT count(*) FROM pg_proc WHERE proname = 'count_change'")) == 0
        db.engine.dispose()


def count_triggers(connection) -> int:
    if connection.dialect.name == "postgresql":
        return connection.scalar(sa.text("SELECT count(*) FROM pg_trigger WHERE tgname LIKE '%count_change'"))
    return connection.scalar(
        sa.text("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%count_change'")
    )


def add_row(row) -> None:
    db.session.add(row)
    db.session.commit()


def add_contact(number: int, **fields) -> None:
    """A contact with the fields a row needs, in the first invoice group and the default payment type."""
    db.session.add(
        Contact(
            client_number=number,
            name=fields.pop("name", f"Payer {number}"),
            street="Hlavní 1",
            postcode="110 00",
            city="Praha",
            invoice_group_id=db.session.scalar(sa.select(InvoiceGroup.id)),
            payment_type_id=db.session.scalar(sa.select(PaymentType.id).where(PaymentType.is_default)),
            **fields,
        )
    )
    db.session.commit()


def test_upgrade_sorts_the_names_already_saved_by_czech_rules(empty_database_url):
    """0011 gives existing names the Czech order and builds their indexes again; its downgrade undoes it."""
    app = make_app(empty_database_url)
    with app.app_context():
        upgrade(revision="0010")
        ensure_reference_data()
        db.session.add(InvoiceGroup(name="Main", company_name="Provider"))
        for number, name in enumerate(["Chalupa", "Čapek", "Hrubý", "Cibulka", "Dvořák"], start=1):
            add_contact(number, name=name)
        db.session.remove()
        upgrade(revision="0011")
        listed = sa.select(Contact.name).where(Contact.deleted_at.is_(None)).order_by(Contact.name, Contact.id)
        assert db.session.scalars(listed).all() == ["Cibulka", "Čapek", "Dvořák", "Hrubý", "Chalupa"]
        db.session.remove()
        downgrade(revision="-1")
        names = db.session.scalars(listed).all()  # the database's default order: "Ch" is "C" and "h" again
        assert names.index("Chalupa") < names.index("Cibulka") < names.index("Hrubý")
        db.session.remove()
        db.engine.dispose()


def test_migrated_database_refuses_duplicates(empty_database_url):
    """What the app checks is backed by the migrated database: extra symbols, names whatever the case."""
    app = make_app(empty_database_url)
    with app.app_context():
        upgrade()
        ensure_reference_data()
        db.session.add_all([ClientGroup(name="VIP"), InvoiceGroup(name="Main", company_name="Provider")])
        db.session.commit()
        add_contact(1, extra_vs_1=555, extra_vs_3=777)
        for duplicate in (
            lambda: add_row(ClientGroup(name="vip")),
            lambda: add_row(InvoiceGroup(name="MAIN", company_name="Other")),
            lambda: add_row(PaymentType(name="CASH")),
            lambda: add_contact(2, extra_vs_1=555),
            lambda: add_contact(3, extra_vs_3=777),
        ):
            with pytest.raises(sa.exc.IntegrityError):
                duplicate()
            db.session.rollback()
        add_contact(4, extra_vs_2=555)  # another column: the app's check, not an index, refuses it
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ClientGroup)) == 1
        db.session.remove()
        db.engine.dispose()


def test_upgrade_stops_on_existing_duplicates_and_lists_them(empty_database_url, capfd):
    app = make_app(empty_database_url)
    with app.app_context():
        upgrade(revision="0007")
        # Written through today's models, so only to tables 0007 already has as they are now (migration
        # 0002 added the reference data; `setting` has grown since).
        db.session.add_all(
            [ClientGroup(name="VIP"), ClientGroup(name="vip"), InvoiceGroup(name="Main", company_name="Provider")]
        )
        db.session.commit()
        add_contact(1001, extra_vs_2=4242)
        add_contact(1002, extra_vs_2=4242)
        add_contact(1003, extra_vs_1=4242)  # another column: no index refuses it
        with pytest.raises(SystemExit):
            upgrade()  # `flask db upgrade` prints the error and exits
        printed = capfd.readouterr().err
        assert "contact.extra_vs_2 = 4242: contacts 1001 (Payer 1001), 1002 (Payer 1002)" in printed
        assert "client_group.name: “VIP” (id 1), “vip” (id 2)" in printed
        assert "4242: contacts 1003" not in printed and "nothing was changed" in printed
        assert db.session.scalar(sa.text("SELECT version_num FROM alembic_version")) == "0007"
        assert db.session.scalars(sa.select(Contact.client_number).where(Contact.extra_vs_2 == 4242)).all() == [
            1001,
            1002,
        ]
        # Fixed in the panel, the upgrade goes through.
        db.session.execute(sa.update(Contact).where(Contact.client_number == 1002).values(extra_vs_2=4343))
        db.session.execute(sa.update(ClientGroup).where(ClientGroup.name == "vip").values(name="VIP 2"))
        db.session.commit()
        db.session.remove()
        upgrade()
        assert db.session.scalar(sa.text("SELECT version_num FROM alembic_version")) >= "0008"
        db.session.remove()
        db.engine.dispose()

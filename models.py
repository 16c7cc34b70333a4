"""The ISPdesk data model, grouped by area: tables, columns, relationships and small properties.

The rules that act on it are in `domain/`; engine hooks, the search index and the change
counters in `storage/`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import lazy_gettext
from flask_login import UserMixin
from flask_sqlalchemy import SQLAlchemy

# Named constraints let Alembic alter SQLite tables (batch mode) and keep migrations stable.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(so.DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)

# The largest number a bank accepts as a variable symbol (10 digits).
MAX_VARIABLE_SYMBOL = 9_999_999_999
# The largest row id: every primary key is an INTEGER, which PostgreSQL keeps in 32 bits.
MAX_ROW_ID = 2**31 - 1


# A column's `info` marking an amount of money in CZK (shown as `1 450,50 Kč`).
MONEY = {"money": True}


# Names, streets and cities sort by Czech rules ("Č" after "C", "Ch" after "H"): PostgreSQL's ICU
# collation; SQLite gets the same rules under the same name on every connection (storage/engine.py).
CZECH = "cs-x-icu"


def czech_text(length: int) -> sa.String:
    """A text column that sorts, and is indexed, in Czech order."""
    return sa.String(length, collation=CZECH)


def one_of(column: str, values: tuple[str, ...]) -> str:
    """A CHECK condition: `column` holds one of `values`."""
    return f"{column} IN ({', '.join(repr(value) for value in values)})"


def utcnow() -> datetime:
    """Current time in UTC, timezone-aware."""
    return datetime.now(UTC)


def fk(target: str, ondelete: str = "RESTRICT", index: bool = True, **kwargs) -> so.MappedColumn:
    """An indexed foreign key column (unless a wider index serves it); deleting a referenced row
    is refused unless said otherwise."""
    return so.mapped_column(sa.ForeignKey(target, ondelete=ondelete), index=index, **kwargs)


# --- Staff users ---------------------------------------------------------------------------

ROLES = ("admin", "staff")
# The interface's languages (i18n/selection.py).
LANGUAGES = ("cs", "en")


class User(UserMixin, db.Model):
    """A member of the provider's staff who logs in to the admin panel."""

    __tablename__ = "user"
    __table_args__ = (
        sa.CheckConstraint(one_of("role", ROLES), name="role"),
        sa.CheckConstraint(f"language IS NULL OR {one_of('language', LANGUAGES)}", name="language"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    username: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    full_name: so.Mapped[str] = so.mapped_column(czech_text(120), default="")
    email: so.Mapped[str | None] = so.mapped_column(sa.String(254))
    role: so.Mapped[str] = so.mapped_column(sa.String(10), default="staff")
    password_hash: so.Mapped[str] = so.mapped_column(sa.String(256))
    active: so.Mapped[bool] = so.mapped_column(default=True)
    # The invoice group this user chose last; pre-selected on the next new contact.
    last_invoice_group_id: so.Mapped[int | None] = fk("invoice_group.id", ondelete="SET NULL")
    created_at: so.Mapped[datetime] = so.mapped_column(sa.DateTime(timezone=True), default=utcnow)
    last_login_at: so.Mapped[datetime | None] = so.mapped_column(sa.DateTime(timezone=True))
    # The language chosen with the switch; None: the browser's.
    language: so.Mapped[str | None] = so.mapped_column(sa.String(2))
    # What the user chose to see (domain/preferences.py): the list's columns, the form's folded sections.
    preferences: so.Mapped[dict] = so.mapped_column(sa.JSON, default=dict)

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_id(self) -> str:
        # Staff and portal clients share one login manager; the prefix keeps them apart.
        return f"staff:{self.id}"

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


# --- Logins ------------------------------------------------------------------------------


class LoginSession(db.Model):
    """A login of a staff user or a portal client, held on the server (auth/sessions.py).

    The signed cookie carries only the random token: a copied cookie stops working once the
    row is ended (logout, a password change) or has timed out.
    """

    __tablename__ = "login_session"
    __table_args__ = (sa.CheckConstraint("(user_id IS NULL) <> (contact_id IS NULL)", name="one_holder"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    token: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    user_id: so.Mapped[int | None] = fk("user.id", ondelete="CASCADE")
    contact_id: so.Mapped[int | None] = fk("contact.id", ondelete="CASCADE")
    created_at: so.Mapped[datetime] = so.mapped_column(sa.DateTime(timezone=True), default=utcnow)
    last_seen_at: so.Mapped[datetime] = so.mapped_column(sa.DateTime(timezone=True), default=utcnow, index=True)
    ended_at: so.Mapped[datetime | None] = so.mapped_column(sa.DateTime(timezone=True))


class LoginFailure(db.Model):
    """Wrong passwords counted under one key (an account, an address, or the pair), for the throttle.

    The key is a hash, so what someone typed as a login name is not kept in the clear.
    """

    __tablename__ = "login_failure"

    key: so.Mapped[str] = so.mapped_column(sa.String(64), primary_key=True)
    count: so.Mapped[int] = so.mapped_column(default=0)
    # Seconds since the epoch of the last failure: the wait and the reset count from it.
    last_at: so.Mapped[float] = so.mapped_column(sa.Float, index=True)


# --- Settings ------------------------------------------------------------------------------

# The bounds (lowest, highest) an administrator may set the session timeouts to.
SESSION_IDLE_MINUTES = (5, 1440)
SESSION_LIFETIME_HOURS = (1, 168)
DEFAULT_TIME_ZONE = "Europe/Prague"


class Setting(db.Model):
    """The provider's global settings: a single row with id 1."""

    __tablename__ = "setting"
    __table_args__ = (
        sa.CheckConstraint("id = 1", name="single_row"),
        sa.CheckConstraint("client_number_mode IN ('manual', 'automatic')", name="client_number_mode"),
        sa.CheckConstraint("default_due_days >= 0", name="default_due_days"),
        sa.CheckConstraint("min_search_length BETWEEN 1 AND 20", name="min_search_length"),
        sa.CheckConstraint(
            f"session_idle_minutes BETWEEN {SESSION_IDLE_MINUTES[0]} AND {SESSION_IDLE_MINUTES[1]}",
            name="session_idle_minutes",
        ),
        sa.CheckConstraint(
            f"session_lifetime_hours BETWEEN {SESSION_LIFETIME_HOURS[0]} AND {SESSION_LIFETIME_HOURS[1]}",
            name="session_lifetime_hours",
        ),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True, default=1)
    client_number_mode: so.Mapped[str] = so.mapped_column(sa.String(10), default="manual")
    # The client number issued last; the next offered is the lowest unused one above it.
    last_client_number: so.Mapped[int] = so.mapped_column(sa.BigInteger, default=0)
    default_country: so.Mapped[str] = so.mapped_column(sa.String(2), default="CZ")
    default_due_days: so.Mapped[int] = so.mapped_column(default=14)
    min_search_length: so.Mapped[int] = so.mapped_column(default=2)
    # A login session ends after this long without a request, and this long after the login.
    session_idle_minutes: so.Mapped[int] = so.mapped_column(default=30)
    session_lifetime_hours: so.Mapped[int] = so.mapped_column(default=12)
    # Times are stored in UTC and shown in this zone (an IANA name).
    time_zone: so.Mapped[str] = so.mapped_column(sa.String(64), default=DEFAULT_TIME_ZONE)

    def __str__(self) -> str:
        return "Settings"


# --- Code lists ----------------------------------------------------------------------------


class CodeListMixin:
    """Columns every code list shares: a unique name, an order and a hidden flag."""

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    name: so.Mapped[str] = so.mapped_column(czech_text(64), unique=True)
    position: so.Mapped[int] = so.mapped_column(default=0, index=True)
    hidden: so.Mapped[bool] = so.mapped_column(default=False)

    def __str__(self) -> str:
        return self.name


class ClientGroup(CodeListMixin, db.Model):
    """A group of contacts, e.g. VIP or company employees."""

    __tablename__ = "client_group"
    description: so.Mapped[str] = so.mapped_column(sa.Text, default="")


class ClientStatus(CodeListMixin, db.Model):
    """A contact's status with the colour its rows get in the contacts list."""

    __tablename__ = "client_status"
    __table_args__ = (sa.CheckConstraint("report_days IS NULL OR report_days >= 1", name="report_days"),)

    colour: so.Mapped[str | None] = so.mapped_column(sa.String(7))
    report_email: so.Mapped[str | None] = so.mapped_column(sa.String(254))
    report_days: so.Mapped[int | None] = so.mapped_column()


class Location(CodeListMixin, db.Model):
    """A router location a contact is served from."""

    __tablename__ = "location"
    description: so.Mapped[str] = so.mapped_column(sa.Text, default="")


class ServiceType(CodeListMixin, db.Model):
    """A kind of service the provider sells (Internet, CATV, VoIP, ...)."""

    __tablename__ = "service_type"
    description: so.Mapped[str] = so.mapped_column(sa.Text, default="")


# The five payment types every installation has, by their codes, in the user's language.
SYSTEM_PAYMENT_TYPE_NAMES = {
    "bank_transfer": lazy_gettext("Bank transfer"),
    "direct_debit": lazy_gettext("Direct debit"),
    "bulk_payment": lazy_gettext("Bulk payment"),
    "postal_order": lazy_gettext("Postal order"),
    "cash": lazy_gettext("Cash"),
}


class PaymentType(CodeListMixin, db.Model):
    """How a contact pays; system types are protected and one type is the default."""

    __tablename__ = "payment_type"
    __table_args__ = (
        # At most one default, enforced by the database (a partial unique index).
        sa.Index(
            "uq_payment_type_default",
            "is_default",
            unique=True,
            sqlite_where=sa.text("is_default"),
            postgresql_where=sa.text("is_default"),
        ),
    )

    system_code: so.Mapped[str | None] = so.mapped_column(sa.String(20), unique=True)
    is_default: so.Mapped[bool] = so.mapped_column(default=False)

    def __str__(self) -> str:
        # A system type cannot be renamed: it is named in the user's language, not as stored.
        return str(SYSTEM_PAYMENT_TYPE_NAMES.get(self.system_code, self.name))

    @property
    def is_system(self) -> bool:
        return self.system_code is not None


# --- Invoicing -----------------------------------------------------------------------------


class InvoiceGroup(db.Model):
    """One of the provider's invoicing companies, with its own number series."""

    __tablename__ = "invoice_group"
    __table_args__ = (
        sa.CheckConstraint("next_number >= 1", name="next_number"),
        sa.CheckConstraint("number_digits BETWEEN 1 AND 10", name="number_digits"),
        sa.CheckConstraint("due_days >= 0", name="due_days"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    name: so.Mapped[str] = so.mapped_column(czech_text(64), unique=True)
    company_name: so.Mapped[str] = so.mapped_column(sa.String(200))
    company_id: so.Mapped[str | None] = so.mapped_column(sa.String(20))
    vat_id: so.Mapped[str | None] = so.mapped_column(sa.String(20))
    street: so.Mapped[str] = so.mapped_column(sa.String(200), default="")
    city: so.Mapped[str] = so.mapped_column(sa.String(100), default="")
    postcode: so.Mapped[str] = so.mapped_column(sa.String(10), default="")
    country: so.Mapped[str] = so.mapped_column(sa.String(2), default="CZ")
    email: so.Mapped[str | None] = so.mapped_column(sa.String(254))
    phone: so.Mapped[str | None] = so.mapped_column(sa.String(20))
    web: so.Mapped[str | None] = so.mapped_column(sa.String(255))
    currency: so.Mapped[str] = so.mapped_column(sa.String(3), default="CZK")
    vat_payer: so.Mapped[bool] = so.mapped_column(default=True)
    bank_account: so.Mapped[str | None] = so.mapped_column(sa.String(30))
    iban: so.Mapped[str | None] = so.mapped_column(sa.String(34))
    bic: so.Mapped[str | None] = so.mapped_column(sa.String(11))
    series_prefix: so.Mapped[str] = so.mapped_column(sa.String(10), default="")
    next_number: so.Mapped[int] = so.mapped_column(sa.BigInteger, default=1)
    number_digits: so.Mapped[int] = so.mapped_column(default=6)
    due_days: so.Mapped[int] = so.mapped_column(default=14)
    logo_path: so.Mapped[str | None] = so.mapped_column(sa.String(255))
    stamp_path: so.Mapped[str | None] = so.mapped_column(sa.String(255))
    footer: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    hidden: so.Mapped[bool] = so.mapped_column(default=False)

    def __str__(self) -> str:
        return self.name

    def format_invoice_number(self, number: int) -> str:
        return f"{self.series_prefix}{number:0{self.number_digits}d}"

    @property
    def next_invoice_preview(self) -> str:
        """The number the series will issue next, e.g. 2026000042."""
        return self.format_invoice_number(self.next_number)


# Code-list and invoice-group names are unique whatever the case ("VIP" and "vip" are one
# group): the app compares lower(name) (domain/code_lists.py) and this index settles a race.
# On SQLite lower() is Python's (storage/engine.py), so "Č" and "č" are one name there too.
# SQLite's reflection skips expression indexes: a batch migration of these tables must create
# the index again.
NAMED_CODE_LISTS = (ClientGroup, ClientStatus, Location, ServiceType, PaymentType, InvoiceGroup)
for _model in NAMED_CODE_LISTS:
    sa.Index(f"uq_{_model.__tablename__}_name_lower", sa.func.lower(_model.__table__.c.name), unique=True)


# --- CATV network --------------------------------------------------------------------------


class City(db.Model):
    """A city with CATV wiring."""

    __tablename__ = "city"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    name: so.Mapped[str] = so.mapped_column(czech_text(100), unique=True)

    def __str__(self) -> str:
        return self.name


class Street(db.Model):
    """A street of a city."""

    __tablename__ = "street"
    __table_args__ = (sa.UniqueConstraint("city_id", "name"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    city_id: so.Mapped[int] = fk("city.id")
    name: so.Mapped[str] = so.mapped_column(czech_text(100), index=True)
    city: so.Mapped[City] = so.relationship()

    def __str__(self) -> str:
        return self.name


class Building(db.Model):
    """A building on a street, with its number of floors."""

    __tablename__ = "building"
    __table_args__ = (
        sa.UniqueConstraint("street_id", "number"),
        sa.CheckConstraint("floors BETWEEN 1 AND 200", name="floors"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    street_id: so.Mapped[int] = fk("street.id")
    number: so.Mapped[str] = so.mapped_column(sa.String(20))
    name: so.Mapped[str] = so.mapped_column(czech_text(100), default="")
    floors: so.Mapped[int] = so.mapped_column(default=1)
    note: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    street: so.Mapped[Street] = so.relationship()

    def __str__(self) -> str:
        return self.number


class Switchboard(db.Model):
    """A distribution frame in a building, at one of eight positions."""

    __tablename__ = "switchboard"
    __table_args__ = (
        sa.UniqueConstraint("building_id", "name"),
        sa.UniqueConstraint("building_id", "position"),
        sa.CheckConstraint("position BETWEEN 1 AND 8", name="position"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    building_id: so.Mapped[int] = fk("building.id")
    name: so.Mapped[str] = so.mapped_column(sa.String(20))
    position: so.Mapped[int] = so.mapped_column()
    building: so.Mapped[Building] = so.relationship()

    def __str__(self) -> str:
        return self.name


class Socket(db.Model):
    """A CATV socket: the cable from a switchboard to one flat."""

    __tablename__ = "socket"
    __table_args__ = (
        sa.UniqueConstraint("switchboard_id", "label"),
        sa.CheckConstraint("floor >= 0", name="floor"),
        sa.Index("ix_socket_list_label", "label", "id"),  # the sockets list's order
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    switchboard_id: so.Mapped[int] = fk("switchboard.id")
    floor: so.Mapped[int] = so.mapped_column()
    label: so.Mapped[str] = so.mapped_column(sa.String(20))
    switchboard: so.Mapped[Switchboard] = so.relationship()

    def __str__(self) -> str:
        return self.label


class SocketAssignment(db.Model):
    """One period during which a contact held a socket; `released_at` is empty while it lasts."""

    __tablename__ = "socket_assignment"
    __table_args__ = (
        sa.CheckConstraint("released_at IS NULL OR released_at >= assigned_at", name="period"),
        sa.Index("ix_socket_assignment_list_assigned_at", "assigned_at", "id"),  # the socket history's order
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    socket_id: so.Mapped[int] = fk("socket.id")
    contact_id: so.Mapped[int] = fk("contact.id")
    assigned_at: so.Mapped[datetime] = so.mapped_column(sa.DateTime(timezone=True), default=utcnow)
    released_at: so.Mapped[datetime | None] = so.mapped_column(sa.DateTime(timezone=True))
    assigned_by_id: so.Mapped[int | None] = fk("user.id", ondelete="SET NULL")
    released_by_id: so.Mapped[int | None] = fk("user.id", ondelete="SET NULL")
    socket: so.Mapped[Socket] = so.relationship()
    contact: so.Mapped[Contact] = so.relationship()
    assigned_by: so.Mapped[User | None] = so.relationship(foreign_keys=[assigned_by_id])
    released_by: so.Mapped[User | None] = so.relationship(foreign_keys=[released_by_id])

    def __str__(self) -> str:
        return f"{self.socket_id} / {self.contact_id}"


# --- Contacts ------------------------------------------------------------------------------

SUSPEND_MODES = ("global", "individual", "never")


# The contacts list's sortable columns of the contact table itself, each with an index.
LIST_ORDER_COLUMNS = ("client_number", "name", "company_name", "city", "street", "phone", "email")
# The list's code-list filters.
LIST_FILTER_COLUMNS = ("client_group_id", "client_status_id", "location_id", "invoice_group_id", "payment_type_id")


class Contact(db.Model):
    """A person or company in the register; a client once it has a service that is not ended."""

    __tablename__ = "contact"
    __table_args__ = (
        sa.CheckConstraint(f"client_number BETWEEN 1 AND {MAX_VARIABLE_SYMBOL}", name="client_number"),
        sa.CheckConstraint("invoicing_day BETWEEN 1 AND 28", name="invoicing_day"),
        sa.CheckConstraint("due_days >= 0", name="due_days"),
        sa.CheckConstraint(one_of("suspend_mode", SUSPEND_MODES), name="suspend_mode"),
        sa.CheckConstraint("suspend_min_amount IS NULL OR suspend_min_amount >= 0", name="suspend_min_amount"),
        sa.CheckConstraint("suspend_days_after_due IS NULL OR suspend_days_after_due >= 0", name="suspend_days"),
        sa.CheckConstraint("gps_lat IS NULL OR gps_lat BETWEEN -90 AND 90", name="gps_lat"),
        sa.CheckConstraint("gps_lon IS NULL OR gps_lon BETWEEN -180 AND 180", name="gps_lon"),
        sa.CheckConstraint("install_gps_lat IS NULL OR install_gps_lat BETWEEN -90 AND 90", name="install_gps_lat"),
        sa.CheckConstraint("install_gps_lon IS NULL OR install_gps_lon BETWEEN -180 AND 180", name="install_gps_lon"),
        # Only the few deleted contacts are indexed (the deleted contacts list): over every
        # contact's empty deleted_at it would tempt SQLite's planner away from the index a query
        # needs. A `deleted_at IS NULL` condition cannot use it; the list indexes below carry it.
        sa.Index(
            "ix_contact_deleted_partial",
            "deleted_at",
            sqlite_where=sa.text("deleted_at IS NOT NULL"),
            postgresql_where=sa.text("deleted_at IS NOT NULL"),
        ),
        # The list's orders: (column, id) over the contacts not deleted, so that any page of a
        # sorted list is read from the index alone (page 500 walks 25,000 index entries, no rows).
        *(
            sa.Index(
                f"ix_contact_list_{column}",
                column,
                "id",
                sqlite_where=sa.text("deleted_at IS NULL"),
                postgresql_where=sa.text("deleted_at IS NULL"),
            )
            for column in LIST_ORDER_COLUMNS
        ),
        # A code-list filter in the list's default order (by name), and a sort by a code list
        # (admin_views/contacts/list_query.py), read their pages from the index alone, deleted_at included;
        # the index also serves the foreign key (usage counts, the in-use check).
        *(sa.Index(f"ix_contact_{column}_name", column, "name", "id", "deleted_at") for column in LIST_FILTER_COLUMNS),
        # No two contacts pay with the same extra variable symbol column by column. That a symbol
        # also differs from the other columns and every client number is the app's check, made
        # after taking the numbering lock (domain/client_numbers.py). Indexes here, not
        # unique=True on the columns: Flask-Admin would add its own "Already exists." check in
        # front of the domain's, which names the other contact.
        *(sa.Index(f"ix_contact_extra_vs_{n}", f"extra_vs_{n}", unique=True) for n in (1, 2, 3)),
        # A socket serves at most one contact that is not deleted.
        sa.Index(
            "uq_contact_socket_id_active",
            "socket_id",
            unique=True,
            sqlite_where=sa.text("deleted_at IS NULL"),
            postgresql_where=sa.text("deleted_at IS NULL"),
        ),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    # Basic data. The client number is also the variable symbol and the default portal login.
    client_number: so.Mapped[int] = so.mapped_column(sa.BigInteger, unique=True)
    name: so.Mapped[str] = so.mapped_column(czech_text(200), index=True)
    is_corporate: so.Mapped[bool] = so.mapped_column(default=False, index=True)
    company_name: so.Mapped[str | None] = so.mapped_column(czech_text(200), index=True)
    contact_person: so.Mapped[str | None] = so.mapped_column(czech_text(200))

    # Mailing address.
    street: so.Mapped[str] = so.mapped_column(czech_text(200), index=True)
    postcode: so.Mapped[str] = so.mapped_column(sa.String(10))
    city: so.Mapped[str] = so.mapped_column(czech_text(100), index=True)
    country: so.Mapped[str] = so.mapped_column(sa.String(2), default="CZ")
    gps_lat: so.Mapped[Decimal | None] = so.mapped_column(sa.Numeric(9, 6))
    gps_lon: so.Mapped[Decimal | None] = so.mapped_column(sa.Numeric(9, 6))
    floor: so.Mapped[str | None] = so.mapped_column(sa.String(16))
    flat: so.Mapped[str | None] = so.mapped_column(sa.String(16))

    # Installation address, when it differs from the mailing address.
    has_different_address: so.Mapped[bool] = so.mapped_column(default=False)
    install_street: so.Mapped[str | None] = so.mapped_column(czech_text(200))
    install_postcode: so.Mapped[str | None] = so.mapped_column(sa.String(10))
    install_city: so.Mapped[str | None] = so.mapped_column(czech_text(100))
    install_country: so.Mapped[str | None] = so.mapped_column(sa.String(2))
    install_gps_lat: so.Mapped[Decimal | None] = so.mapped_column(sa.Numeric(9, 6))
    install_gps_lon: so.Mapped[Decimal | None] = so.mapped_column(sa.Numeric(9, 6))
    install_floor: so.Mapped[str | None] = so.mapped_column(sa.String(16))
    install_flat: so.Mapped[str | None] = so.mapped_column(sa.String(16))

    # CATV access line: only the socket is stored; its chain gives city, street, building.
    socket_id: so.Mapped[int | None] = fk("socket.id")

    # Identification.
    id_number: so.Mapped[str | None] = so.mapped_column(sa.String(32), index=True)
    birth_date: so.Mapped[date | None] = so.mapped_column(sa.Date)
    company_id: so.Mapped[str | None] = so.mapped_column(sa.String(20), index=True)
    vat_id: so.Mapped[str | None] = so.mapped_column(sa.String(20))

    # Contact. E-mail fields may hold several addresses separated by "," or ";".
    email: so.Mapped[str | None] = so.mapped_column(sa.String(500), index=True)
    invoice_email: so.Mapped[str | None] = so.mapped_column(sa.String(500))
    tech_email: so.Mapped[str | None] = so.mapped_column(sa.String(500))
    business_email: so.Mapped[str | None] = so.mapped_column(sa.String(500))
    # Phones are stored in E.164 form (+420601123456).
    phone: so.Mapped[str | None] = so.mapped_column(sa.String(20), index=True)
    mobile: so.Mapped[str | None] = so.mapped_column(sa.String(20), index=True)
    fax: so.Mapped[str | None] = so.mapped_column(sa.String(20))
    www: so.Mapped[str | None] = so.mapped_column(sa.String(255))

    # Flags.
    is_marked: so.Mapped[bool] = so.mapped_column(default=False, index=True)
    marked_reason: so.Mapped[str | None] = so.mapped_column(sa.Text)
    no_bulk_email: so.Mapped[bool] = so.mapped_column(default=False)
    show_info_messages: so.Mapped[bool] = so.mapped_column(default=True)

    # Client portal. Only a hash of the password is ever stored.
    portal_login: so.Mapped[str | None] = so.mapped_column(sa.String(64), unique=True)
    portal_password_hash: so.Mapped[str | None] = so.mapped_column(sa.String(256))
    portal_enabled: so.Mapped[bool] = so.mapped_column(default=True)

    # Classification.
    client_group_id: so.Mapped[int | None] = fk("client_group.id", index=False)
    client_status_id: so.Mapped[int | None] = fk("client_status.id", index=False)
    status_changed_at: so.Mapped[datetime | None] = so.mapped_column(sa.DateTime(timezone=True))
    location_id: so.Mapped[int | None] = fk("location.id", index=False)

    # Internal notes, available to message templates as $CLI_INTERNAL_NOTE_1$ and _2$.
    internal_note_1: so.Mapped[str | None] = so.mapped_column(sa.Text)
    internal_note_2: so.Mapped[str | None] = so.mapped_column(sa.Text)

    # Invoicing.
    invoice_by_post: so.Mapped[bool] = so.mapped_column(default=False)
    invoice_by_email: so.Mapped[bool] = so.mapped_column(default=True)
    no_auto_reminders: so.Mapped[bool] = so.mapped_column(default=False)
    issue_proforma: so.Mapped[bool] = so.mapped_column(default=False)
    bank_account: so.Mapped[str | None] = so.mapped_column(sa.String(30))
    iban: so.Mapped[str | None] = so.mapped_column(sa.String(34))
    bic: so.Mapped[str | None] = so.mapped_column(sa.String(11))
    opening_balance: so.Mapped[Decimal] = so.mapped_column(sa.Numeric(12, 2), default=Decimal(0), info=MONEY)
    contract_returned: so.Mapped[bool] = so.mapped_column(default=False)
    invoice_group_id: so.Mapped[int] = fk("invoice_group.id", index=False)
    payment_type_id: so.Mapped[int] = fk("payment_type.id", index=False)
    bulk_payment_number: so.Mapped[str | None] = so.mapped_column(sa.String(20))
    invoicing_day: so.Mapped[int] = so.mapped_column(sa.SmallInteger, default=1)
    due_days: so.Mapped[int] = so.mapped_column(default=14)
    suspend_mode: so.Mapped[str] = so.mapped_column(sa.String(10), default="global")
    suspend_min_amount: so.Mapped[Decimal | None] = so.mapped_column(sa.Numeric(12, 2), info=MONEY)
    suspend_days_after_due: so.Mapped[int | None] = so.mapped_column()
    # Variable symbols the client pays with besides its client number (each column unique: see
    # the indexes above).
    extra_vs_1: so.Mapped[int | None] = so.mapped_column(sa.BigInteger)
    extra_vs_2: so.Mapped[int | None] = so.mapped_column(sa.BigInteger)
    extra_vs_3: so.Mapped[int | None] = so.mapped_column(sa.BigInteger)
    hide_overdue: so.Mapped[bool] = so.mapped_column(default=False)
    no_payment_notifications: so.Mapped[bool] = so.mapped_column(default=False)

    # Bookkeeping.
    created_at: so.Mapped[datetime] = so.mapped_column(sa.DateTime(timezone=True), default=utcnow, index=True)
    updated_at: so.Mapped[datetime] = so.mapped_column(sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    deleted_at: so.Mapped[datetime | None] = so.mapped_column(sa.DateTime(timezone=True))
    deleted_by_id: so.Mapped[int | None] = fk("user.id", ondelete="SET NULL")
    # Optimistic locking: SQLAlchemy refuses an UPDATE whose version no longer matches.
    version: so.Mapped[int] = so.mapped_column(default=1)
    # Lower-case, accent-free copy of the searchable fields, kept up to date on every flush.
    search_text: so.Mapped[str] = so.mapped_column(sa.Text, default="")

    socket: so.Mapped[Socket | None] = so.relationship()
    client_group: so.Mapped[ClientGroup | None] = so.relationship()
    client_status: so.Mapped[ClientStatus | None] = so.relationship()
    location: so.Mapped[Location | None] = so.relationship()
    invoice_group: so.Mapped[InvoiceGroup] = so.relationship()
    payment_type: so.Mapped[PaymentType] = so.relationship()
    persons: so.Mapped[list[ContactPerson]] = so.relationship(
        back_populates="contact", cascade="all, delete-orphan", order_by="ContactPerson.id"
    )
    notes: so.Mapped[list[Note]] = so.relationship(
        back_populates="contact", cascade="all, delete-orphan", order_by="Note.created_at"
    )
    services: so.Mapped[list[Service]] = so.relationship(back_populates="contact", order_by="Service.id")

    __mapper_args__ = {"version_id_col": version}

    def __str__(self) -> str:
        return f"{self.client_number} {self.name}"

    @property
    def gps(self) -> tuple[Decimal, Decimal] | None:
        return None if self.gps_lat is None else (self.gps_lat, self.gps_lon)

    @gps.setter
    def gps(self, value: tuple[Decimal, Decimal] | None) -> None:
        self.gps_lat, self.gps_lon = value or (None, None)

    @property
    def install_gps(self) -> tuple[Decimal, Decimal] | None:
        return None if self.install_gps_lat is None else (self.install_gps_lat, self.install_gps_lon)

    @install_gps.setter
    def install_gps(self, value: tuple[Decimal, Decimal] | None) -> None:
        self.install_gps_lat, self.install_gps_lon = value or (None, None)

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    def searchable_values(self) -> tuple:
        """The values the contacts list's search box looks through."""
        return (
            self.client_number,
            self.name,
            self.company_name,
            self.contact_person,
            self.street,
            self.city,
            self.postcode,
            self.install_street,
            self.install_city,
            self.email,
            self.invoice_email,
            self.tech_email,
            self.business_email,
            self.phone,
            self.mobile,
            self.fax,
            self.id_number,
            self.company_id,
            self.vat_id,
            self.extra_vs_1,
            self.extra_vs_2,
            self.extra_vs_3,
            self.internal_note_1,
            self.internal_note_2,
        )


class ContactPerson(db.Model):
    """Someone who may be contacted in a contact's stead."""

    __tablename__ = "contact_person"
    __table_args__ = (sa.Index("ix_contact_person_list_name", "name", "id"),)  # the contact persons list's order

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    contact_id: so.Mapped[int] = fk("contact.id", ondelete="CASCADE")
    name: so.Mapped[str] = so.mapped_column(czech_text(200))
    role: so.Mapped[str | None] = so.mapped_column(sa.String(100))
    email: so.Mapped[str | None] = so.mapped_column(sa.String(254))
    phone: so.Mapped[str | None] = so.mapped_column(sa.String(20))
    contact: so.Mapped[Contact] = so.relationship(back_populates="persons")

    def __str__(self) -> str:
        return self.name


class Note(db.Model):
    """A staff-only note on a contact; never shown in the portal."""

    __tablename__ = "note"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    contact_id: so.Mapped[int] = fk("contact.id", ondelete="CASCADE")
    author_id: so.Mapped[int | None] = fk("user.id", ondelete="SET NULL")
    created_at: so.Mapped[datetime] = so.mapped_column(sa.DateTime(timezone=True), default=utcnow, index=True)
    text: so.Mapped[str] = so.mapped_column(sa.Text)
    contact: so.Mapped[Contact] = so.relationship(back_populates="notes")
    author: so.Mapped[User | None] = so.relationship()

    def __str__(self) -> str:
        return self.text[:40]


# --- Services ------------------------------------------------------------------------------

SERVICE_STATES = ("active", "suspended", "ended")


class Service(db.Model):
    """A service a contact buys; any service that is not ended makes the contact a client."""

    __tablename__ = "service"
    __table_args__ = (
        sa.CheckConstraint(one_of("state", SERVICE_STATES), name="state"),
        sa.CheckConstraint("price >= 0", name="price"),
        sa.CheckConstraint("end_date IS NULL OR end_date >= start_date", name="period"),
        sa.CheckConstraint(
            "suspended_to IS NULL OR suspended_from IS NULL OR suspended_to >= suspended_from",
            name="suspension_period",
        ),
        sa.Index("ix_service_list_start_date", "start_date", "id"),  # the services list's order
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    contact_id: so.Mapped[int] = fk("contact.id")
    service_type_id: so.Mapped[int] = fk("service_type.id")
    tariff_name: so.Mapped[str] = so.mapped_column(czech_text(100))
    price: so.Mapped[Decimal] = so.mapped_column(sa.Numeric(10, 2), default=Decimal(0), info=MONEY)
    start_date: so.Mapped[date] = so.mapped_column(sa.Date, default=date.today)
    end_date: so.Mapped[date | None] = so.mapped_column(sa.Date)
    state: so.Mapped[str] = so.mapped_column(sa.String(10), default="active", index=True)
    suspend_reason: so.Mapped[str | None] = so.mapped_column(sa.String(200))
    suspended_from: so.Mapped[date | None] = so.mapped_column(sa.Date)
    suspended_to: so.Mapped[date | None] = so.mapped_column(sa.Date)
    created_at: so.Mapped[datetime] = so.mapped_column(sa.DateTime(timezone=True), default=utcnow)
    contact: so.Mapped[Contact] = so.relationship(back_populates="services")
    service_type: so.Mapped[ServiceType] = so.relationship()

    def __str__(self) -> str:
        return self.tariff_name


# A contact is a client while it has a service that is not ended: derived here, never stored,
# so it cannot drift from the services. An indexed EXISTS per row.
# correlate_except: the service table stays inside the EXISTS even when a query also reads services.
# Deferred: loading a contact does not need them; the list's flat query selects them with its rows.
Contact.is_client = so.column_property(
    sa.exists().where(Service.contact_id == Contact.id, Service.state != "ended").correlate_except(Service),
    deferred=True,
)
Contact.has_suspended_service = so.column_property(
    sa.exists().where(Service.contact_id == Contact.id, Service.state == "suspended").correlate_except(Service),
    deferred=True,
)


# --- History -------------------------------------------------------------------------------


class ChangeLog(db.Model):
    """One change of a contact: who, when, what, and each field's old and new value."""

    __tablename__ = "change_log"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    contact_id: so.Mapped[int] = fk("contact.id", ondelete="CASCADE")
    user_id: so.Mapped[int | None] = fk("user.id", ondelete="SET NULL")
    # Who acted: a staff user, the client in the portal, or the system.
    actor: so.Mapped[str] = so.mapped_column(sa.String(10), default="staff")
    created_at: so.Mapped[datetime] = so.mapped_column(sa.DateTime(timezone=True), default=utcnow, index=True)
    action: so.Mapped[str] = so.mapped_column(sa.String(30))
    # {"field": {"old": ..., "new": ...}, ...}
    changes: so.Mapped[dict] = so.mapped_column(sa.JSON, default=dict)
    contact: so.Mapped[Contact] = so.relationship()
    user: so.Mapped[User | None] = so.relationship()

    def __str__(self) -> str:
        return f"{self.action} {self.created_at:%Y-%m-%d %H:%M}"


# --- Info messages -------------------------------------------------------------------------


class InfoMessage(db.Model):
    """A message for clients in the portal, shown within its validity to its audience."""

    __tablename__ = "info_message"
    __table_args__ = (
        sa.CheckConstraint("audience IN ('all', 'group', 'status')", name="audience"),
        sa.CheckConstraint("valid_to IS NULL OR valid_from IS NULL OR valid_to >= valid_from", name="validity"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    title: so.Mapped[str] = so.mapped_column(sa.String(200))
    body: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    valid_from: so.Mapped[date | None] = so.mapped_column(sa.Date)
    valid_to: so.Mapped[date | None] = so.mapped_column(sa.Date)
    audience: so.Mapped[str] = so.mapped_column(sa.String(10), default="all")
    client_group_id: so.Mapped[int | None] = fk("client_group.id")
    client_status_id: so.Mapped[int | None] = fk("client_status.id")
    shown: so.Mapped[bool] = so.mapped_column(default=True)
    created_at: so.Mapped[datetime] = so.mapped_column(sa.DateTime(timezone=True), default=utcnow)
    client_group: so.Mapped[ClientGroup | None] = so.relationship()
    client_status: so.Mapped[ClientStatus | None] = so.relationship()

    def __str__(self) -> str:
        return self.title


# --- Change counters -----------------------------------------------------------------------


class ChangeCounter(db.Model):
    """How often an area's tables have changed; database triggers count (storage/change_counters.py).

    A value computed from an area (the contacts list's count, the code-list filter choices)
    stays valid while the area's counter is unchanged.
    """

    __tablename__ = "change_counter"

    name: so.Mapped[str] = so.mapped_column(sa.String(32), primary_key=True)
    value: so.Mapped[int] = so.mapped_column(sa.BigInteger, default=0)
    # PostgreSQL: the transaction that last counted, so that a transaction counts once.
    transaction_id: so.Mapped[int | None] = so.mapped_column(sa.BigInteger)


# --- form ---------------------------------------------------------------------------------------


class AcknowledgedDuplicate(db.Model):
    """A clerk's "Save anyway": two contacts share a value of one kind (the field: ID number,
    e-mail, ...) and are nevertheless different; the contact form no longer warns about the pair."""

    __tablename__ = "acknowledged_duplicate"

    # The contact saved anyway; the primary key's index serves the lookups by it.
    contact_id: so.Mapped[int] = fk("contact.id", ondelete="CASCADE", index=False, primary_key=True)
    other_contact_id: so.Mapped[int] = fk("contact.id", ondelete="CASCADE", primary_key=True)
    kind: so.Mapped[str] = so.mapped_column(sa.String(20), primary_key=True)
    user_id: so.Mapped[int | None] = fk("user.id", ondelete="SET NULL")
    created_at: so.Mapped[datetime] = so.mapped_column(sa.DateTime(timezone=True), default=utcnow)


# --- import_jobs ---------------------------------------------------------------------------------

JOB_STATES = ("queued", "running", "done", "failed", "cancelled")


class Job(db.Model):
    """A piece of work run in the background by the job worker (storage/jobs.py).

    The row keeps what lasts: who started what, when, how it ended. While the job runs, its live
    progress, heartbeat and a cancel request travel through the job store instead (see
    storage/jobs.py); the columns below hold their values as of the job's last turn.
    """

    __tablename__ = "job"
    __table_args__ = (sa.CheckConstraint(one_of("state", JOB_STATES), name="state"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    # The handler that runs it (storage.jobs.job_handler).
    kind: so.Mapped[str] = so.mapped_column(sa.String(40))
    state: so.Mapped[str] = so.mapped_column(sa.String(10), default="queued")
    # What the handler is given (a file's path, a mapping's name, ...): small JSON.
    params: so.Mapped[dict] = so.mapped_column(sa.JSON, default=dict)
    created_by_id: so.Mapped[int | None] = fk("user.id", ondelete="SET NULL")
    created_at: so.Mapped[datetime] = so.mapped_column(sa.DateTime(timezone=True), default=utcnow)
    started_at: so.Mapped[datetime | None] = so.mapped_column(sa.DateTime(timezone=True))
    finished_at: so.Mapped[datetime | None] = so.mapped_column(sa.DateTime(timezone=True))
    done: so.Mapped[int] = so.mapped_column(default=0)
    total: so.Mapped[int | None] = so.mapped_column()
    heartbeat_at: so.Mapped[datetime | None] = so.mapped_column(sa.DateTime(timezone=True))
    cancel_requested: so.Mapped[bool] = so.mapped_column(default=False)
    # What the handler returned (counts, a report's name): small JSON.
    result: so.Mapped[dict | None] = so.mapped_column(sa.JSON)
    error: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    created_by: so.Mapped[User | None] = so.relationship()

    def __str__(self) -> str:
        return f"{self.kind} #{self.id}"


# --- import_core ---------------------------------------------------------------------------------


class ImportMapping(db.Model):
    """A column mapping of a contacts import saved under a name: {plain header: field name}
    (domain/imports/mapping.py), so that the next file of the same shape maps itself."""

    __tablename__ = "import_mapping"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(100), unique=True)
    columns: so.Mapped[dict] = so.mapped_column(sa.JSON, default=dict)
    user_id: so.Mapped[int | None] = fk("user.id", ondelete="SET NULL")
    updated_at: so.Mapped[datetime] = so.mapped_column(sa.DateTime(timezone=True), default=utcnow)

    def __str__(self) -> str:
        return self.name

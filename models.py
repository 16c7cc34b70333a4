"""The ISPdesk data model, grouped by area, and the small domain rules that serve it."""

from __future__ import annotations

import re
import secrets
import unicodedata
from datetime import date, datetime, timezone
from decimal import Decimal

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import current_app, has_app_context
from flask_login import UserMixin
from flask_sqlalchemy import SQLAlchemy
from werkzeug.security import check_password_hash, generate_password_hash

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


def utcnow() -> datetime:
    """Current time in UTC, timezone-aware."""
    return datetime.now(timezone.utc)


def fk(target: str, ondelete: str = "RESTRICT", index: bool = True, **kwargs) -> so.MappedColumn:
    """An indexed foreign key column (unless a wider index serves it); deleting a referenced row
    is refused unless said otherwise."""
    return so.mapped_column(sa.ForeignKey(target, ondelete=ondelete), index=index, **kwargs)


def normalise_search_text(*parts: object) -> str:
    """Lower-case, accent-free text of the given values, for case- and accent-insensitive search."""
    text = " ".join(str(p) for p in parts if p not in (None, ""))
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


# A generated portal password is 12 random characters (about 70 bits): brute force is hopeless
# whatever the hash, so it gets a quick one and saving a contact stays fast. Passwords people
# choose themselves get scrypt.
GENERATED_PASSWORD_HASH = "pbkdf2:sha256:5000"


def hash_password(password: str, method: str | None = None) -> str:
    """A salted hash of `password`; the default method is configurable so tests can use a cheap one."""
    if method is None:
        method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt") if has_app_context() else "scrypt"
    return generate_password_hash(password, method=method)


# --- Staff users ---------------------------------------------------------------------------

ROLES = ("admin", "staff")


class User(UserMixin, db.Model):
    """A member of the provider's staff who logs in to the admin panel."""

    __tablename__ = "user"
    __table_args__ = (sa.CheckConstraint("role IN ('admin', 'staff')", name="role"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    username: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    full_name: so.Mapped[str] = so.mapped_column(sa.String(120), default="")
    email: so.Mapped[str | None] = so.mapped_column(sa.String(254))
    role: so.Mapped[str] = so.mapped_column(sa.String(10), default="staff")
    password_hash: so.Mapped[str] = so.mapped_column(sa.String(256))
    active: so.Mapped[bool] = so.mapped_column(default=True)
    # The invoice group this user chose last; pre-selected on the next new contact.
    last_invoice_group_id: so.Mapped[int | None] = fk("invoice_group.id", ondelete="SET NULL")
    created_at: so.Mapped[datetime] = so.mapped_column(sa.DateTime(timezone=True), default=utcnow)
    last_login_at: so.Mapped[datetime | None] = so.mapped_column(sa.DateTime(timezone=True))

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

    def set_password(self, password: str) -> None:
        self.password_hash = hash_password(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)


# --- Settings ------------------------------------------------------------------------------


class Setting(db.Model):
    """The provider's global settings: a single row with id 1."""

    __tablename__ = "setting"
    __table_args__ = (
        sa.CheckConstraint("id = 1", name="single_row"),
        sa.CheckConstraint("client_number_mode IN ('manual', 'automatic')", name="client_number_mode"),
        sa.CheckConstraint("default_due_days >= 0", name="default_due_days"),
        sa.CheckConstraint("min_search_length BETWEEN 1 AND 20", name="min_search_length"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True, default=1)
    client_number_mode: so.Mapped[str] = so.mapped_column(sa.String(10), default="manual")
    # The client number issued last; the next offered is the lowest unused one above it.
    last_client_number: so.Mapped[int] = so.mapped_column(sa.BigInteger, default=0)
    default_country: so.Mapped[str] = so.mapped_column(sa.String(2), default="CZ")
    default_due_days: so.Mapped[int] = so.mapped_column(default=14)
    min_search_length: so.Mapped[int] = so.mapped_column(default=2)

    def __str__(self) -> str:
        return "Settings"


def get_settings() -> Setting:
    """The settings row, created with defaults the first time it is needed."""
    settings = db.session.get(Setting, 1)
    if settings is None:
        settings = Setting(id=1)
        db.session.add(settings)
        db.session.flush()
    return settings


# --- Code lists ----------------------------------------------------------------------------


class CodeListMixin:
    """Columns every code list shares: a unique name, an order and a hidden flag."""

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
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


# The five payment types every installation has; their codes never change.
SYSTEM_PAYMENT_TYPES = (
    ("bank_transfer", "Bank transfer"),
    ("direct_debit", "Direct debit"),
    ("bulk_payment", "Bulk payment"),
    ("postal_order", "Postal order"),
    ("cash", "Cash"),
)


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

    @property
    def is_system(self) -> bool:
        return self.system_code is not None


def ensure_reference_data() -> None:
    """Create the settings row and the system payment types if they are missing (idempotent)."""
    get_settings()
    existing = set(db.session.scalars(sa.select(PaymentType.system_code)))
    has_default = db.session.scalar(sa.select(PaymentType.id).where(PaymentType.is_default)) is not None
    for position, (code, name) in enumerate(SYSTEM_PAYMENT_TYPES):
        if code not in existing:
            is_default = code == "bank_transfer" and not has_default
            db.session.add(PaymentType(system_code=code, name=name, position=position, is_default=is_default))
    db.session.commit()


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
    name: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
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


# Invoice numbers are variable symbols too: at most ten digits in all.
MAX_INVOICE_NUMBER_LENGTH = 10


def next_invoice_number(group: InvoiceGroup) -> str:
    """Issue the next number of the group's series; concurrent callers never get the same one.

    One UPDATE ... RETURNING both reads and moves the counter, so the database serialises it.
    Raises ValueError when the series is exhausted.
    """
    limit = 10 ** group.number_digits
    number = db.session.execute(
        sa.update(InvoiceGroup).where(InvoiceGroup.id == group.id, InvoiceGroup.next_number < limit)
        .values(next_number=InvoiceGroup.next_number + 1).returning(InvoiceGroup.next_number - 1)
        .execution_options(synchronize_session=False)
    ).scalar()
    if number is None:
        raise ValueError(f"The number series of {group.name} is exhausted.")
    db.session.expire(group, ["next_number"])
    return group.format_invoice_number(number)


# --- CATV network --------------------------------------------------------------------------


class City(db.Model):
    """A city with CATV wiring."""

    __tablename__ = "city"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(100), unique=True)

    def __str__(self) -> str:
        return self.name


class Street(db.Model):
    """A street of a city."""

    __tablename__ = "street"
    __table_args__ = (sa.UniqueConstraint("city_id", "name"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    city_id: so.Mapped[int] = fk("city.id")
    name: so.Mapped[str] = so.mapped_column(sa.String(100), index=True)
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
    name: so.Mapped[str] = so.mapped_column(sa.String(100), default="")
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
        sa.CheckConstraint("suspend_mode IN ('global', 'individual', 'never')", name="suspend_mode"),
        sa.CheckConstraint("suspend_min_amount IS NULL OR suspend_min_amount >= 0", name="suspend_min_amount"),
        sa.CheckConstraint("suspend_days_after_due IS NULL OR suspend_days_after_due >= 0", name="suspend_days"),
        sa.CheckConstraint("gps_lat IS NULL OR gps_lat BETWEEN -90 AND 90", name="gps_lat"),
        sa.CheckConstraint("gps_lon IS NULL OR gps_lon BETWEEN -180 AND 180", name="gps_lon"),
        sa.CheckConstraint("install_gps_lat IS NULL OR install_gps_lat BETWEEN -90 AND 90", name="install_gps_lat"),
        sa.CheckConstraint("install_gps_lon IS NULL OR install_gps_lon BETWEEN -180 AND 180", name="install_gps_lon"),
        # Only the few deleted contacts are indexed: an index over every contact's empty deleted_at
        # tempts SQLite's planner away from the index a query really needs.
        sa.Index(
            "ix_contact_deleted_partial",
            "deleted_at",
            sqlite_where=sa.text("deleted_at IS NOT NULL"),
            postgresql_where=sa.text("deleted_at IS NOT NULL"),
        ),
        # The list's orders: (column, id) over the contacts not deleted, so that any page of a
        # sorted list is read from the index alone (page 500 walks 25,000 index entries, no rows).
        *(sa.Index(f"ix_contact_list_{column}", column, "id",
                   sqlite_where=sa.text("deleted_at IS NULL"), postgresql_where=sa.text("deleted_at IS NULL"))
          for column in LIST_ORDER_COLUMNS),
        # A code-list filter in the list's default order (by name), and a sort by a code list
        # (contact_list.keyed_page), read their pages from the index alone, deleted_at included;
        # the index also serves the foreign key (usage counts, the in-use check).
        *(sa.Index(f"ix_contact_{column}_name", column, "name", "id", "deleted_at") for column in LIST_FILTER_COLUMNS),
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
    name: so.Mapped[str] = so.mapped_column(sa.String(200), index=True)
    is_corporate: so.Mapped[bool] = so.mapped_column(default=False, index=True)
    company_name: so.Mapped[str | None] = so.mapped_column(sa.String(200), index=True)
    contact_person: so.Mapped[str | None] = so.mapped_column(sa.String(200))

    # Mailing address.
    street: so.Mapped[str] = so.mapped_column(sa.String(200), index=True)
    postcode: so.Mapped[str] = so.mapped_column(sa.String(10))
    city: so.Mapped[str] = so.mapped_column(sa.String(100), index=True)
    country: so.Mapped[str] = so.mapped_column(sa.String(2), default="CZ")
    gps_lat: so.Mapped[Decimal | None] = so.mapped_column(sa.Numeric(9, 6))
    gps_lon: so.Mapped[Decimal | None] = so.mapped_column(sa.Numeric(9, 6))
    floor: so.Mapped[str | None] = so.mapped_column(sa.String(16))
    flat: so.Mapped[str | None] = so.mapped_column(sa.String(16))

    # Installation address, when it differs from the mailing address.
    has_different_address: so.Mapped[bool] = so.mapped_column(default=False)
    install_street: so.Mapped[str | None] = so.mapped_column(sa.String(200))
    install_postcode: so.Mapped[str | None] = so.mapped_column(sa.String(10))
    install_city: so.Mapped[str | None] = so.mapped_column(sa.String(100))
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
    opening_balance: so.Mapped[Decimal] = so.mapped_column(sa.Numeric(12, 2), default=Decimal("0"))
    contract_returned: so.Mapped[bool] = so.mapped_column(default=False)
    invoice_group_id: so.Mapped[int] = fk("invoice_group.id", index=False)
    payment_type_id: so.Mapped[int] = fk("payment_type.id", index=False)
    bulk_payment_number: so.Mapped[str | None] = so.mapped_column(sa.String(20))
    invoicing_day: so.Mapped[int] = so.mapped_column(sa.SmallInteger, default=1)
    due_days: so.Mapped[int] = so.mapped_column(default=14)
    suspend_mode: so.Mapped[str] = so.mapped_column(sa.String(10), default="global")
    suspend_min_amount: so.Mapped[Decimal | None] = so.mapped_column(sa.Numeric(12, 2))
    suspend_days_after_due: so.Mapped[int | None] = so.mapped_column()
    # Variable symbols the client pays with besides its client number.
    extra_vs_1: so.Mapped[int | None] = so.mapped_column(sa.BigInteger, index=True)
    extra_vs_2: so.Mapped[int | None] = so.mapped_column(sa.BigInteger, index=True)
    extra_vs_3: so.Mapped[int | None] = so.mapped_column(sa.BigInteger, index=True)
    hide_overdue: so.Mapped[bool] = so.mapped_column(default=False)
    no_payment_notifications: so.Mapped[bool] = so.mapped_column(default=False)

    # Bookkeeping.
    created_at: so.Mapped[datetime] = so.mapped_column(sa.DateTime(timezone=True), default=utcnow, index=True)
    updated_at: so.Mapped[datetime] = so.mapped_column(
        sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
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
            self.client_number, self.name, self.company_name, self.contact_person,
            self.street, self.city, self.postcode, self.install_street, self.install_city,
            self.email, self.invoice_email, self.tech_email, self.business_email,
            self.phone, self.mobile, self.fax, self.id_number, self.company_id, self.vat_id,
            self.extra_vs_1, self.extra_vs_2, self.extra_vs_3,
            self.internal_note_1, self.internal_note_2,
        )


@sa.event.listens_for(Contact, "before_insert")
@sa.event.listens_for(Contact, "before_update")
def _refresh_search_text(mapper, connection, contact: Contact) -> None:
    contact.search_text = normalise_search_text(*contact.searchable_values())


class ContactPerson(db.Model):
    """Someone who may be contacted in a contact's stead."""

    __tablename__ = "contact_person"
    __table_args__ = (sa.Index("ix_contact_person_list_name", "name", "id"),)  # the contact persons list's order

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    contact_id: so.Mapped[int] = fk("contact.id", ondelete="CASCADE")
    name: so.Mapped[str] = so.mapped_column(sa.String(200))
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
        sa.CheckConstraint("state IN ('active', 'suspended', 'ended')", name="state"),
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
    tariff_name: so.Mapped[str] = so.mapped_column(sa.String(100))
    price: so.Mapped[Decimal] = so.mapped_column(sa.Numeric(10, 2), default=Decimal("0"))
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
    deferred=True)
Contact.has_suspended_service = so.column_property(
    sa.exists().where(Service.contact_id == Contact.id, Service.state == "suspended").correlate_except(Service),
    deferred=True)


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
    """How often an area's tables have changed; database triggers count (change_counters.py).

    A value computed from an area (the contacts list's count, the code-list filter choices)
    stays valid while the area's counter is unchanged.
    """

    __tablename__ = "change_counter"

    name: so.Mapped[str] = so.mapped_column(sa.String(32), primary_key=True)
    value: so.Mapped[int] = so.mapped_column(sa.BigInteger, default=0)
    # PostgreSQL: the transaction that last counted, so that a transaction counts once.
    transaction_id: so.Mapped[int | None] = so.mapped_column(sa.BigInteger)


# --- Change history ------------------------------------------------------------------------

# Columns whose changes are bookkeeping, not something a clerk changed.
UNTRACKED_CONTACT_FIELDS = frozenset({"id", "search_text", "version", "created_at", "updated_at"})


def _jsonable(value: object) -> object:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def pending_changes(obj: db.Model, skip: frozenset[str] = UNTRACKED_CONTACT_FIELDS) -> dict:
    """The column changes of `obj` not yet flushed, as {field: {"old": ..., "new": ...}}."""
    state = sa.inspect(obj)
    changes = {}
    # A form sets relationships (contact.client_status); their foreign keys change only at flush.
    for relationship in state.mapper.relationships:
        local = list(relationship.local_columns)
        if relationship.direction is not so.interfaces.MANYTOONE or len(local) != 1 or local[0].key in skip:
            continue
        history = state.attrs[relationship.key].history
        if not history.added:
            continue
        new = history.added[0].id if history.added[0] is not None else None
        old = None if state.pending else state.attrs[local[0].key].loaded_value
        if old is sa.orm.base.NO_VALUE:
            old = None
        if old != new:
            changes[local[0].key] = {"old": old, "new": new}
    for attr in state.mapper.column_attrs:
        if attr.key in skip:
            continue
        history = state.attrs[attr.key].history
        if not history.has_changes():
            continue
        old = history.deleted[0] if history.deleted else None
        new = history.added[0] if history.added else None
        if old == new or (state.pending and new is None) or attr.key in changes:
            continue
        if attr.key == "portal_password_hash":
            # The hash never goes into the history; that it changed does.
            old, new = ("***" if old else None), "***"
        changes[attr.key] = {"old": _jsonable(old), "new": _jsonable(new)}
    return changes


def record_change(contact: Contact, action: str, changes: dict, user: User | None = None,
                  actor: str = "staff") -> ChangeLog | None:
    """Add a history entry for `contact` to the session (nothing when nothing changed)."""
    if not changes and action == "update":
        return None
    entry = ChangeLog(contact=contact, user=user, actor=actor, action=action, changes=changes)
    db.session.add(entry)
    return entry


@sa.event.listens_for(sa.Engine, "connect")
def _enable_sqlite_foreign_keys(dbapi_connection, connection_record) -> None:
    # SQLite ignores foreign keys unless asked, per connection.
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


# --- Requests that only read ---------------------------------------------------------------
# psycopg forgets its prepared statements on every ROLLBACK, and a request's transaction ends with
# one: every request planned its queries afresh (0.6 ms for the contacts list's row query alone).
# A request that only read ends with COMMIT instead, which keeps them; the two are the same to
# the data. Statements are noted per connection: anything but these counts as a write.
# SET LOCAL lasts as long as the transaction, and RESET only undoes it (the PostgreSQL search).
READING_STATEMENTS = ("SELECT", "SET LOCAL", "RESET")


@sa.event.listens_for(sa.Engine, "before_cursor_execute")
def _note_writes(conn, cursor, statement, parameters, context, executemany) -> None:
    if not statement.lstrip()[:9].upper().startswith(READING_STATEMENTS):
        conn.info["wrote"] = True


@sa.event.listens_for(sa.Engine, "commit")
@sa.event.listens_for(sa.Engine, "rollback")
def _forget_writes(conn) -> None:
    conn.info.pop("wrote", None)


def end_read_only_transaction(error: BaseException | None) -> None:
    """At the end of a request: COMMIT a PostgreSQL transaction that only read (see above)."""
    session = db.session()
    if error is not None or db.engine.dialect.name != "postgresql" or not session.in_transaction():
        return
    if session.new or session.dirty or session.deleted or session.connection().info.get("wrote"):
        return  # left to the usual ROLLBACK
    # Not expired: a response streamed after the request (an export) still reads what it loaded.
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True


# --- Client numbers ------------------------------------------------------------------------


def client_number_taken(number: int) -> bool:
    """Whether any contact, deleted ones included, pays with this number (client number or extra symbol)."""
    return db.session.scalar(sa.select(Contact.id).where(sa.or_(
        Contact.client_number == number, Contact.extra_vs_1 == number,
        Contact.extra_vs_2 == number, Contact.extra_vs_3 == number)).limit(1)) is not None


def next_client_number(after: int | None = None) -> int:
    """The lowest unused client number above `after` (by default, above the one issued last).

    Extra variable symbols count as used: a payment must point at one contact only.
    """
    candidate = (get_settings().last_client_number if after is None else after) + 1
    following = so.aliased(Contact)
    while client_number_taken(candidate):
        # Jump to the first gap in the client numbers, then check it against the symbols too.
        gap = sa.select(sa.func.min(Contact.client_number + 1)).where(
            Contact.client_number >= candidate,
            ~sa.exists().where(following.client_number == Contact.client_number + 1),
        )
        candidate = max(candidate + 1, db.session.scalar(gap) or candidate + 1)
    return candidate


def allocate_client_number() -> int:
    """Take the next client number for a contact being saved, inside the saving transaction.

    The settings row is locked first (SELECT ... FOR UPDATE on PostgreSQL), so concurrent
    saves queue up here and each sees the numbers the ones before it committed.
    """
    settings = db.session.scalars(
        sa.select(Setting).where(Setting.id == 1).with_for_update().execution_options(populate_existing=True)
    ).one()
    number = next_client_number()
    if number > MAX_VARIABLE_SYMBOL:
        raise ClientNumbersExhausted(f"No client number of at most 10 digits is left above {number - 1}.")
    settings.last_client_number = number
    return number


class ClientNumbersExhausted(ValueError):
    """Automatic numbering has run past ten digits."""


def contact_with_client_number(number: int, exclude_id: int | None = None) -> Contact | None:
    """The contact (deleted ones included) holding this client number, other than `exclude_id`."""
    query = sa.select(Contact).where(Contact.client_number == number)
    if exclude_id is not None:
        query = query.where(Contact.id != exclude_id)
    return db.session.scalars(query.limit(1)).first()


def contact_with_portal_login(login: str, exclude_id: int | None = None) -> Contact | None:
    """The contact (deleted ones included) that logs in to the portal as `login`, other than `exclude_id`."""
    query = sa.select(Contact).where(Contact.portal_login == login)
    if exclude_id is not None:
        query = query.where(Contact.id != exclude_id)
    return db.session.scalars(query.limit(1)).first()


def variable_symbol_owner(number: int, exclude_id: int | None = None) -> Contact | None:
    """The contact that already pays with `number`, as client number or extra variable symbol."""
    query = sa.select(Contact).where(sa.or_(
        Contact.client_number == number, Contact.extra_vs_1 == number,
        Contact.extra_vs_2 == number, Contact.extra_vs_3 == number,
    ))
    if exclude_id is not None:
        query = query.where(Contact.id != exclude_id)
    return db.session.scalars(query.limit(1)).first()


# Fields whose repetition across contacts deserves a warning (the clerk may save anyway).
DUPLICATE_CHECKED_FIELDS = ("id_number", "company_id", "email", "mobile")


def contacts_sharing(field: str, value: str | None, exclude_id: int | None = None, limit: int = 5) -> list[Contact]:
    """Other contacts (not deleted) with the same value in `field`; e-mails match per address."""
    if field not in DUPLICATE_CHECKED_FIELDS or not value:
        return []
    column = getattr(Contact, field)
    if field == "email":
        addresses = {a.strip() for a in value.replace(";", ",").split(",") if a.strip()} | {value}
        condition = column.in_(sorted(addresses))
    else:
        condition = column == value
    # Deleted contacts are dropped here rather than in SQL: a deleted_at condition can make
    # SQLite walk the deleted_at index over every contact instead of using this field's index.
    query = sa.select(Contact).where(condition)
    if exclude_id is not None:
        query = query.where(Contact.id != exclude_id)
    found = db.session.scalars(query.order_by(Contact.client_number).limit(limit + 20))
    return [contact for contact in found if contact.deleted_at is None][:limit]


# No 0/O, 1/l/I: a clerk reads the password out over the phone.
PASSWORD_ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def generate_portal_password(length: int = 12) -> str:
    """A random portal password with lower case, upper case and digits."""
    while True:
        password = "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(length))
        if (any(c.islower() for c in password) and any(c.isupper() for c in password)
                and any(c.isdigit() for c in password)):
            return password


def set_portal_password(contact: Contact, password: str, generated: bool = False) -> None:
    contact.portal_password_hash = hash_password(password, GENERATED_PASSWORD_HASH if generated else None)


def check_portal_password(contact: Contact, password: str) -> bool:
    return bool(contact.portal_password_hash) and check_password_hash(contact.portal_password_hash, password)


# $CLI_…$ variables available to message templates, with the contact attribute behind each.
TEMPLATE_VARIABLES = {
    "CLI_NUMBER": "client_number",
    "CLI_NAME": "name",
    "CLI_COMPANY": "company_name",
    "CLI_CONTACT_PERSON": "contact_person",
    "CLI_STREET": "street",
    "CLI_POSTCODE": "postcode",
    "CLI_CITY": "city",
    "CLI_COUNTRY": "country",
    "CLI_EMAIL": "email",
    "CLI_INVOICE_EMAIL": "invoice_email",
    "CLI_TECH_EMAIL": "tech_email",
    "CLI_BUSINESS_EMAIL": "business_email",
    "CLI_PHONE": "phone",
    "CLI_MOBILE": "mobile",
    "CLI_VS": "client_number",
    "CLI_PORTAL_LOGIN": "portal_login",
    "CLI_INTERNAL_NOTE_1": "internal_note_1",
    "CLI_INTERNAL_NOTE_2": "internal_note_2",
}
_VARIABLE = re.compile(r"\$([A-Z0-9_]+)\$")


def render_template_vars(text: str, contact: Contact) -> str:
    """Replace the `$CLI_…$` variables in `text` with the contact's data; unknown ones stay as typed."""

    def value(match: re.Match) -> str:
        attribute = TEMPLATE_VARIABLES.get(match.group(1))
        if attribute is None:
            return match.group(0)
        if match.group(1) == "CLI_INVOICE_EMAIL":
            return contact.invoice_email or contact.email or ""
        found = getattr(contact, attribute)
        return "" if found is None else str(found)

    return _VARIABLE.sub(value, text)


# --- CATV sockets: holders, history, bulk wiring ---------------------------------------------


def socket_holder(socket_id: int, exclude_id: int | None = None) -> Contact | None:
    """The contact (not deleted) that holds socket `socket_id`, other than `exclude_id`."""
    query = sa.select(Contact).where(Contact.socket_id == socket_id, Contact.deleted_at.is_(None))
    if exclude_id is not None:
        query = query.where(Contact.id != exclude_id)
    return db.session.scalars(query.limit(1)).first()


def socket_holders(socket_ids: list[int]) -> dict[int, Contact]:
    """The contacts (not deleted) holding these sockets, by socket id, in one query."""
    if not socket_ids:
        return {}
    # Deleted contacts are left out here, not in SQL: with `deleted_at IS NULL` in the query, SQLite
    # searches the deleted_at index, which nearly every contact matches (60 ms at 100,000 contacts).
    query = sa.select(Contact).where(Contact.socket_id.in_(socket_ids))
    return {contact.socket_id: contact for contact in db.session.scalars(query) if contact.deleted_at is None}


def reassign_socket(contact: Contact, new_socket: Socket | None, user: User | None) -> None:
    """Give `contact` the socket `new_socket` (None frees it) and write the socket history."""
    # The caller commits: the history changes in the same transaction as the contact.
    if contact.socket is not new_socket:
        contact.socket = new_socket
    now = utcnow()
    still_held = False
    if contact.id is not None:
        open_periods = db.session.scalars(sa.select(SocketAssignment).where(
            SocketAssignment.contact_id == contact.id, SocketAssignment.released_at.is_(None)))
        for period in open_periods:
            if new_socket is not None and period.socket_id == new_socket.id:
                still_held = True
            else:
                period.released_at, period.released_by = now, user
    if new_socket is not None and not still_held:
        db.session.add(SocketAssignment(socket=new_socket, contact=contact, assigned_at=now, assigned_by=user))


def socket_history(socket_id: int) -> list[SocketAssignment]:
    """Who held the socket and when, newest first, with contacts and users loaded."""
    query = (sa.select(SocketAssignment).where(SocketAssignment.socket_id == socket_id)
             .options(so.joinedload(SocketAssignment.contact), so.joinedload(SocketAssignment.assigned_by),
                      so.joinedload(SocketAssignment.released_by))
             .order_by(SocketAssignment.assigned_at.desc(), SocketAssignment.id.desc()))
    return list(db.session.scalars(query))


def socket_label(pattern: str, switchboard: Switchboard, floor: int) -> str:
    """The label `pattern` gives the socket of `switchboard` on `floor`, e.g. "{switchboard}-{floor}" → "R1-3"."""
    return (pattern.replace("{switchboard}", switchboard.name)
            .replace("{position}", str(switchboard.position)).replace("{floor}", str(floor)))


def create_building_sockets(switchboards: list[Switchboard], floors: range, pattern: str) -> tuple[int, int]:
    """Add one socket per floor to each switchboard, skipping labels it has; return (created, skipped)."""
    # The caller commits, so the whole building goes in at once or not at all.
    existing = {(board_id, label) for board_id, label in db.session.execute(sa.select(
        Socket.switchboard_id, Socket.label).where(Socket.switchboard_id.in_([board.id for board in switchboards])))}
    created = skipped = 0
    for board in switchboards:
        for floor in floors:
            label = socket_label(pattern, board, floor)
            if (board.id, label) in existing:
                skipped += 1
                continue
            existing.add((board.id, label))
            db.session.add(Socket(switchboard=board, floor=floor, label=label))
            created += 1
    return created, skipped


def highest_socket_floor(building_id: int) -> int | None:
    """The highest floor any socket of the building is on (None when it has none)."""
    return db.session.scalar(sa.select(sa.func.max(Socket.floor)).join(Socket.switchboard)
                             .where(Switchboard.building_id == building_id))


# --- Bulk changes ----------------------------------------------------------------------------

# Fields a bulk change may set on many contacts at once.
BULK_FIELDS = ("client_group_id", "client_status_id", "payment_type_id", "invoice_group_id", "is_marked")


def bulk_update_contacts(ids: list[int], field: str, value, user: User | None) -> int:
    """Set `field` to `value` on the contacts `ids`, one history entry each; one transaction, no commit.

    Returns how many contacts changed (those that already had the value are left alone).
    """
    if field not in BULK_FIELDS:
        raise ValueError(f"{field} cannot be changed in bulk")
    column = Contact.__table__.c[field]
    changed = 0
    now = utcnow()
    for start in range(0, len(ids), 1000):
        chunk = ids[start:start + 1000]
        old_values = db.session.execute(sa.select(Contact.id, column).where(
            Contact.id.in_(chunk), Contact.deleted_at.is_(None), column.is_distinct_from(value))).all()
        if not old_values:
            continue
        values = {field: value, "version": Contact.version + 1, "updated_at": now}
        if field == "client_status_id":
            values["status_changed_at"] = now
        db.session.execute(sa.update(Contact).where(Contact.id.in_([row.id for row in old_values]))
                           .values(**values).execution_options(synchronize_session=False))
        db.session.execute(sa.insert(ChangeLog), [
            {"contact_id": row.id, "user_id": user.id if user else None, "actor": "staff", "created_at": now,
             "action": "bulk change", "changes": {field: {"old": row[1], "new": value}}} for row in old_values])
        changed += len(old_values)
    db.session.expire_all()
    return changed

"""The ISPdesk application factory and its command-line interface."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import unquote_to_bytes

import click
from flask import Flask, abort, current_app, g, redirect, render_template, request, url_for
from flask.cli import AppGroup, with_appcontext
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter, ValidationError

import i18n
from auth import throttle
from auth.sessions import AreaSessionInterface, session_holds
from domain.imports.command import import_group
from domain.passwords import set_user_password
from domain.settings import ensure_reference_data
from domain.validators import format_phone
from models import MAX_ROW_ID, ROLES, Contact, User, db
from storage import jobs, static_files
from storage.backup import BackupError, backup_database
from storage.engine import end_read_only_transaction
from storage.search_index import keep_search_text_current

csrf = CSRFProtect()
migrate = Migrate()
login_manager = LoginManager()


class RowIdConverter(IntegerConverter):
    """`<int:...>` in every URL rule: a number no row id can be is a 404, never an overflow in the
    database (or a 5,000-digit number Python refuses to read)."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ROW_ID, signed=False):
        super().__init__(map, fixed_digits, min, max, signed)

    def to_python(self, value: str):
        if len(value) > len(str(MAX_ROW_ID)):
            raise ValidationError()
        return super().to_python(value)


def refuse_unreadable_request() -> None:
    """400 for a query string or path that is not text (a NUL, which PostgreSQL refuses and nobody
    types, or bytes that are not UTF-8), and for a return address (`url`) with a control character,
    which no redirect can carry."""
    try:
        query = unquote_to_bytes(request.query_string.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        abort(400)
    if "\x00" in query or "\x00" in request.path:
        abort(400)
    if any(ord(char) < 32 for char in request.values.get("url", "")):
        abort(400)


def load_secret_key(instance_path: str) -> str:
    """The secret key from `instance/secret_key`, generated (mode 600) on first start."""
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip()


def database_url(instance_path: str) -> str:
    """`DATABASE_URL`, or the SQLite file in the instance folder."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgres://")
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url or "sqlite:///" + os.path.join(instance_path, "ispdesk.sqlite")


def create_app(config: dict | None = None) -> Flask:
    """Build the ISPdesk app; `config` overrides the environment (tests pass theirs here)."""
    config = config or {}
    app = Flask(__name__, instance_relative_config=True, instance_path=config.get("INSTANCE_PATH"))
    app.url_map.converters["int"] = RowIdConverter
    # The instance folder holds the secret key, the SQLite database and its backups: owner only.
    os.makedirs(app.instance_path, mode=0o700, exist_ok=True)
    app.config.from_mapping(
        SQLALCHEMY_DATABASE_URI=database_url(app.instance_path),
        SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True},
        # A token that lives as long as the session: an expired one would cost a clerk's typing.
        WTF_CSRF_TIME_LIMIT=None,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=os.environ.get("SESSION_COOKIE_SECURE", "") == "1",
        MAX_CONTENT_LENGTH=16 * 1024 * 1024,
        # A long pasted note must not meet Werkzeug's 500 kB per-field default and a bare 413.
        MAX_FORM_MEMORY_SIZE=16 * 1024 * 1024,
        # The installation is Czech: Czech for a browser that names neither Czech nor English.
        BABEL_DEFAULT_LOCALE="cs",
        BABEL_DEFAULT_TIMEZONE="Europe/Prague",
        # The wrong-password counters live in the database unless Redis is named here.
        THROTTLE_REDIS_URL=os.environ.get("THROTTLE_REDIS_URL", ""),
        # How many reverse proxies stand in front of the app: only their X-Forwarded-For and
        # X-Forwarded-Proto are believed (0: none, the client's own address counts).
        TRUSTED_PROXIES=int(os.environ.get("TRUSTED_PROXIES", "0") or 0),
    )
    app.config.update(config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = os.environ.get("SECRET_KEY") or load_secret_key(app.instance_path)
    app.session_interface = AreaSessionInterface()
    if app.config["TRUSTED_PROXIES"] > 0:
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)

    db.init_app(app)
    keep_search_text_current()
    # Runs before Flask-SQLAlchemy removes the session (request teardowns come first).
    app.teardown_request(end_read_only_transaction)
    app.before_request(refuse_unreadable_request)
    migrate.init_app(app, db, directory=os.path.join(app.root_path, "migrations"))
    csrf.init_app(app)
    i18n.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    throttle.init_app(app)
    jobs.init_app(app)

    from admin_views import init_admin
    from auth import staff_login
    from portal import bp as portal_bp

    app.register_blueprint(staff_login.bp)
    app.register_blueprint(portal_bp)
    with app.app_context():
        init_admin(app)
    static_files.init_app(app)

    for code in (CSRFError, 400, 403, 404, 405, 500):
        app.register_error_handler(code, error_page)
    app.after_request(add_security_headers)
    app.add_url_rule("/", "index", lambda: redirect(url_for("admin.index")))
    # Browsers ask for /favicon.ico on pages that name no icon (a JSON answer, a download).
    app.add_url_rule("/favicon.ico", "favicon", lambda: redirect(url_for("static", filename="favicon.svg")))
    app.add_template_filter(format_phone, "phone")
    # A page's <html lang> is the language it speaks (a screen reader reads Czech as Czech).
    register_cli(app)
    return app


def error_page(error):
    """A readable error page; a refused form explains the missing security token."""
    return render_template("error.html", error=error, csrf=isinstance(error, CSRFError)), error.code


def csp_nonce() -> str:
    """This request's nonce for the scripts our pages (and Flask-Admin's) carry inline."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


# No third-party origin anywhere; no page may be framed (clickjacking). Styles may be inline:
# our and Flask-Admin's pages and scripts (Select2, the list's row colours) use style attributes,
# which a policy with a nonce refuses; a style cannot run code.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def add_security_headers(response):
    """Headers on every response; pages (all of them hold personal data) are never stored by the
    browser or a proxy; a static file is kept for a year under the URL naming its content."""
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY.format(nonce=csp_nonce())
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["X-Frame-Options"] = "DENY"
    if static_files.is_static(request.endpoint) and response.status_code < 400:
        response.headers["Cache-Control"] = static_files.cache_control()
        # Flask's date would contradict the header (and HTTP/1.0 caches read only the date).
        del response.headers["Expires"]
    else:
        response.headers["Cache-Control"] = "no-store"
    return response


@login_manager.user_loader
def load_user(key: str):
    """The staff user ("staff:<id>") or portal client ("client:<id>") of a session that still holds."""
    from portal import load_portal_client

    kind, _, raw_id = key.partition(":")
    if not raw_id.isdigit() or len(raw_id) > 18:
        return None
    if kind == "client":
        client = load_portal_client(int(raw_id))
        return client if client is not None and session_holds(contact_id=client.contact.id) else None
    if kind == "staff":
        user = db.session.get(User, int(raw_id))
        return user if user is not None and user.active and session_holds(user_id=user.id) else None
    return None


# --- Command-line interface ----------------------------------------------------------------


def register_cli(app: Flask) -> None:
    app.cli.add_command(setup_command)
    app.cli.add_command(users)
    app.cli.add_command(demo_data_command)
    app.cli.add_command(backup_command)
    app.cli.add_command(jobs.jobs_cli)
    app.cli.add_command(import_group)


@click.command("setup")
@with_appcontext
def setup_command():
    """Add missing reference data; on an empty user table create an administrator."""
    ensure_reference_data()
    if db.session.query(User.id).first() is None:
        password = create_user("admin", "admin")
        click.echo(f"Created administrator: login 'admin', password '{password}' (shown only once).")


def create_user(username: str, role: str, password: str | None = None) -> str:
    """Create a staff user and return its password (generated when none is given)."""
    password = password or secrets.token_urlsafe(12)
    user = User(username=username, role=role)
    set_user_password(user, password)
    db.session.add(user)
    db.session.commit()
    return password


@click.group("users", cls=AppGroup)
def users():
    """Manage staff users."""


@users.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), default="staff", show_default=True)
@click.option("--password", help="Password to set; a random one is generated and printed when omitted.")
def create_user_command(username: str, role: str, password: str | None):
    """Create a staff user."""
    if db.session.query(User.id).filter_by(username=username).first() is not None:
        raise click.ClickException(f"User '{username}' already exists.")
    generated = create_user(username, role, password)
    click.echo(f"Created {role} '{username}'" + ("." if password else f" with password '{generated}'."))


DEMO_PORTAL_CLIENTS = 3


@click.command("demo-data")
@click.option("--contacts", "contact_count", type=click.IntRange(0), default=1000, show_default=True)
@click.option("--seed", type=int, default=1, show_default=True)
@with_appcontext
def demo_data_command(contact_count: int, seed: int):
    """Fill an empty database with code lists, invoice groups, a CATV network and N realistic
    Czech contacts; print portal passwords of a few of them."""
    from storage.demo_data import give_portal_passwords, load_demo_data

    # Made-up people among real ones (or the demo twice over) would never be told apart again.
    if db.session.query(Contact.id).first() is not None:
        raise click.ClickException(
            "The database already has contacts: demo data goes only into a database without any. "
            "Nothing was changed. To try the demo, point DATABASE_URL at a new database."
        )
    ensure_reference_data()
    click.echo(load_demo_data(contact_count, seed))
    logins = give_portal_passwords(DEMO_PORTAL_CLIENTS)
    if logins:
        click.echo("Client portal (/portal/), demo logins (passwords shown only once):")
    for login, name, password in logins:
        click.echo(f"  login {login}, password {password}  ({name})")


@click.command("backup")
@click.option(
    "--to",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory for the backup file (default: instance/backups).",
)
@with_appcontext
def backup_command(directory: Path | None):
    """Copy the whole database into a new file, while the panel keeps running."""
    directory = directory or Path(current_app.instance_path) / "backups"
    try:
        path = backup_database(current_app.config["SQLALCHEMY_DATABASE_URI"], directory)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Backup written: {path} ({path.stat().st_size / 1e6:.1f} MB)")

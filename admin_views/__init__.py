"""The admin panel: `init_admin` builds it, one module (or package) per area registers its views."""

from __future__ import annotations

import os

import jinja2
from flask_admin import Admin
from flask_admin.babel import domain as babel_domain
from flask_admin.theme import Bootstrap4Theme
from flask_babel import lazy_gettext

from admin_views.fields import date_picker_settings
from admin_views.home import HomeView


class NoInlineHandlersLoader(jinja2.BaseLoader):
    """The templates with each `onclick="…"` renamed `data-onclick="…"` and each
    `href="javascript:void(0)"` made `href="#"`: the Content-Security-Policy forbids inline code
    (the browser refuses it as it reads the page, or as a link is followed), and Flask-Admin's
    templates have some; static/admin/csp_handlers.js does it by listeners instead."""

    def __init__(self, loader: jinja2.BaseLoader):
        self.loader = loader

    def get_source(self, environment, template):
        source, filename, uptodate = self.loader.get_source(environment, template)
        source = source.replace(' onclick="', ' data-onclick="').replace('href="javascript:void(0)"', 'href="#"')
        return source, filename, uptodate

    def list_templates(self):
        return self.loader.list_templates()


def read_our_admin_catalogue_last(directory: str) -> None:
    """Flask-Admin's own strings (its "admin" domain) are read from its Czech catalogue, then from
    ours (translations/cs/LC_MESSAGES/admin.po): Flask-Babel lets the catalogue read last win, so
    ours both fills the strings Flask-Admin's lacks and corrects the ones it gets wrong ("Vývozní").
    (Admin(translations_path=) would put ours first, where it only fills gaps.)"""
    own = [path for path in babel_domain.translation_directories if path != directory]
    babel_domain._translation_directories = [*own, directory]
    babel_domain.cache.clear()


def init_admin(app) -> Admin:
    """Build the admin panel and register every view (inside an app context)."""
    app.jinja_env.loader = NoInlineHandlersLoader(app.jinja_env.loader)
    app.jinja_env.globals["date_picker_settings"] = date_picker_settings
    from admin_views import catv, code_lists, contacts, invoicing, jobs, services, settings, users
    from app import csp_nonce

    admin = Admin(
        app,
        name="ISPdesk",
        index_view=HomeView(name=lazy_gettext("Home"), url="/admin"),
        theme=Bootstrap4Theme(swatch="default", fluid=True, base_template="admin/ispdesk_base.html"),
        # Flask-Admin's inline scripts carry this request's nonce (the Content-Security-Policy's).
        csp_nonce_generator=csp_nonce,
    )
    read_our_admin_catalogue_last(os.path.join(app.root_path, "translations"))
    contacts.register(admin)
    services.register(admin)
    code_lists.register(admin)
    invoicing.register(admin)
    catv.register(admin)
    settings.register(admin)
    users.register(admin)
    jobs.register(admin)
    return admin

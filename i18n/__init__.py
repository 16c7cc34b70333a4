"""The interface's language and the provider's time zone: Flask-Babel's selectors, the language
switch (i18n/switch.py), and the template filters that show dates, times, numbers and money as
the locale writes them (i18n/filters.py over the pure i18n/formatting.py)."""

from __future__ import annotations

from flask import Flask, request
from flask_babel import Babel, get_locale

from i18n.filters import FILTERS
from i18n.selection import language_switch, select_locale, select_timezone

babel = Babel()


def init_app(app: Flask) -> None:
    from i18n.switch import bp  # the switch's redirect uses the login's URL check (auth/)

    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    app.before_request(settle_language)
    app.register_blueprint(bp)
    for name, function in FILTERS.items():
        app.add_template_filter(function, name)
    app.jinja_env.globals["language_switch"] = language_switch


def settle_language() -> None:
    """Choose the request's language before its work: a staff user's choice is read from the
    database, which cannot answer once a failed save has spoilt the transaction, and that is just
    when a message ("Not reverted: ...") is translated. Static files need no language."""
    if not (request.endpoint or "").endswith("static"):
        get_locale()

"""The language switch in the navigation bar of the panel, the portal and the login pages."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, request

from auth.staff_login import safe_next_url
from i18n.selection import LANGUAGES, remember_language

bp = Blueprint("i18n", __name__)


# The panel and the login page post to /language, the portal to /portal/language: each area's
# form carries the security token of that area's session cookie.
@bp.route("/language", methods=["POST"], endpoint="switch")
@bp.route("/portal/language", methods=["POST"], endpoint="portal_switch")
def switch_language():
    """Show the interface in the chosen language from now on, back on the page it was chosen on."""
    language = request.form.get("language")
    if language not in LANGUAGES:
        abort(400)
    default = "portal.index" if request.endpoint == "i18n.portal_switch" else "admin.index"
    response = redirect(safe_next_url(request.args.get("next"), default))
    remember_language(language, response)
    return response

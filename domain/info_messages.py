"""Info messages for portal clients: the rules of a message's audience and period, and its safe HTML."""

from __future__ import annotations

from datetime import date

import nh3
from flask_babel import gettext
from markupsafe import Markup

# Tags an info message may use; everything else (scripts, handlers, styles) is stripped.
ALLOWED_TAGS = {"p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "a", "h3", "h4", "blockquote"}


def sanitise_html(html: str) -> Markup:
    """Rich text with only harmless tags and attributes left."""
    return Markup(
        nh3.clean(
            html or "", tags=ALLOWED_TAGS, attributes={"a": {"href", "title"}}, url_schemes={"http", "https", "mailto"}
        )
    )


def info_message_errors(
    audience: str | None, client_group, client_status, valid_from: date | None, valid_to: date | None
) -> dict[str, str]:
    """The message's field errors: a group or status audience names it, and the period does not run backwards."""
    errors = {}
    if audience == "group" and client_group is None:
        errors["client_group"] = gettext("Choose the group the message is for.")
    if audience == "status" and client_status is None:
        errors["client_status"] = gettext("Choose the status the message is for.")
    if valid_from and valid_to and valid_to < valid_from:
        errors["valid_to"] = gettext("The message cannot end before it starts.")
    return errors

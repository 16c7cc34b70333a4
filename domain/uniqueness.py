"""What only one contact may hold: a client number, a variable symbol, a portal login, a socket.

`uniqueness_errors` is the one check: the contact form, revert and any later writer (import, the
API) ask it before saving, and a save that lost a race to another clerk asks it again to say
what was taken.
"""

from __future__ import annotations

from collections.abc import Mapping

import sqlalchemy as sa
from flask_babel import gettext

from domain.client_numbers import contact_with_client_number, next_client_number, variable_symbol_owner
from domain.sockets import socket_holder
from models import Contact, db

EXTRA_VS_FIELDS = ("extra_vs_1", "extra_vs_2", "extra_vs_3")
# The values `uniqueness_errors` checks; any of them may be left out.
UNIQUE_FIELDS = ("client_number", *EXTRA_VS_FIELDS, "portal_login", "socket_id")


def sets_new_symbol(values: Mapping[str, object], contact: Contact | None) -> bool:
    """Whether saving `values` gives `contact` (None: a new one) a client number or extra symbol it did not hold."""
    return any(
        isinstance(values.get(name), int) and (contact is None or values[name] != getattr(contact, name))
        for name in ("client_number", *EXTRA_VS_FIELDS)
    )


def client_number_clash_message(other: Contact) -> str:
    """The error for a client number `other` holds, with the next free one."""
    state = gettext(" (deleted)") if other.is_deleted else ""
    return gettext(
        "Client number %(number)s belongs to %(name)s%(state)s. The next free number is %(next)s.",
        number=other.client_number,
        name=other.name,
        state=state,
        next=next_client_number(after=other.client_number),
    )


def socket_taken_message(holder: Contact) -> str:
    """The error for a socket another contact holds, naming that contact."""
    return gettext("This socket is used by %(contact)s.", contact=holder)


def contact_with_portal_login(login: str, exclude_id: int | None = None) -> Contact | None:
    """The contact (deleted ones included) that logs in to the portal as `login`, other than `exclude_id`."""
    query = sa.select(Contact).where(Contact.portal_login == login)
    if exclude_id is not None:
        query = query.where(Contact.id != exclude_id)
    return db.session.scalars(query.limit(1)).first()


def uniqueness_errors(values: Mapping[str, object], exclude_id: int | None) -> dict[str, str]:
    """Which of `values` another contact (not `exclude_id`) already holds, as {field: message}.

    `values` may hold client_number, extra_vs_1..3 (whole numbers), portal_login and socket_id;
    a missing or empty one is not checked. An empty portal login stands for the client number,
    the default login.
    """
    errors = {}
    number = values.get("client_number")
    if isinstance(number, int):
        if (other := contact_with_client_number(number, exclude_id)) is not None:
            errors["client_number"] = client_number_clash_message(other)
        elif (payer := variable_symbol_owner(number, exclude_id)) is not None:
            errors["client_number"] = gettext(
                "Contact %(contact)s already pays with this number as an extra variable symbol. "
                "The next free number is %(next)s.",
                contact=payer,
                next=next_client_number(after=number),
            )
    seen = {number}
    for name in EXTRA_VS_FIELDS:
        symbol = values.get(name)
        if not isinstance(symbol, int):
            continue
        if symbol in seen:
            errors[name] = gettext("This symbol is already this contact's client number or symbol.")
        elif (owner := variable_symbol_owner(symbol, exclude_id)) is not None:
            errors[name] = gettext("Contact %(contact)s already pays with this symbol.", contact=owner)
        seen.add(symbol)
    typed_login = values.get("portal_login")
    login = typed_login or (str(number) if isinstance(number, int) else None)
    if login and (taken := contact_with_portal_login(login, exclude_id)) is not None:
        errors["portal_login"] = (
            gettext("This login is used by %(contact)s.", contact=taken)
            if typed_login
            else gettext("The client number is the portal login of %(contact)s; type another login.", contact=taken)
        )
    socket_id = values.get("socket_id")
    if socket_id is not None and (holder := socket_holder(socket_id, exclude_id)) is not None:
        errors["socket_id"] = socket_taken_message(holder)
    return errors

"""CATV sockets: who holds one, what the socket picker offers, its history, and wiring a building."""

from __future__ import annotations

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import gettext

from models import Building, City, Contact, Socket, SocketAssignment, Street, Switchboard, User, db, utcnow

# The network's levels from the top, and the column by which each level below the city names its parent.
LEVELS = (City, Street, Building, Switchboard, Socket)
PARENT_COLUMNS = {
    Street: Street.city_id,
    Building: Building.street_id,
    Switchboard: Switchboard.building_id,
    Socket: Socket.switchboard_id,
}


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
    # Deleted contacts are left out here, not in SQL: the query stays one IN on the socket_id
    # index, and the few deleted holders cost nothing to skip.
    query = sa.select(Contact).where(Contact.socket_id.in_(socket_ids))
    return {contact.socket_id: contact for contact in db.session.scalars(query) if contact.deleted_at is None}


def leads_to_a_socket(level) -> sa.ColumnElement[bool]:
    """SQL: a row of `level` (city, street, building, switchboard) has a socket somewhere below it.

    An EXISTS over the foreign-key indexes: it stops at the first socket found, so a lookup of
    ten rows stays cheap however many sockets the network has."""
    below = LEVELS[LEVELS.index(level) + 1 :]
    query = sa.select(Socket.id)
    for child in reversed(below[:-1]):  # Socket › Switchboard › ... › the child of `level`
        query = query.join(child)
    query = query.where(PARENT_COLUMNS[below[0]] == level.id)
    return query.exists()


def socket_taken(except_contact_id: int | None = None) -> sa.ColumnElement[bool]:
    """SQL: the socket is held by a contact that is not deleted (other than `except_contact_id`,
    the contact being edited, whose own socket is free to it)."""
    query = sa.select(Contact.id).where(Contact.socket_id == Socket.id, Contact.deleted_at.is_(None))
    if except_contact_id is not None:
        query = query.where(Contact.id != except_contact_id)
    return query.exists()


def picker_socket_order(except_contact_id: int | None = None) -> tuple:
    """The picker's order of a switchboard's sockets: the free ones first, then the taken ones, each by label."""
    return socket_taken(except_contact_id), Socket.label


def socket_choice(socket: Socket, holder: Contact | None) -> str:
    """A socket as the picker offers it: its label, and who holds it when it is taken."""
    if holder is None:
        return socket.label
    return gettext("%(socket)s — taken by %(holder)s", socket=socket.label, holder=holder)


def reassign_socket(contact: Contact, new_socket: Socket | None, user: User | None) -> None:
    """Give `contact` the socket `new_socket` (None frees it) and write the socket history."""
    # The caller commits: the history changes in the same transaction as the contact.
    if contact.socket is not new_socket:
        contact.socket = new_socket
    now = utcnow()
    still_held = False
    if contact.id is not None:
        open_periods = db.session.scalars(
            sa.select(SocketAssignment).where(
                SocketAssignment.contact_id == contact.id, SocketAssignment.released_at.is_(None)
            )
        )
        for period in open_periods:
            if new_socket is not None and period.socket_id == new_socket.id:
                still_held = True
            else:
                period.released_at, period.released_by = now, user
    if new_socket is not None and not still_held:
        db.session.add(SocketAssignment(socket=new_socket, contact=contact, assigned_at=now, assigned_by=user))


def socket_history(socket_id: int) -> list[SocketAssignment]:
    """Who held the socket and when, newest first, with contacts and users loaded."""
    query = (
        sa.select(SocketAssignment)
        .where(SocketAssignment.socket_id == socket_id)
        .options(
            so.joinedload(SocketAssignment.contact),
            so.joinedload(SocketAssignment.assigned_by),
            so.joinedload(SocketAssignment.released_by),
        )
        .order_by(SocketAssignment.assigned_at.desc(), SocketAssignment.id.desc())
    )
    return list(db.session.scalars(query))


def socket_label(pattern: str, switchboard: Switchboard, floor: int) -> str:
    """The label `pattern` gives the socket of `switchboard` on `floor`, e.g. "{switchboard}-{floor}" → "R1-3"."""
    return (
        pattern.replace("{switchboard}", switchboard.name)
        .replace("{position}", str(switchboard.position))
        .replace("{floor}", str(floor))
    )


# The most floors a building has (the table's CHECK): also the most sockets a switchboard gets at once.
MAX_FLOORS = 200


def create_building_sockets(switchboards: list[Switchboard], floors: range, pattern: str) -> tuple[int, int]:
    """Add one socket per floor to each switchboard, skipping labels it has; return (created, skipped)."""
    if len(floors) > MAX_FLOORS:
        raise ValueError(f"A building has at most {MAX_FLOORS} floors, not {len(floors)}.")
    # The caller commits, so the whole building goes in at once or not at all.
    existing = {
        (board_id, label)
        for board_id, label in db.session.execute(
            sa.select(Socket.switchboard_id, Socket.label).where(
                Socket.switchboard_id.in_([board.id for board in switchboards])
            )
        )
    }
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
    return db.session.scalar(
        sa.select(sa.func.max(Socket.floor)).join(Socket.switchboard).where(Switchboard.building_id == building_id)
    )


def building_floors_errors(building_id: int, floors: int) -> dict[str, str]:
    """The field error of giving the building `floors` floors when a socket is on a higher one."""
    highest = highest_socket_floor(building_id)
    if highest is not None and floors < highest:
        return {
            "floors": gettext("A socket is on floor %(floor)d; the building cannot have fewer floors.", floor=highest)
        }
    return {}


def socket_floor_errors(building: Building, floor: int) -> dict[str, str]:
    """The field error of putting a socket of `building` on `floor` above its top floor."""
    if floor > building.floors:
        return {
            "floor": gettext("Building %(building)s has %(floors)d floors.", building=building, floors=building.floors)
        }
    return {}

"""Reproducible, realistic Czech demo data: code lists, invoice groups, a CATV network and contacts.

Everything comes from one `random.Random(seed)`, so the same seed on an empty database gives the
same rows (dates are relative to today). Contacts, services and contact persons go in with bulk
Core inserts, which skip the ORM events, so the values those events fill in are computed here.
Loaded again, it adds to what is there: names are reused, client numbers continue above the
highest (`flask demo-data` itself loads only into a database without contacts).
"""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from domain.passwords import generate_portal_password, set_portal_password
from domain.settings import get_settings
from models import Contact, Service, db
from storage import drop_database_objects, install_database_objects
from storage.change_counters import count_bulk_change
from storage.demo_data.contacts import ContactMaker, first_client_number, insert_contacts
from storage.demo_data.network import add_catv_network, add_code_lists, postcodes_by_street

BATCH_SIZE = 5_000
CONTACTS_PER_SOCKET = 5
MIN_SOCKETS = 50
HISTORY_DAYS = 5 * 365


def load_demo_data(contact_count: int, seed: int) -> str:
    """Add code lists, invoice groups, a CATV network and `contact_count` contacts; return a summary."""
    started = time.perf_counter()
    rng = random.Random(seed)
    # Dates count back from midnight, so loads on the same day agree on them too.
    today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    # The change counters' and the search index's triggers are dropped for the load and the
    # work they would do row by row is done once at the end (a third of the load time otherwise).
    drop_database_objects(db.session.connection())
    ids = add_code_lists(rng, today.year)
    postcodes = postcodes_by_street(rng)
    sockets = add_catv_network(rng, max(MIN_SOCKETS, contact_count // CONTACTS_PER_SOCKET), postcodes)
    maker = ContactMaker(rng, today, ids, postcodes)

    first_number = first_client_number()
    # Ascending client numbers get ascending creation times, as in a real register.
    created = [
        today - timedelta(days=HISTORY_DAYS * r)
        for r in sorted((rng.random() for _ in range(contact_count)), reverse=True)
    ]
    rng.shuffle(sockets)
    # A fifth of the new sockets stays free for the clients still to come.
    held = min(contact_count, len(sockets) * 4 // 5)
    holders = dict(zip(rng.sample(range(contact_count), held), sockets))
    service_count = person_count = 0
    for batch_start in range(0, contact_count, BATCH_SIZE):
        batch = [
            maker.contact(first_number + i, created[i], holders.get(i))
            for i in range(batch_start, min(batch_start + BATCH_SIZE, contact_count))
        ]
        services, persons = insert_contacts(batch)
        service_count += services
        person_count += persons
    install_database_objects(db.session.connection())
    count_bulk_change(db.session.connection())

    if contact_count:
        settings = get_settings()
        settings.last_client_number = max(settings.last_client_number, first_number + contact_count - 1)
    db.session.commit()
    numbers = f" (client numbers {first_number}–{first_number + contact_count - 1})" if contact_count else ""
    return (
        f"Loaded {contact_count} contacts{numbers}, {len(sockets)} sockets ({held} held), "
        f"{service_count} services, {person_count} contact persons, "
        f"{len(ids['invoice_groups'])} invoice groups in {time.perf_counter() - started:.1f} s"
    )


def give_portal_passwords(count: int) -> list[tuple[str, str, str]]:
    """Generated portal passwords for the first `count` clients with an active service, so that
    the portal can be tried; returns (login, name, password) of each."""
    active = sa.select(Service.id).where(Service.contact_id == Contact.id, Service.state == "active").exists()
    clients = db.session.scalars(
        sa.select(Contact).where(active, Contact.deleted_at.is_(None)).order_by(Contact.client_number).limit(count)
    ).all()
    logins = []
    for contact in clients:
        password = generate_portal_password()
        set_portal_password(contact, password, generated=True)
        logins.append((contact.portal_login or str(contact.client_number), contact.name, password))
    db.session.commit()
    return logins

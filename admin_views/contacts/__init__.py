"""Contacts: the register's list, form, card, export and bulk changes, and the lists that hang on it.

view.py       ContactView: configuration and short hooks
form.py       the form's sections, fields, inlines and choices
list_query.py ContactListQuery: how a page, a count or a whole list is read fast
list_rows.py  the rows a page shows and the export writes, with their colours
filters.py    the list's filters
export.py     CSV and XLSX, streamed
card.py       the client card's sections
bulk.py       the bulk change of many contacts
deleted.py    deleted contacts: restore and purge
related.py    contact persons, notes and the change history as lists of their own
imports.py    Contacts › Import: upload, mapping, dry run and saving in the background
"""

from __future__ import annotations

from flask_babel import lazy_gettext

from admin_views.contacts import imports
from admin_views.contacts.deleted import DeletedContactView
from admin_views.contacts.form import contact_lookup
from admin_views.contacts.related import ChangeLogView, ContactPersonView, NoteView
from admin_views.contacts.view import ContactView
from models import ChangeLog, Contact, ContactPerson, Note, db

CATEGORY = lazy_gettext("Contacts")

__all__ = ["CATEGORY", "contact_lookup", "register"]


def register(admin) -> None:
    admin.add_view(ContactView(Contact, db, name=lazy_gettext("Contacts"), category=CATEGORY, endpoint="contact"))
    admin.add_view(
        ContactPersonView(
            ContactPerson, db, name=lazy_gettext("Contact persons"), category=CATEGORY, endpoint="contact_person"
        )
    )
    admin.add_view(NoteView(Note, db, name=lazy_gettext("Notes"), category=CATEGORY, endpoint="note"))
    admin.add_view(ChangeLogView(ChangeLog, db, name=lazy_gettext("History"), category=CATEGORY, endpoint="change_log"))
    admin.add_view(
        DeletedContactView(
            Contact, db, name=lazy_gettext("Deleted contacts"), category=CATEGORY, endpoint="deleted_contact"
        )
    )
    imports.register(admin, CATEGORY)

"""Deleted contacts: staff restore them, an administrator purges them for good."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash
from flask_admin.actions import action
from flask_babel import gettext, lazy_gettext, ngettext
from flask_login import current_user

from admin_views.base import BaseModelView, row_ids
from domain.contacts import purge_refusals, restore
from models import Contact, db
from storage.search_index import search_condition


class DeletedContactView(BaseModelView):
    """Soft-deleted contacts: staff restore them, an administrator purges them for good."""

    can_create = can_edit = can_delete = False
    column_list = ("client_number", "name", "city", "street", "deleted_at")
    column_labels = {
        "client_number": lazy_gettext("Client number"),
        "name": lazy_gettext("Name"),
        "city": lazy_gettext("City"),
        "street": lazy_gettext("Street"),
        "deleted_at": lazy_gettext("Deleted"),
    }
    column_default_sort = [("deleted_at", True), ("id", True)]
    column_searchable_list = ("search_text",)
    column_details_exclude_list = ("search_text", "portal_password_hash", "version")

    def get_query(self):
        return super().get_query().filter(Contact.deleted_at.is_not(None))

    def get_count_query(self):
        return super().get_count_query().filter(Contact.deleted_at.is_not(None))

    def get_one(self, id):
        contact = super().get_one(id)
        if not contact.is_deleted:
            abort(404)
        return contact

    def search_placeholder(self) -> str:
        return gettext("Name, number, address, phone, e-mail, IDs, notes…")

    def _apply_search(self, query, count_query, joins, count_joins, search):
        condition = search_condition(search, db.engine.dialect.name)
        return query.filter(condition), count_query.filter(condition), joins, count_joins

    def is_action_allowed(self, name: str) -> bool:
        if name == "purge":
            return current_user.is_admin
        return super().is_action_allowed(name)

    def _selected(self, ids) -> list[Contact]:
        return db.session.scalars(
            sa.select(Contact).where(Contact.id.in_(row_ids(ids)), Contact.deleted_at.is_not(None))
        ).all()

    @action("restore", lazy_gettext("Restore"), lazy_gettext("Put the selected contacts back in the register?"))
    def action_restore(self, ids):
        contacts = self._selected(ids)
        for contact in contacts:
            restore(contact, current_user)
        db.session.commit()
        flash(
            ngettext(
                "%(num)d contact restored, without its former CATV socket; its services stay ended.",
                "%(num)d contacts restored, without their former CATV sockets; their services stay ended.",
                len(contacts),
            ),
            "success",
        )

    @action(
        "purge",
        lazy_gettext("Purge for good"),
        lazy_gettext("Delete the selected contacts and their history for good? This cannot be undone."),
    )
    def action_purge(self, ids):
        if not current_user.is_admin:
            abort(403)
        contacts = self._selected(ids)
        refused = purge_refusals(contacts)
        if refused:
            flash(gettext("Nothing was purged. %(reasons)s", reasons=" ".join(refused)), "error")
            return
        for contact in contacts:
            db.session.delete(contact)
        db.session.commit()
        flash(ngettext("%(num)d contact purged.", "%(num)d contacts purged.", len(contacts)), "success")

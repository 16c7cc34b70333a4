"""Lists whose entries other records use (code lists, invoice groups): usage counts, and no deleting a used entry."""

from __future__ import annotations

import sqlalchemy as sa
from flask import flash
from flask_admin.actions import action
from flask_babel import gettext, lazy_gettext, ngettext
from markupsafe import Markup

from admin_views.base import BaseModelView, filtered_list_url, row_ids
from models import Contact, db


def usage_formatter(view, context, model, name):
    """How many records use the entry, linked to the contacts list filtered by it."""
    count = getattr(model, "usage_count", 0)
    url = view.usage_url(model)
    if not count or url is None:
        return count
    return Markup('<a href="{}">{}</a>').format(url, count)


def usage_count_formatter(view, context, model, name):
    """The usage count as plain text, for exports."""
    return getattr(model, "usage_count", 0)


class UsageCountedView(BaseModelView):
    """A list whose entries other records refer to: it shows how many, and refuses to delete used ones."""

    # The column (a table column, not the ORM attribute: that would be a descriptor on the view)
    # that refers to this list, for usage counts and the in-use rule.
    used_by: sa.Column = None
    used_by_noun = lazy_gettext("contacts")
    column_formatters = {"usage": usage_formatter}
    column_formatters_export = {"usage": usage_count_formatter}
    column_labels = {"usage": lazy_gettext("Used by")}

    # Usage counts: one GROUP BY query for the page, not one per row.

    def get_list(self, *args, **kwargs):
        count, rows = super().get_list(*args, **kwargs)
        if not kwargs.get("execute", True):
            return count, rows  # an export's query, not a page
        rows = list(rows)
        usage = self.usage_of([row.id for row in rows])
        for row in rows:  # read by the usage formatters
            row.usage_count = usage.get(row.id, 0)
        return count, rows

    def usage_of(self, ids: list[int]) -> dict[int, int]:
        """How many records use each of the entries `ids`."""
        if not ids:
            return {}
        return dict(
            db.session.execute(
                sa.select(self.used_by, sa.func.count()).where(self.used_by.in_(ids)).group_by(self.used_by)
            ).all()
        )

    def usage_url(self, model) -> str | None:
        if self.used_by.table is not Contact.__table__:
            return None
        return filtered_list_url("contact", self.used_by.key, model.id)

    # Deleting: refused for entries in use, from the row button and the bulk action alike.

    def refusal(self, models) -> str | None:
        """Why these entries cannot be deleted, or None when they can."""
        usage = self.usage_of([m.id for m in models])
        used = [(m, usage[m.id]) for m in models if usage.get(m.id)]
        if not used:
            return None
        return (
            "; ".join(
                ngettext(
                    "“%(name)s” is used by %(num)d %(what)s",
                    "“%(name)s” is used by %(num)d %(what)s",
                    count,
                    name=m.name,
                    what=self.used_by_noun,
                )
                for m, count in used
            )
            + ". "
            + gettext("Nothing was deleted; choose another entry for them first, or hide this one.")
        )

    def delete_model(self, model) -> bool:
        reason = self.refusal([model])
        if reason:
            flash(reason, "error")
            return False
        return super().delete_model(model)

    @action("delete", lazy_gettext("Delete"), lazy_gettext("Are you sure you want to delete selected records?"))
    def action_delete(self, ids):
        models = db.session.scalars(sa.select(self.model).where(self.model.id.in_(row_ids(ids)))).all()
        reason = self.refusal(models)
        if reason:
            flash(reason, "error")
            return None
        return super().action_delete(ids)

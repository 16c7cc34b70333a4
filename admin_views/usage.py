"""Lists whose entries other records use (code lists, invoice groups): usage counts, no deleting a
used entry, and names unique whatever the case."""

from __future__ import annotations

import sqlalchemy as sa
from flask import flash, request
from flask_admin.actions import action
from flask_babel import gettext, lazy_gettext, ngettext
from markupsafe import Markup
from sqlalchemy.exc import IntegrityError
from wtforms.validators import ValidationError

from admin_views.base import BaseModelView, add_field_errors, filtered_list_url, row_ids
from domain.code_lists import entry_named
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
    column_labels = BaseModelView.column_labels | {"usage": lazy_gettext("Used by")}

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

    # Names: unique whatever the case. The check names the entry that has the name; a save that
    # got past it at the same moment as another is refused by the database's unique index on
    # lower(name), and told at the same field.

    def validate_form(self, form) -> bool:
        valid = super().validate_form(form)
        if request.method != "POST" or "name" not in form or not form.name.data or form.name.errors:
            return valid  # Flask-Admin's own check already says an exact name exists
        return add_field_errors(form, self.name_taken(form)) and valid

    def name_taken(self, form) -> dict[str, str]:
        """{"name": message} when another entry has the typed name (whatever the case), else {}."""
        other = entry_named(self.model, form.name.data, form._obj.id if form._obj is not None else 0)
        return {} if other is None else {"name": gettext("“%(name)s” already exists.", name=other.name)}

    def on_model_change(self, form, model, is_created):
        try:
            db.session.flush()
        except IntegrityError:
            db.session.rollback()
            taken = self.name_taken(form)
            if not taken:
                raise
            add_field_errors(form, taken)
            raise ValidationError(gettext("Someone saved this name a moment ago; nothing was saved.")) from None

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

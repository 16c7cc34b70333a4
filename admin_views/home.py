"""The panel's start page, and the endpoint its pages' scripts remember a user's choices with."""

from __future__ import annotations

from flask import abort, request
from flask_admin import AdminIndexView, expose
from flask_login import current_user
from sqlalchemy import func, select

from admin_views.base import ProtectedView
from domain.preferences import remember_preference
from models import Contact, db


class HomeView(ProtectedView, AdminIndexView):
    """The panel's start page with a few counts."""

    @expose("/")
    def index(self):
        counts = {
            "contacts": db.session.scalar(
                select(func.count()).select_from(Contact).where(Contact.deleted_at.is_(None))
            ),
        }
        return self.render("admin/home.html", counts=counts)

    @expose("/preferences/<preference_name>", methods=["POST"])
    def remember(self, preference_name: str):
        """Remember a choice the page made for this user (posted by its script, with the form's
        security token): the form field `item` repeated, one per name chosen."""
        try:
            remember_preference(current_user._get_current_object(), preference_name, request.form.getlist("item"))
        except ValueError:
            abort(400)
        db.session.commit()
        return "", 204

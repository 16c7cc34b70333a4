"""Staff users (administrators only)."""

from __future__ import annotations

from flask_babel import gettext, lazy_gettext
from flask_login import current_user
from sqlalchemy import func, select
from wtforms import PasswordField
from wtforms.validators import Length, Optional, ValidationError

from admin_views.base import BaseModelView
from models import User, db
from domain.passwords import set_user_password


class UserView(BaseModelView):
    """Staff accounts; the password is typed here and stored only as a hash."""

    read_role = write_role = "admin"
    column_list = ("username", "full_name", "email", "role", "active", "last_login_at")
    column_default_sort = [("username", False), ("id", False)]
    column_searchable_list = ("username", "full_name")
    column_details_exclude_list = ("password_hash",)
    form_columns = ("username", "full_name", "email", "role", "active", "new_password")
    form_choices = {"role": [("staff", lazy_gettext("Staff")), ("admin", lazy_gettext("Administrator"))]}
    form_extra_fields = {
        "new_password": PasswordField(lazy_gettext("New password"), validators=[Optional(), Length(min=10, max=200)],
                                      description=lazy_gettext("At least 10 characters. Leave empty to keep the current password.")),
    }

    def validate_form(self, form) -> bool:
        valid = super().validate_form(form)
        if not valid or not hasattr(form, "new_password"):
            return valid
        if form._obj is None and not form.new_password.data:
            form.new_password.errors.append(gettext("A new user needs a password."))
            return False
        return valid

    def on_model_change(self, form, model, is_created):
        if form.new_password.data:
            set_user_password(model, form.new_password.data)
        if not is_created and model.id == current_user.id and (not model.active or not model.is_admin):
            raise ValidationError(gettext("You cannot take away your own administrator access."))
        if not is_created:
            db.session.flush()
            if not remaining_admins():
                raise ValidationError(gettext("At least one active administrator must remain."))

    def on_model_delete(self, model):
        if model.id == current_user.id:
            raise ValidationError(gettext("You cannot delete your own account."))
        if model.is_admin and model.active and remaining_admins() <= 1:
            raise ValidationError(gettext("At least one active administrator must remain."))


def remaining_admins() -> int:
    """How many active administrators the database holds (within the current transaction)."""
    return db.session.scalar(select(func.count()).select_from(User).where(User.role == "admin", User.active))


def register(admin) -> None:
    admin.add_view(UserView(User, db, name=lazy_gettext("Users"), endpoint="user",
                            menu_icon_type="fa", menu_icon_value="fa-users"))

"""Staff users (administrators only)."""

from __future__ import annotations

from flask_babel import gettext, lazy_gettext
from flask_login import current_user
from wtforms import PasswordField
from wtforms.validators import Length, Optional, ValidationError

from admin_views.base import BaseModelView
from auth.sessions import current_session_token
from domain.passwords import set_user_password
from domain.sessions import end_other_sessions
from domain.users import user_change_refusal, user_delete_refusal
from models import ROLES, User, db

ROLE_LABELS = {"admin": lazy_gettext("Administrator"), "staff": lazy_gettext("Staff")}


class UserView(BaseModelView):
    """Staff accounts; the password is typed here and stored only as a hash."""

    read_role = write_role = "admin"
    column_list = ("username", "full_name", "email", "role", "active", "last_login_at")
    column_labels = BaseModelView.column_labels | {
        "username": lazy_gettext("Username"),
        "full_name": lazy_gettext("Full name"),
        "role": lazy_gettext("Role"),
        "active": lazy_gettext("Active"),
        "last_login_at": lazy_gettext("Last login"),
        "last_invoice_group": lazy_gettext("Last invoice group"),
    }
    column_choices = {"role": list(ROLE_LABELS.items())}
    column_default_sort = [("username", False), ("id", False)]
    column_searchable_list = ("username", "full_name")
    # The language is the user's own choice, made with the switch in the navigation bar.
    column_details_exclude_list = ("password_hash", "last_invoice_group_id", "language")
    form_columns = ("username", "full_name", "email", "role", "active", "new_password")
    # Staff first, as the form has always listed them (ROLES names the administrator first).
    form_choices = {"role": [(role, ROLE_LABELS[role]) for role in reversed(ROLES)]}
    form_extra_fields = {
        "new_password": PasswordField(
            lazy_gettext("New password"),
            validators=[Optional(), Length(min=10, max=200)],
            description=lazy_gettext("At least 10 characters. Leave empty to keep the current password."),
        ),
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
            # The user's other sessions end; the administrator's own one (if it is theirs) stays.
            set_user_password(model, form.new_password.data, keep_session=current_session_token())
        refusal = None if is_created else user_change_refusal(model, current_user)
        if refusal:
            raise ValidationError(refusal)
        if not model.active:
            # A deactivated user's sessions end now, not when the user is activated again.
            end_other_sessions(user_id=model.id)

    def on_model_delete(self, model):
        refusal = user_delete_refusal(model, current_user)
        if refusal:
            raise ValidationError(refusal)


def register(admin) -> None:
    admin.add_view(
        UserView(User, db, name=lazy_gettext("Users"), endpoint="user", menu_icon_type="fa", menu_icon_value="fa-users")
    )

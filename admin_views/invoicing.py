"""Invoice groups: the provider's invoicing companies, their number series, logos and stamps."""

from __future__ import annotations

from flask import abort, request, send_file, url_for
from flask_admin import expose
from flask_admin.form import rules
from flask_babel import lazy_gettext
from markupsafe import Markup
from wtforms import FileField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from admin_views.base import add_field_errors
from admin_views.usage import UsageCountedView
from domain.identifiers import parse_company_id, parse_vat_id
from domain.invoicing import series_errors
from domain.validators import (
    parse_bank_account,
    parse_bic,
    parse_email_list,
    parse_iban,
    parse_phone,
    parse_postcode,
    parse_url,
    wtforms_validator,
)
from models import Contact, InvoiceGroup, db
from storage.uploads import MAX_UPLOAD_BYTES, delete_image, store_image, stored_image_path

CURRENCIES = ("CZK", "EUR", "USD", "GBP", "PLN", "HUF", "CHF")
IMAGE_KINDS = ("logo", "stamp")


def image_formatter(view, context, model, name):
    """A thumbnail of the group's logo or stamp."""
    if not getattr(model, f"{name}_path"):
        return ""
    url = url_for(".image", group_id=model.id, kind=name, thumbnail=1)
    return Markup('<img src="{}" alt="{}" class="img-thumbnail" style="max-height: 48px">').format(url, name)


def series_formatter(view, context, model, name):
    return model.next_invoice_preview


class InvoiceGroupView(UsageCountedView):
    """Invoice groups; administrators change them, staff read them. A group with contacts stays."""

    write_role = "admin"
    used_by = Contact.__table__.c.invoice_group_id

    column_list = (
        "name",
        "company_name",
        "company_id",
        "currency",
        "vat_payer",
        "next_invoice",
        "logo",
        "stamp",
        "hidden",
        "usage",
    )
    column_labels = UsageCountedView.column_labels | {
        "next_invoice": lazy_gettext("Next invoice number"),
        "company_name": lazy_gettext("Company name"),
        "company_id": lazy_gettext("Company ID"),
        "vat_id": lazy_gettext("VAT ID"),
        "vat_payer": lazy_gettext("VAT payer"),
        "currency": lazy_gettext("Currency"),
        "bank_account": lazy_gettext("Bank account"),
        "iban": "IBAN",
        "bic": "BIC",
        "due_days": lazy_gettext("Default due days"),
        "series_prefix": lazy_gettext("Series prefix"),
        "number_digits": lazy_gettext("Digits"),
        "next_number": lazy_gettext("Next number"),
        "footer": lazy_gettext("Footer text"),
        "logo": lazy_gettext("Logo"),
        "stamp": lazy_gettext("Stamp"),
    }
    column_formatters = UsageCountedView.column_formatters | {
        "next_invoice": series_formatter,
        "logo": image_formatter,
        "stamp": image_formatter,
    }
    column_formatters_export = UsageCountedView.column_formatters_export | {"next_invoice": series_formatter}
    column_export_exclude_list = ("logo", "stamp")
    column_default_sort = [("name", False), ("id", False)]
    column_searchable_list = ("name", "company_name")
    column_details_exclude_list = ("logo_path", "stamp_path")

    form_excluded_columns = ("logo_path", "stamp_path")
    form_rules = [
        rules.FieldSet(("name", "hidden"), lazy_gettext("Invoice group")),
        rules.FieldSet(
            (
                "company_name",
                rules.Row("company_id", "vat_id", "vat_payer"),
                rules.Row("street", "postcode", "city", "country"),
                rules.Row("email", "phone", "web"),
            ),
            lazy_gettext("Company"),
        ),
        rules.FieldSet(
            (rules.Row("currency", "due_days"), rules.Row("bank_account", "iban", "bic")), lazy_gettext("Payments")
        ),
        rules.FieldSet(
            (rules.Row("series_prefix", "number_digits", "next_number"), rules.Macro("rule_macros.series_preview")),
            lazy_gettext("Invoice number series"),
        ),
        rules.FieldSet(
            (rules.Macro("rule_macros.group_images"), rules.Row("logo", "stamp"), "footer"),
            lazy_gettext("Printed on invoices"),
        ),
    ]
    form_extra_fields = {
        "logo": FileField(lazy_gettext("Logo"), description=lazy_gettext("PNG or JPEG, at most 2 MB.")),
        "stamp": FileField(lazy_gettext("Stamp"), description=lazy_gettext("PNG or JPEG, at most 2 MB.")),
    }
    form_overrides = {"currency": SelectField, "footer": TextAreaField}
    form_args = {
        "name": {"validators": [InputRequired(), Length(max=64)]},
        "company_name": {"validators": [InputRequired(), Length(max=200)]},
        "company_id": {"validators": [wtforms_validator(parse_company_id, "country")]},
        "vat_id": {"validators": [wtforms_validator(parse_vat_id, "country")]},
        "postcode": {"validators": [Optional(), wtforms_validator(parse_postcode, "country")]},
        "email": {"validators": [wtforms_validator(parse_email_list)]},
        "phone": {"validators": [wtforms_validator(parse_phone, "country")]},
        "web": {"validators": [wtforms_validator(parse_url)]},
        "currency": {"choices": [(c, c) for c in CURRENCIES]},
        "bank_account": {"validators": [wtforms_validator(parse_bank_account)]},
        "iban": {"validators": [wtforms_validator(parse_iban)]},
        "bic": {"validators": [wtforms_validator(parse_bic)]},
        "due_days": {"validators": [InputRequired(), NumberRange(0, 3650)]},
        "series_prefix": {
            "description": lazy_gettext("Digits put before the number, e.g. the year 2026."),
        },
        "number_digits": {"validators": [InputRequired(), NumberRange(1, 10)]},
        "next_number": {"validators": [InputRequired(), NumberRange(1)]},
    }
    extra_js = ["/static/admin/invoice_group.js"]
    create_template = "admin/rules_create.html"
    edit_template = "admin/rules_edit.html"

    def validate_form(self, form) -> bool:
        valid = super().validate_form(form)
        if request.method != "POST" or "series_prefix" not in form:
            return valid
        prefix = (form.series_prefix.data or "").strip()
        form.series_prefix.data = prefix
        # A number its own field refused is left out of the series rule (no second message).
        digits, next_number = (None if f.errors else f.data for f in (form.number_digits, form.next_number))
        errors = series_errors(prefix, digits, next_number, form._obj)
        for kind in IMAGE_KINDS:
            upload = request.files.get(kind)
            if upload and upload.filename:
                with upload.stream:
                    data = upload.read(MAX_UPLOAD_BYTES + 1)
                try:
                    form[kind].data = store_image(data, kind)
                except ValueError as error:
                    errors[kind] = str(error)
            else:
                form[kind].data = None
        return add_field_errors(form, errors) and valid

    def on_model_change(self, form, model, is_created):
        super().on_model_change(form, model, is_created)
        for kind in IMAGE_KINDS:
            if form[kind].data:
                delete_image(getattr(model, f"{kind}_path") if not is_created else None)
                setattr(model, f"{kind}_path", form[kind].data)

    def after_model_delete(self, model):
        for kind in IMAGE_KINDS:
            delete_image(getattr(model, f"{kind}_path"))

    @expose("/image/<int:group_id>/<kind>/")
    def image(self, group_id: int, kind: str):
        """A group's stored logo or stamp (or its thumbnail), served as PNG."""
        group = db.session.get(InvoiceGroup, group_id)
        if group is None or kind not in IMAGE_KINDS:
            abort(404)
        path = stored_image_path(getattr(group, f"{kind}_path"), thumbnail=bool(request.args.get("thumbnail")))
        if path is None:
            abort(404)
        response = send_file(path, mimetype="image/png", max_age=0)
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response


def register(admin) -> None:
    admin.add_view(
        InvoiceGroupView(
            InvoiceGroup,
            db,
            name=lazy_gettext("Invoice groups"),
            category=lazy_gettext("Invoicing"),
            endpoint="invoice_group",
        )
    )

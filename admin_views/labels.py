"""Column labels every admin view shares, in the user's language."""

from __future__ import annotations

from flask_babel import lazy_gettext
from flask_babel import lazy_pgettext as pgettext  # named as Babel's extraction keyword for contexts

# Flask-Admin names a column without a label after its attribute, in English ("Start Date"):
# every column our views show or filter by has a label from the catalogue. Views add their own.
COLUMN_LABELS = {
    "id": "ID",
    # "Name" alone is the contact's "Jméno / název"; an entry, a city or a company has a "Název".
    "name": pgettext("thing", "Name"),
    "description": lazy_gettext("Description"),
    "position": lazy_gettext("Position"),
    "hidden": lazy_gettext("Hidden"),
    "created_at": lazy_gettext("Created"),
    "contact": lazy_gettext("Contact"),
    "contact_id": lazy_gettext("Contact ID"),
    "note": lazy_gettext("Note"),
    "street": lazy_gettext("Street"),
    "city": lazy_gettext("City"),
    "postcode": lazy_gettext("Postcode"),
    "country": lazy_gettext("Country"),
    "email": lazy_gettext("E-mail"),
    "phone": lazy_gettext("Phone"),
    "web": lazy_gettext("Web"),
}

"""WTForms' own messages ("This field is required.", "Number must be between 1 and 8.") in the
request's language, for every form of ours: Flask-Admin's and Flask-WTF's alike get them through
CheckedForm (admin_views/forms.py).

Our catalogue translations/<language>/LC_MESSAGES/wtforms.po is read over the one WTForms ships,
whose Czech mixes in English ("mezi 1 and 8") and misspells; a message only WTForms' catalogue
has (one a newer WTForms adds) still comes from there. English is WTForms' own English.
"""

from __future__ import annotations

from flask_babel import Domain, get_babel
from wtforms.i18n import messages_path


class FormMessagesDomain(Domain):
    @property
    def translation_directories(self) -> list[str]:
        # A later directory's entries override an earlier one's: ours win over WTForms'.
        return [messages_path(), *get_babel().translation_directories]


domain = FormMessagesDomain(domain="wtforms")


class FormMessages:
    """WTForms' translations interface; the language is looked up when a message is told."""

    def gettext(self, string: str) -> str:
        return domain.get_translations().ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return domain.get_translations().ungettext(singular, plural, n)


form_messages = FormMessages()

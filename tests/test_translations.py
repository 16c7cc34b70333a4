"""The Czech interface: every string of ours is translated with its placeholders, and a Czech browser gets it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from wtforms.i18n import messages_path

from tests.helpers import csrf_token

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "translations" / "cs" / "LC_MESSAGES" / "messages.po"
# What a translation must keep: %(name)s-style and %s placeholders, HTML tags, $MESSAGE_VARIABLES$.
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|<[^>]+>|\$\w+\$")


def czech() -> dict:
    """The Czech catalogue: msgid (a tuple for plurals) -> msgstr (a tuple for plurals)."""
    with CATALOGUE.open("rb") as handle:
        return {message.id: message.string for message in read_po(handle, locale="cs") if message.id}


def interface_strings(tmp_path: Path) -> set:
    """The strings of our Python and templates, extracted as `make translations-update` does."""
    template = tmp_path / "messages.pot"
    subprocess.run(
        [
            str(Path(sys.executable).parent / "pybabel"),
            "-q",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "lazy_gettext",
            "--no-location",
            "--ignore-dirs=.venv tests bench migrations",
            "-o",
            str(template),
            ".",
        ],
        cwd=ROOT,
        check=True,
    )
    with template.open("rb") as handle:
        return {message.id for message in read_po(handle) if message.id}


def test_every_interface_string_has_a_czech_translation_with_its_placeholders(tmp_path):
    catalogue = czech()
    missing = interface_strings(tmp_path) - {
        key for key, value in catalogue.items() if all(value if isinstance(value, tuple) else (value,))
    }
    assert not missing, f"untranslated (make translations-update, then translate): {sorted(map(str, missing))}"
    for key, value in catalogue.items():
        originals = key if isinstance(key, tuple) else (key,)
        allowed = [sorted(PLACEHOLDER.findall(original)) for original in originals]
        for form in value if isinstance(value, tuple) else (value,):
            assert sorted(PLACEHOLDER.findall(form)) in allowed, (key, form)


@pytest.mark.parametrize("domain", ["messages", "admin", "wtforms"])
def test_no_catalogue_entry_is_fuzzy_empty_or_given_twice(domain):
    """A fuzzy entry is left out of the compiled catalogue (the page shows English), an empty one
    shows English, and a msgid given twice (two branches adding the same string) makes one of
    the two translations silently lose."""
    source = CATALOGUE.with_name(f"{domain}.po")
    ids = re.findall(r'(?:^msgctxt "(.*)"\n)?^msgid "(.*)"$', source.read_text(encoding="utf-8"), flags=re.MULTILINE)
    given_twice = sorted({msgid for msgid in ids if msgid[1] and ids.count(msgid) > 1})
    assert not given_twice, f"{domain}.po gives these twice: {given_twice}"
    with source.open("rb") as handle:
        catalogue = read_po(handle, locale="cs")
    fuzzy = [message.id for message in catalogue if message.id and message.fuzzy]
    empty = [
        message.id
        for message in catalogue
        if message.id and not all(message.string if isinstance(message.string, tuple) else (message.string,))
    ]
    assert not fuzzy, f"{domain}.po has fuzzy entries: {fuzzy}"
    assert not empty, f"{domain}.po has untranslated entries: {empty}"


def test_our_wtforms_catalogue_has_every_message_wtforms_has_with_its_placeholders():
    """A message WTForms adds (a newer WTForms) would otherwise come from WTForms' own Czech."""
    with (Path(messages_path()) / "wtforms.pot").open("rb") as handle:
        template = {message.id for message in read_po(handle) if message.id}
    with CATALOGUE.with_name("wtforms.po").open("rb") as handle:
        ours = {message.id: message.string for message in read_po(handle, locale="cs") if message.id}
    assert not template - ours.keys(), f"add to translations/cs/LC_MESSAGES/wtforms.po: {template - ours.keys()}"
    for key, value in ours.items():
        originals = key if isinstance(key, tuple) else (key,)
        for form in value if isinstance(value, tuple) else (value,):
            assert sorted(PLACEHOLDER.findall(form)) == sorted(PLACEHOLDER.findall(originals[0])), (key, form)
            assert " and " not in form, form


@pytest.mark.parametrize("domain", ["messages", "admin", "wtforms"])
def test_the_compiled_catalogues_are_up_to_date(domain):
    source = CATALOGUE.with_name(f"{domain}.po")
    compiled = source.with_suffix(".mo")
    assert compiled.exists() and compiled.stat().st_mtime >= source.stat().st_mtime, (
        f"translations/cs/LC_MESSAGES/{domain}.mo is missing or older than its .po: run make translations"
    )


@pytest.mark.parametrize("language", ["cs", "en"])
def test_a_browser_gets_the_interface_in_its_language(staff, make_contact, language):
    make_contact(name="Novák Jan")
    html = staff.get("/admin/contact/", headers={"Accept-Language": f"{language},en;q=0.5"}).get_data(as_text=True)
    catalogue = czech()
    words = ("Client number", "Change group, status, location, payment, invoice group or mark…", "Row colours:")
    for english in words:
        shown, other = (catalogue[english], english) if language == "cs" else (english, catalogue[english])
        assert shown in html and other not in html, english


def test_a_form_error_is_told_in_czech_and_keeps_the_typed_data(admin):
    """Flask-Admin's own "Failed to create record." is missing from the Czech catalogue it ships;
    translations/cs/LC_MESSAGES/admin.po supplies it. (The contact form says it in its summary instead.)"""
    czech_browser = {"Accept-Language": "cs"}
    token = csrf_token(admin, "/admin/invoice_group/new/")
    html = admin.post(
        "/admin/invoice_group/new/",
        headers=czech_browser,
        data={"csrf_token": token, "name": "", "company_name": "Dlouhá s.r.o."},
    ).get_data(as_text=True)
    assert "Vytvoření záznamu se nezdařilo." in html and "Failed to create record." not in html
    assert 'value="Dlouhá s.r.o."' in html

"""Info messages: the audience and period rule, and the HTML that survives sanitising (no HTTP)."""

from __future__ import annotations

from datetime import date

from markupsafe import Markup

from domain.info_messages import info_message_errors, sanitise_html
from models import ClientGroup, ClientStatus


def test_a_message_for_everyone_within_its_period_is_valid(app):
    with app.app_context():
        assert info_message_errors("all", None, None, date(2026, 1, 1), date(2026, 1, 1)) == {}
        assert info_message_errors("all", None, None, None, None) == {}


def test_a_group_or_status_audience_needs_its_group_or_status(app):
    with app.app_context():
        assert info_message_errors("group", None, None, None, None) == {
            "client_group": "Choose the group the message is for."
        }
        assert info_message_errors("status", None, None, None, None) == {
            "client_status": "Choose the status the message is for."
        }
        assert info_message_errors("group", ClientGroup(name="VIP"), None, None, None) == {}
        assert info_message_errors("status", None, ClientStatus(name="Late"), None, None) == {}


def test_a_message_cannot_end_before_it_starts(app):
    with app.app_context():
        assert info_message_errors("all", None, None, date(2026, 2, 1), date(2026, 1, 31)) == {
            "valid_to": "The message cannot end before it starts."
        }


def test_sanitising_keeps_simple_formatting_and_drops_scripts_handlers_and_unsafe_links():
    html = sanitise_html(
        '<p onclick="x()">Hi <strong>all</strong></p><script>alert(1)</script>'
        '<a href="javascript:alert(1)">bad</a><a href="https://example.cz" title="t">ok</a>'
        '<span style="color: red">plain</span>'
    )
    assert isinstance(html, Markup)
    assert "<p>Hi <strong>all</strong></p>" in html
    assert "script" not in html and "onclick" not in html and "javascript" not in html and "style" not in html
    assert '<a href="https://example.cz" title="t"' in html and "plain" in html
    assert sanitise_html(None) == ""

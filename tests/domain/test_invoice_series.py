"""Invoice number series: digits only, at most ten digits, the next number fits and never goes back (no HTTP)."""

from __future__ import annotations

import pytest

from domain.invoicing import series_errors
from models import InvoiceGroup, db


@pytest.mark.parametrize(
    "prefix,digits,number,expected",
    [
        ("2026", 6, 1, {}),
        ("", 10, 9_999_999_999, {}),
        ("FA", 6, 1, {"series_prefix": "Only digits: invoice numbers are variable symbols."}),
        ("2026", 7, 1, {"number_digits": "Prefix and digits together make at most 10 digits."}),
        ("2026", 3, 1000, {"next_number": "The number does not fit into 3 digits."}),
        ("20", None, None, {}),
    ],
)
def test_series_rules_for_a_new_group(app, prefix, digits, number, expected):
    with app.app_context():
        assert series_errors(prefix, digits, number, None) == expected


def test_the_series_never_goes_back_unless_a_new_prefix_starts_a_new_one(app, make_invoice_group):
    group_id = make_invoice_group(series_prefix="2026", number_digits=4, next_number=120).id
    with app.app_context():
        group = db.session.get(InvoiceGroup, group_id)
        assert series_errors("2026", 4, 119, group) == {
            "next_number": "The series has reached 20260120; going back would issue numbers twice."
        }
        assert series_errors("2026", 4, 120, group) == {}
        assert series_errors("2026", 4, 121, group) == {}
        assert series_errors("2027", 4, 1, group) == {}

"""Text on an office-chosen colour (a status badge) is black or white, whichever reads better: 4.5:1 at least."""

import itertools

import pytest

from domain.contrast import BLACK, WHITE, contrast_ratio, relative_luminance, text_colour_on


def test_contrast_ratios_are_wcags():
    assert relative_luminance("#000000") == 0 and relative_luminance("#ffffff") == 1
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio("#ffffff", "#000000") == pytest.approx(21)
    assert contrast_ratio("#777777", "#777777") == 1
    assert contrast_ratio("#0062cc", "#ffffff") == pytest.approx(5.80, abs=0.01)  # ispdesk.css's blue


@pytest.mark.parametrize(
    "background,text",
    [
        ("#ffffff", BLACK),
        ("#ffeeba", BLACK),
        ("#f39c12", BLACK),  # the demo data's orange: white on it is 2.2:1
        ("#3498db", BLACK),
        ("#e74c3c", BLACK),
        ("#9b59b6", WHITE),
        ("#7f8c8d", BLACK),
        ("#0062cc", WHITE),
        ("#000000", WHITE),
        ("#FF0000", BLACK),  # upper case reads the same
    ],
)
def test_text_is_black_or_white_by_luminance(background, text):
    assert text_colour_on(background) == text


def test_every_colour_gets_text_of_at_least_4_5_to_1():
    steps = range(0, 256, 15)
    for red, green, blue in itertools.product(steps, steps, steps):
        background = f"#{red:02x}{green:02x}{blue:02x}"
        assert contrast_ratio(background, text_colour_on(background)) >= 4.5, background

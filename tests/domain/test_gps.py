"""GPS as copied from Mapy.cz and Google Maps or typed with decimal commas; shown as Mapy.cz writes it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from domain.gps import format_gps, map_url, parse_gps

PRAGUE = (Decimal("50.075525"), Decimal("14.437801"))  # 50.0755247, 14.4378006 to 6 places


# The messages' gettext needs an app with Babel; no database: these rules never query one.
pytestmark = pytest.mark.usefixtures("babel_request")


@pytest.mark.parametrize(
    "typed",
    [
        "50.0755247N, 14.4378006E",  # Mapy.cz
        "50.0755247N 14.4378006E",
        "50.0755247 N, 14.4378006 E",
        "N 50.0755247, E 14.4378006",
        "14.4378006E, 50.0755247N",  # the letters say which is which
        "50.0755247n, 14.4378006e",
        "N 50°4.53148', E 14°26.26804'",  # Mapy.cz, degrees and minutes
        "50.0755247, 14.4378006",  # Google Maps
        "50.0755247,14.4378006",
        "  50.0755247 ;14.4378006 ",
        "50,0755247 14,4378006",  # decimal commas
        "50,0755247; 14,4378006",
        "50,0755247, 14,4378006",
        "50,0755247N, 14,4378006E",
    ],
)
def test_map_copy_formats_and_decimal_commas_are_read(typed):
    assert parse_gps(typed) == PRAGUE


@pytest.mark.parametrize(
    ("typed", "lat", "lon"),
    [
        ("50°04'31.9\"N 14°26'16.1\"E", "50.075528", "14.437806"),  # Google Maps' DMS
        ("50°4'31.8\"N 14°26'16.1\"E", "50.075500", "14.437806"),
        ("50° 4' 31,8\" N, 14° 26' 16,1\" E", "50.075500", "14.437806"),
        ("50 4 31.8 N 14 26 16.1 E", "50.075500", "14.437806"),
        ("33°51'54\"S 151°12'34\"E", "-33.865000", "151.209444"),
        ("33.865S, 151.209444E", "-33.865000", "151.209444"),
        ("34.6037S, 58.3816W", "-34.603700", "-58.381600"),
        ("-33.865, 151.209444", "-33.865000", "151.209444"),
        ("\u221233,865 151,209444", "-33.865000", "151.209444"),  # the minus sign of Czech texts
        ("50, 14", "50.000000", "14.000000"),
        ("0, 0", "0.000000", "0.000000"),
        ("90, 180", "90.000000", "180.000000"),
        ("-90, -180", "-90.000000", "-180.000000"),
        ("50.0000004, 14.0000005", "50.000000", "14.000001"),  # rounded to 6 places, half up
    ],
)
def test_positions_are_stored_as_decimal_degrees_rounded_to_six_places(typed, lat, lon):
    assert tuple(map(str, parse_gps(typed))) == (lat, lon)


@pytest.mark.parametrize(
    "typed",
    [
        "north",
        "50.1",
        "50,14",  # one number with a decimal comma
        "50,1,14",  # 50,1 and 14, or 50 and 1,14?
        "50,0755,14,4378",
        "50,0755 14.4378",  # a decimal comma and a decimal point
        "50.1 N 14.2",  # the letter belongs to either number
        "50.1N 14.2",
        "50.1N, 14.2N",
        "-50.1N, 14E",
        "N 50.1 S, 14E",
        "1, 2, 3",
        "50 30 14 30",  # degrees and minutes split two ways
        "50°61'0\"N 14°0'0\"E",
        "50°4.5'30\"N 14°0'0\"E",
        "50.5°30'N 14°E",
        "50.1, 14.4x",
        "50.0755,14.4378;",
        "+-1, 2",
        "٥٠.١, ١٤.٢",
        "５０.１, １４.２",
        "1" * 400 + ", 1",
    ],
)
def test_anything_else_is_refused_not_guessed(typed):
    with pytest.raises(ValueError, match=r"Enter GPS as Mapy\.cz or Google Maps copy it"):
        parse_gps(typed)


@pytest.mark.parametrize("typed", ["95.1, 14.4", "50.1, 181", "999°0'0\"N 1°0'0\"E", "90.0000001, 0"])
def test_out_of_range_is_refused(typed):
    with pytest.raises(ValueError, match="within ±90°"):
        parse_gps(typed)


@pytest.mark.parametrize(
    ("lat", "lon", "shown"),
    [
        ("50.075525", "14.437801", "50.075525N, 14.437801E"),
        ("50.075500", "14.437800", "50.0755N, 14.4378E"),
        ("-33.865000", "-58.381600", "33.865S, 58.3816W"),
        ("10.000000", "0.000000", "10N, 0E"),
    ],
)
def test_a_stored_position_is_shown_as_mapy_cz_writes_it_and_read_back(lat, lon, shown):
    position = Decimal(lat), Decimal(lon)
    assert format_gps(*position) == shown
    assert parse_gps(shown) == position


def test_nothing_stored_shows_nothing():
    assert format_gps(None, None) == ""


def test_the_map_link_puts_a_pin_on_the_position():
    url = map_url(Decimal("50.075525"), Decimal("14.437801"))
    assert url.startswith("https://mapy.cz/zakladni?")
    assert "x=14.437801&y=50.075525" in url and "id=14.437801,50.075525" in url and "source=coor" in url

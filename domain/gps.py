"""GPS positions as clerks copy them from maps: read, stored as decimal degrees, shown, linked."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import gettext

from domain.validators import has_foreign_digits

# One coordinate: decimal degrees (50.0755247), degrees and decimal minutes (50°4.53148') or
# degrees, minutes and seconds (50°4'31.9"), with a sign or a hemisphere letter before or after.
# The unit marks may be left out when spaces part the numbers (50 4 31.9 N); a decimal comma has
# become a point already.
_COORDINATE = re.compile(
    r"""(?P<before>[NSEW])?\s*(?P<sign>[-+])?
    (?P<degrees>[0-9]{1,3}(?:\.[0-9]+)?)(?:\s*[°º˚])?
    (?:(?:(?<=[°º˚])\s*|\s+)(?P<minutes>[0-9]{1,2}(?:\.[0-9]+)?)(?:\s*['′’])?
    (?:(?:(?<=['′’])\s*|\s+)(?P<seconds>[0-9]{1,2}(?:\.[0-9]+)?)(?:\s*(?:"|″|''|’’|”))?)?)?
    \s*(?P<after>[NSEW])?""",
    re.IGNORECASE | re.VERBOSE,
)
# Between latitude and longitude: a comma, a semicolon or spaces.
_COORDINATE_SEPARATOR = re.compile(r"\s*[,;]\s*|\s+")
GPS_PLACES = Decimal("0.000001")


def _gps_format_error() -> ValueError:
    return ValueError(gettext("Enter GPS as Mapy.cz or Google Maps copy it: 50.0755N, 14.4378E or 50.0755, 14.4378."))


def _coordinate(text: str) -> tuple[Decimal, str | None] | None:
    """Degrees (negative for - or S/W) and the hemisphere letter of one coordinate, or None."""
    match = _COORDINATE.fullmatch(text)
    if not match:
        return None
    before, sign, degrees, minutes, seconds, after = match.groups()
    # Only the last part has decimals, and minutes and seconds are below 60.
    parts = [part for part in (degrees, minutes, seconds) if part is not None]
    if (before and after) or any("." in part for part in parts[:-1]) or any(Decimal(p) >= 60 for p in parts[1:]):
        return None
    letter = (before or after or "").upper() or None
    if letter and sign:
        return None
    value = sum(Decimal(part) / 60**index for index, part in enumerate(parts))
    return (-value if sign == "-" or letter in ("S", "W") else value), letter


def _gps_reading(first: str, second: str) -> tuple[Decimal, Decimal] | None:
    """Latitude and longitude from two coordinates: in this order, or as their letters say."""
    coordinates = _coordinate(first), _coordinate(second)
    if None in coordinates:
        return None
    (a, a_letter), (b, b_letter) = coordinates
    if a_letter is None and b_letter is None:
        return a, b
    if a_letter in ("N", "S") and b_letter in ("E", "W"):
        return a, b
    if a_letter in ("E", "W") and b_letter in ("N", "S"):
        return b, a
    return None


def parse_gps(value: str) -> tuple[Decimal, Decimal]:
    """Latitude and longitude, rounded to 6 decimal places (about 10 cm), as they are copied from
    maps or typed: Google Maps' `50.0755247, 14.4378006` and `50°04'31.9"N 14°26'16.1"E`,
    Mapy.cz's `50.0755247N, 14.4378006E` and `N 50°4.53148', E 14°26.26804'`, with decimal
    commas `50,0755247 14,4378006` (then separated by a space, `;` or `, `).

    Text that could be read in two ways (`50,1,14`) is refused, not guessed.
    """
    text = value.strip().replace("\u2212", "-")
    if len(text) > 100 or has_foreign_digits(text):
        raise _gps_format_error()
    if not re.search(r"[0-9]\.[0-9]", text):
        text = re.sub(r"(?<=[0-9]),(?=[0-9])", ".", text)  # no decimal points: commas are decimal commas
    # Every place the text splits into two coordinates; a text read one way only is a position.
    readings = set()
    for separator in _COORDINATE_SEPARATOR.finditer(text):
        reading = _gps_reading(text[: separator.start()], text[separator.end() :])
        if reading is not None:
            readings.add(reading)
    if len(readings) != 1:
        raise _gps_format_error()
    [(lat, lon)] = readings
    if not (-90 <= lat <= 90) or not (-180 <= lon <= 180):
        raise ValueError(gettext("Latitude must be within ±90° and longitude within ±180°."))
    return lat.quantize(GPS_PLACES, ROUND_HALF_UP), lon.quantize(GPS_PLACES, ROUND_HALF_UP)


def format_gps(lat: Decimal | None, lon: Decimal | None) -> str:
    """A position as Mapy.cz writes it, `50.0755N, 14.4378E`: what a Czech clerk copies from
    the map, pastes back into it, and what parse_gps reads."""
    if lat is None or lon is None:
        return ""
    return f"{abs(lat).normalize():f}{'N' if lat >= 0 else 'S'}, {abs(lon).normalize():f}{'E' if lon >= 0 else 'W'}"


def map_url(lat: Decimal, lon: Decimal) -> str:
    """The position on Mapy.cz, with a pin on it."""
    return f"https://mapy.cz/zakladni?source=coor&id={lon:f},{lat:f}&x={lon:f}&y={lat:f}&z=17"

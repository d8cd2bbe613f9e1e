"""Parse coordinate text as spreadsheets hold it: decimal, full-width, or degrees-minutes-seconds."""

from __future__ import annotations

import math
import re
import unicodedata

_PRIMES = str.maketrans({"′": "'", "’": "'", "‘": "'", "″": '"', "”": '"', "“": '"', "º": "°", "˚": "°"})
# Hemisphere letters are capitals only: a lower-case s or m is a unit (113d04m12s).
_HEMISPHERE = re.compile(r"^(东经|北纬|西经|南纬|[NSEW])?\s*(.*?)\s*([NSEW]|东经|北纬|西经|南纬)?$")
_NUMBER = r"(\d+(?:\.\d+)?)"
_DMS = re.compile(
    rf"^{_NUMBER}\s*(?:°|度|d)\s*"
    rf"(?:{_NUMBER}\s*(?:'|分|m)\s*)?"
    rf"(?:{_NUMBER}\s*(?:\"|''|秒|s)\s*)?$",
    re.IGNORECASE,
)
_SPACED = re.compile(rf"^{_NUMBER}[\s:]+{_NUMBER}(?:[\s:]+{_NUMBER})?$")
# An exponent is accepted as the vectorised reader (pandas) accepts it, so that '1e999' is too large, not garbled.
_DECIMAL = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")
_NEGATIVE = {"S", "W", "西经", "南纬"}
# Not-a-number and infinity as float() and pandas spell them; checked first, since 'NaN' would otherwise
# read as a number between two hemisphere marks.
_NON_FINITE = re.compile(r"^[+-]?(nan|inf|infinity)$", re.IGNORECASE)
# The longest real form (东经113度04分12.123456秒) is about 25 characters; the patterns backtrack
# quadratically on long text, so a cell this long is refused before they see it.
_MAX_LENGTH = 64


class CoordinateError(ValueError):
    """Coordinate text that cannot be read as an angle."""


def normalise(text: str) -> str:
    """Fold full-width digits and punctuation (NFKC) and the many prime marks to ASCII."""
    folded = unicodedata.normalize("NFKC", text).translate(_PRIMES)
    return folded.replace("−", "-").replace("－", "-").strip()


def _from_parts(degrees: str, minutes: str | None, seconds: str | None, text: str) -> float:
    minute = float(minutes or 0.0)
    second = float(seconds or 0.0)
    if minute >= 60.0 or second >= 60.0:
        msg = f"minutes and seconds must be below 60 in {text!r}"
        raise CoordinateError(msg)
    return float(degrees) + minute / 60.0 + second / 3600.0


def _unsigned(body: str, text: str) -> float:
    if _DECIMAL.match(body):
        return float(body)
    match = _DMS.match(body) or _SPACED.match(body)
    if match is None:
        msg = f"not a coordinate: {text!r}"
        raise CoordinateError(msg)
    degrees, minutes, seconds = match.groups()
    return _from_parts(degrees, minutes, seconds, text)


def parse_coordinate(value: object) -> float:
    """Return decimal degrees from a number or text such as '１１３．０５', '113°04′12″E' or '113度4分12秒'."""
    if isinstance(value, bool):
        msg = f"not a coordinate: {value!r}"
        raise CoordinateError(msg)
    try:
        number = float(value) if isinstance(value, (int, float)) else _parse_text(str(value))
    except OverflowError as error:  # an integer beyond float's range
        msg = "not a finite number: too large"
        raise CoordinateError(msg) from error
    if not math.isfinite(number):
        msg = f"not a finite number: {value!r}"
        raise CoordinateError(msg)
    return number


def _parse_text(text: str) -> float:
    if len(text) > _MAX_LENGTH:
        msg = f"not a coordinate: {len(text):,} characters long"
        raise CoordinateError(msg)
    folded = normalise(text)
    if _NON_FINITE.match(folded):
        msg = f"not a finite number: {text!r}"
        raise CoordinateError(msg)
    match = _HEMISPHERE.match(folded)
    if match is None or not match.group(2):
        msg = f"not a coordinate: {text!r}"
        raise CoordinateError(msg)
    prefix, body, suffix = match.groups()
    if prefix and suffix:
        msg = f"two hemisphere marks in {text!r}"
        raise CoordinateError(msg)
    sign = -1.0 if (prefix or suffix or "") in _NEGATIVE else 1.0
    if body[:1] in "+-" and (prefix or suffix):
        msg = f"both a sign and a hemisphere in {text!r}"
        raise CoordinateError(msg)
    if body.startswith("-"):
        return -sign * _unsigned(body[1:].strip(), text)
    return sign * _unsigned(body.lstrip("+").strip(), text)

"""The coordinate parser: decimal, full-width, degrees-minutes-seconds, hemispheres."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mapgen.inputs.coords import CoordinateError, parse_coordinate

FULL_WIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")


@pytest.mark.parametrize(("text", "expected"), [
    ("113.05", 113.05),
    (" 28.8069 ", 28.8069),
    ("１１３．０５", 113.05),
    ("113°04′12″", 113 + 4 / 60 + 12 / 3600),
    ("113°04'12\"", 113 + 4 / 60 + 12 / 3600),
    ("113度4分12秒", 113 + 4 / 60 + 12 / 3600),
    ("113°04′12″E", 113 + 4 / 60 + 12 / 3600),
    ("E113°04′12.5″", 113 + 4 / 60 + 12.5 / 3600),
    ("N28°48′", 28.8),
    ("28°48.5′N", 28 + 48.5 / 60),
    ("东经113.5", 113.5),
    ("北纬28度30分", 28.5),
    ("１１３°０４′１２″", 113 + 4 / 60 + 12 / 3600),
    ("113 04 12", 113 + 4 / 60 + 12 / 3600),
    ("12.5S", -12.5),
    ("113d04m12s", 113 + 4 / 60 + 12 / 3600),
    ("-12.5", -12.5),
    ("－１２．５", -12.5),
    (113, 113.0),
    (28.5, 28.5),
])
def test_accepted_forms(text, expected):
    assert parse_coordinate(text) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("text", [
    "", "abc", "113,05", "113°61′", "113°4′75″", "N113E",
    "nan", "inf", "1.2.3", True, "-28.5S", "+113E",
])
def test_rejected_forms(text):
    with pytest.raises(CoordinateError):
        parse_coordinate(text)


@given(st.floats(0, 180, allow_nan=False).map(lambda v: round(v, 6)))
def test_decimal_and_full_width_agree(value):
    text = f"{value:.6f}"
    assert parse_coordinate(text) == pytest.approx(value, abs=1e-9)
    assert parse_coordinate(text.translate(FULL_WIDTH)) == pytest.approx(value, abs=1e-9)


@given(st.integers(0, 179), st.integers(0, 59), st.floats(0, 59.99).map(lambda v: round(v, 2)))
def test_dms_forms_agree_with_arithmetic(degrees, minutes, seconds):
    expected = degrees + minutes / 60 + seconds / 3600
    d, m, s = degrees, minutes, seconds
    forms = (f"{d}°{m}′{s}″", f"{d}度{m}分{s}秒", f"{d}°{m}'{s}\"E")
    for text in forms:
        assert parse_coordinate(text) == pytest.approx(expected, abs=1e-9)

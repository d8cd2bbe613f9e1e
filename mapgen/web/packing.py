"""Columns for the page as compact text: delta-coded integers packed 5 bits a character, and string tables."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

# The page's unpackInts (packing.js) reads these digits: URL-safe base 64, left alone by JSON and HTML.
_DIGITS = np.frombuffer(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", dtype=np.uint8)


def pack_ints(values: np.ndarray) -> str:
    """Signed integers as URL-safe base-64 text that JSON and HTML leave alone; unpackInts in the page reads it.

    Zigzag-signed, 5 bits a character with a 'more follows' bit, like Google's polyline encoding: a typical
    delta takes 2 characters instead of the 5 of '-170,'.

    >>> pack_ints(np.array([0, 1, -1, 1000]))
    'ACBw-B'
    """
    return _pack(np.asarray(values, dtype=np.int64))[0]


def pack_many(arrays: list[np.ndarray]) -> list[str]:
    """`pack_ints` of each array, in one vectorised pass over all of them (a map has thousands of rings)."""
    if not arrays:
        return []
    text, count = _pack(np.concatenate(arrays))
    value_end = np.cumsum([len(a) for a in arrays])
    char_end = np.cumsum(count)[value_end - 1] * (value_end > 0) if len(count) else np.zeros(len(arrays), int)
    char_start = np.r_[0, char_end[:-1]]
    return [text[a:b] for a, b in zip(char_start.tolist(), char_end.tolist(), strict=True)]


def _pack(ints: np.ndarray) -> tuple[str, np.ndarray]:
    """The packed text of `ints` and the number of characters each value took."""
    zigzag = ((ints << 1) ^ (ints >> 63)).astype(np.uint64)
    count = np.ones(len(zigzag), dtype=np.int64)
    rest = zigzag >> np.uint64(5)
    while rest.any():
        count += rest > 0
        rest >>= np.uint64(5)
    first = np.cumsum(count) - count
    out = np.empty(int(count.sum()), dtype=np.uint8)
    for k in range(int(count.max(initial=0))):
        has = count > k
        digit = (zigzag[has] >> np.uint64(5 * k)) & np.uint64(31)
        digit |= np.where(count[has] > k + 1, np.uint64(32), np.uint64(0))
        out[first[has] + k] = _DIGITS[digit.astype(np.int64)]
    return out.tobytes().decode("ascii"), count


def unpack_ints(text: str) -> list[int]:
    """The integers `pack_ints` packed (for tests and tools; the page has its own reader).

    >>> unpack_ints("ACBw-B")
    [0, 1, -1, 1000]
    """
    value, shift, out = 0, 0, []
    for char in text.encode("ascii"):
        digit = int(np.flatnonzero(char == _DIGITS)[0])
        value |= (digit & 31) << shift
        if digit & 32:
            shift += 5
            continue
        out.append(-((value + 1) >> 1) if value & 1 else value >> 1)
        value, shift = 0, 0
    return out


def delta(values: np.ndarray) -> str:
    """Integers as first value then differences (consecutive stations are near, so numbers stay short), packed."""
    return pack_ints(np.diff(values.astype(np.int64), prepend=0))


def text(value: Any) -> str:
    """A cell as display text: missing values become empty strings."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def as_text(column: pd.Series) -> pd.Series:
    """A column as display strings: missing values become empty strings."""
    return column.astype(object).where(column.notna(), "").astype(str)


def texts(column: pd.Series) -> list[str]:
    """A column as a list of display strings."""
    return as_text(column).tolist()


def string_table(column: pd.Series) -> tuple[list[str], list[int]]:
    """Distinct strings in order of first appearance, and each row's index into them."""
    codes, uniques = pd.factorize(as_text(column), sort=False)
    return [str(u) for u in uniques], codes.tolist()


def number(value: Any) -> float | int | None:
    """A table number for JSON: NaN becomes null, integers stay integers, floats are rounded to 2 places."""
    if value is None or pd.isna(value):
        return None
    if isinstance(value, int | np.integer):
        return int(value)
    return round(float(value), 2)

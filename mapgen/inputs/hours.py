"""Opening hours as written in station lists, parsed once at build time into a compact weekly schedule.

A schedule is a list of rules ``[day mask, start minute, end minute]``: the mask has Monday as bit 0 and
Sunday as bit 6, minutes count from midnight, and a rule whose end is not after its start runs past
midnight into the next day. ``None`` means the text was not understood, and the map then shows no
open/closed badge rather than a wrong one. The page evaluates schedules in ``schedule.js``; `open_at` is
the same evaluation in Python, for coverage counted at a given time (``--at``).

>>> parse_hours("周一至周五 8:00-18:00；周六 9:00-12:00")
[[31, 480, 1080], [32, 540, 720]]
>>> parse_hours("24小时")
[[127, 0, 1440]]
>>> parse_hours("20:00-06:00")
[[127, 1200, 360]]
>>> parse_hours("节假日另行通知") is None
True
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd
from numpy.typing import NDArray

DAY_MINUTES = 24 * 60

_DAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "末": -1}
_EN_DAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
_ALL_DAYS = 0b1111111  # every day of the week
_HOURS_TOKEN = re.compile(
    r"(?P<always>24\s*(?:小时|h\b|hours?)|全天候?|24/7|00?:00-24:00)"
    r"|(?P<span>(?:周|星期|礼拜)(?P<d1>[一二三四五六日天1-7])(?:-|至|到)(?:周|星期|礼拜)?(?P<d2>[一二三四五六日天1-7]))"
    r"|(?P<en>(?P<e1>mon|tue|wed|thu|fri|sat|sun)[a-z]*(?:-(?P<e2>mon|tue|wed|thu|fri|sat|sun)[a-z]*)?)"
    r"|(?P<day>(?:周|星期|礼拜)(?P<d0>[一二三四五六日天1-7末]))"
    r"|(?P<work>工作日|weekdays?)|(?P<weekend>周末|双休日|weekends?)|(?P<daily>每天|每日|daily|every\s*day)"
    r"|(?P<pm>下午|晚上|pm)|(?P<am>上午|早上|am)"
    r"|(?P<range>(?P<h1>\d{1,2})(?::(?P<m1>\d{2}))?(?:点|时)?-(?P<h2>\d{1,2})(?::(?P<m2>\d{2}))?(?:点|时)?)",
    re.IGNORECASE,
)
# Separators and filler that carry no schedule; anything else left over makes the format unknown.
_HOURS_FILLER = re.compile(
    r"[\s,;/、，；。.()（）:和及]|营业时间|开放时间|服务时间|时间|开放|营业|open|hours", re.IGNORECASE
)
# What may stand between two day specs that make one ('周六、周日', '周六和周日'); NFKC made '，' a ','.
_DAY_JOINER = re.compile(r"[\s,、和及]*")


def _day_index(char: str) -> int:
    """Weekday number (Monday 0) of a Chinese or Arabic day character."""
    return int(char) - 1 if char.isdigit() else _DAYS[char]


def _day_mask(first: int, last: int) -> int:
    """Bit mask (Monday = bit 0) of the days first..last, wrapping past Sunday."""
    mask, day = 0, first
    while True:
        mask |= 1 << day
        if day == last:
            return mask
        day = (day + 1) % 7


def parse_hours(text: str) -> list[list[int]] | None:
    """Opening hours as [[day mask, start minute, end minute], ...]; None when the format is not understood.

    Days written before time ranges apply to the ranges after them ('周一至周五 8:00-18:00，周六 9:00-12:00'),
    days written after them to the ranges before them ('8:00-18:00（周一至周五）'); no days means every day.

    >>> parse_hours("8:00-18:00 周一至周五")
    [[31, 480, 1080]]
    >>> parse_hours("上午8:00-12:00 下午2:00-6:00")
    [[127, 480, 720], [127, 840, 1080]]
    >>> parse_hours("Mon-Fri 9:00-17:00")
    [[31, 540, 1020]]
    >>> parse_hours("8:00-18:00，周六 9:00-12:00") is None  # which days does 8:00-18:00 belong to?
    True
    """
    norm = unicodedata.normalize("NFKC", text).lower()
    norm = re.sub(r"\s*[-~—–－至到]+\s*", "-", norm)
    if not norm.strip():
        return None
    items: list[tuple[str, int, int]] = []  # ("days", mask, 0) and ("range", start, end), in writing order
    shift, position, leftover = 0, 0, []
    for match in _HOURS_TOKEN.finditer(norm):
        gap = norm[position : match.start()]
        leftover.append(gap)
        position = match.end()
        item, shift = _hours_item(match, shift)
        if item and item[0] == "days" and items and items[-1][0] == "days" and _DAY_JOINER.fullmatch(gap):
            items[-1] = ("days", items[-1][1] | item[1], 0)  # '周六、周日': one day spec
        elif item:
            items.append(item)
    leftover.append(norm[position:])
    ranges = [(start, end) for kind, start, end in items if kind == "range"]
    if not ranges or _HOURS_FILLER.sub("", "".join(leftover)):
        return None
    if any(start >= DAY_MINUTES or end > DAY_MINUTES or start == end for start, end in ranges):
        return None
    return _attach_days(items)


def _hours_item(match: re.Match[str], shift: int) -> tuple[tuple[str, int, int] | None, int]:
    """One token as a day spec or a time range (None for a half-day word), and the half-day shift after it."""
    group = match.lastgroup
    if group == "always":
        return ("range", 0, DAY_MINUTES), 0
    if group in ("pm", "am"):
        return None, 12 if group == "pm" else 0
    if group == "range":
        start = _minutes(match["h1"], match["m1"], shift)
        end = _minutes(match["h2"], match["m2"], 12 if shift or int(match["h2"]) < int(match["h1"]) <= 12 else 0)
        return ("range", start, end), 0
    return ("days", _days_of(match), 0), shift


def _days_of(match: re.Match[str]) -> int:
    """The day mask of a day token: a span, one day, working days, weekend or every day."""
    group = match.lastgroup
    if group == "span":
        return _day_mask(_day_index(match["d1"]), _day_index(match["d2"]))
    if group == "en":
        first = _EN_DAYS[match["e1"][:3]]
        return _day_mask(first, _EN_DAYS[match["e2"][:3]] if match["e2"] else first)
    if group == "day":
        day = _day_index(match["d0"])
        return 0b1100000 if day < 0 else 1 << day
    return {"work": 0b0011111, "weekend": 0b1100000}.get(str(group), _ALL_DAYS)


def _attach_days(items: list[tuple[str, int, int]]) -> list[list[int]] | None:
    """Rules from day specs and ranges: days before ranges lead them, days after ranges close them.

    Anything else (two day specs with other text between, a range left without days in a mixed text) is
    ambiguous: None, so that the page shows no open/closed badge rather than a wrong one.
    """
    kinds = "".join(kind[0] for kind, _, _ in items)  # 'd' for days, 'r' for a range
    if "d" not in kinds:
        return [[_ALL_DAYS, start, end] for _, start, end in items]
    if "dd" in kinds or kinds[0] == kinds[-1]:
        return None
    rules: list[list[int]] = []
    if kinds[0] == "d":  # days first: each spec applies to the ranges that follow it
        mask = 0
        for kind, a, b in items:
            if kind == "days":
                mask = a
            else:
                rules.append([mask, a, b])
        return rules
    pending: list[tuple[int, int]] = []  # ranges first: each spec applies to the ranges since the previous one
    for kind, a, b in items:
        if kind == "range":
            pending.append((a, b))
        else:
            rules += [[a, start, end] for start, end in pending]
            pending = []
    return rules


def _minutes(hour: str, minute: str | None, shift: int) -> int:
    """Minutes after midnight; `shift` 12 moves afternoon hours written 1-11 past noon."""
    h = int(hour)
    if shift and h < 12:
        h += shift
    return h * 60 + int(minute or 0)


# What "on a weekday" means for coverage at a given time: Wednesday, a typical working day, away from the
# weekend at either end (a rule '周一至周五' holds, and so does an overnight rule starting on Tuesday).
WEDNESDAY = 2


def open_at(schedule: list[list[int]] | None, day: int, minute: int) -> bool | None:
    """Whether a schedule is open on `day` (Monday 0) at `minute` after midnight; None when it is unknown.

    Evaluated as the map page does (``schedule.js``): a rule ending before it starts runs past midnight, so
    it also holds early on the day after one of its days.

    >>> open_at(parse_hours("周一至周五 8:00-18:00"), 2, 10 * 60), open_at(parse_hours("周一至周五 8:00-18:00"), 5, 600)
    (True, False)
    >>> night = parse_hours("20:00-06:00")
    >>> [open_at(night, 2, h * 60) for h in (22, 5, 12)]
    [True, True, False]
    >>> open_at(parse_hours("周五 20:00-02:00"), 5, 60)  # Friday night, into Saturday
    True
    >>> open_at(None, 2, 600) is None
    True
    """
    if not schedule:  # None, or no rule at all: the page shows no badge either
        return None
    yesterday = (day + 6) % 7
    for mask, start, end in schedule:
        today = (mask >> day) & 1
        if start < end:
            if today and start <= minute < end:
                return True
        elif (today and minute >= start) or ((mask >> yesterday) & 1 and minute < end):
            return True
    return False


def open_mask(
    hours: pd.Series, minute_of_day: int, *, weekday: int = WEDNESDAY
) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    """(open, unknown) for each hours text at `minute_of_day` on `weekday` (Monday 0).

    The default weekday is Wednesday, a typical working day: "open at 22:00 on a weekday" then means a
    Wednesday night, which no weekend rule touches. Empty or missing text and text not understood are
    unknown, never open. Each distinct text is parsed once (station lists repeat a few forms).

    >>> texts = pd.Series(["24小时", "08:00-18:00", "", "24小时", "周六至周日 9:00-17:00", "另行通知", None])
    >>> is_open, unknown = open_mask(texts, 22 * 60)
    >>> is_open.tolist()
    [True, False, False, True, False, False, False]
    >>> unknown.tolist()
    [False, False, True, False, False, True, True]
    """
    if not 0 <= minute_of_day < DAY_MINUTES or not 0 <= weekday < 7:
        raise ValueError(f"no such time: minute {minute_of_day} of day {weekday}")
    text = hours.astype(object).where(hours.notna(), "").astype(str)
    codes, distinct = pd.factorize(text, sort=False)
    state = [open_at(parse_hours(t), weekday, minute_of_day) if t.strip() else None for t in distinct]
    is_open = np.array([s is True for s in state], dtype=bool)
    unknown = np.array([s is None for s in state], dtype=bool)
    return is_open[codes], unknown[codes]

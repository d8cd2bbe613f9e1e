"""The facility vocabulary: each facility's canonical name, the other ways lists write it, English label and icon."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Facility:
    """One facility a station can offer; `aliases` are other spellings that mean the same thing."""

    name: str  # canonical Chinese name: what the map shows and filters by
    en: str  # English label (--lang en)
    icon: str  # one emoji (Unicode 9 or older, so old phones have it), shown before the label: no image request
    aliases: tuple[str, ...] = ()


# In the order workers look for them; facilities not listed here follow alphabetically, shown as written.
FACILITIES = (
    Facility("饮水", "Drinking water", "\U0001f4a7", ("饮用水", "直饮水", "饮水机", "茶水")),
    Facility("热水", "Hot water", "\u2668\ufe0f", ("开水",)),
    Facility("微波炉", "Microwave", "\U0001f371", ("热饭",)),
    Facility("冰箱", "Fridge", "\U0001f95b", ("冰柜",)),
    Facility("卫生间", "Toilet", "\U0001f6bb", ("厕所", "洗手间", "公厕")),
    Facility("座椅", "Seats", "\U0001f4ba", ("座位", "桌椅", "休息座椅")),
    Facility("充电", "Charging", "\U0001f50c", ("手机充电", "充电插座", "充电宝")),
    Facility("空调", "Air conditioning", "\u2744\ufe0f"),
    Facility("医药箱", "First aid", "\U0001f48a", ("药箱", "急救箱", "急救包", "医药包", "常用药品")),
    Facility("WiFi", "Wi-Fi", "\U0001f4f6", ("Wi-Fi", "无线网络", "无线网")),
    Facility("休息区", "Rest area", "\U0001f6cb\ufe0f", ("休息室",)),
    Facility("雨具", "Rain gear", "\u2602\ufe0f", ("雨伞", "雨衣")),
    Facility("书报", "Reading", "\U0001f4da", ("书籍", "图书", "报刊")),
)
_BY_NAME = {facility.name: facility for facility in FACILITIES}


def _key(text: str) -> str:
    """What two spellings must share to be the same facility: NFKC, no spaces, case-folded."""
    return "".join(unicodedata.normalize("NFKC", text).split()).casefold()


_LOOKUP = {_key(spelling): f.name for f in FACILITIES for spelling in (f.name, *f.aliases)}


def canonical(text: str) -> str:
    """The canonical name of a facility as written in a list ('药箱' -> '医药箱'); unknown ones stay as written.

    >>> canonical("药箱"), canonical(" wifi "), canonical("打气筒")
    ('医药箱', 'WiFi', '打气筒')
    """
    return _LOOKUP.get(_key(text), text.strip())


def order(names: set[str]) -> list[str]:
    """Canonical names in display order: the vocabulary's facilities first, in its order, then others sorted."""
    known = [f.name for f in FACILITIES if f.name in names]
    return known + sorted(names - set(known))


def labels(names: list[str]) -> dict[str, list[str | None]]:
    """English labels and icons for the page, in the order of `names` (null for a facility not in the list)."""
    found = [_BY_NAME.get(name) for name in names]
    return {"en": [f.en if f else None for f in found], "icon": [f.icon if f else None for f in found]}

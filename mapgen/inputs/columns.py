"""The one table of accepted column headers, and matching a spreadsheet's headers against it."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    """A field mapgen reads, with its Chinese template header, accepted aliases and meaning."""

    key: str
    header: str
    aliases: tuple[str, ...]
    help_zh: str
    help_en: str


COLUMNS: tuple[Column, ...] = (
    Column("id", "编号", ("id", "编号", "序号", "站点编号", "no", "code"),
           "唯一编号；留空则按名称和坐标自动生成", "unique id; generated from name and position when blank"),
    Column("name", "站点名称", ("name", "名称", "站点名称", "驿站名称", "站名", "服务站名称", "单位名称"),
           "站点名称（必填）", "station name (required)"),
    Column("lon", "经度", ("lon", "lng", "long", "longitude", "经度", "x"),
           "经度，十进制度或度分秒，如 113.0673 或 113°04′02″", "longitude, decimal or DMS"),
    Column("lat", "纬度", ("lat", "latitude", "纬度", "y"),
           "纬度，十进制度或度分秒，如 28.8069", "latitude, decimal or DMS"),
    Column("address", "地址", ("address", "addr", "地址", "详细地址", "站点地址"),
           "详细地址", "street address"),
    Column("type", "类型", ("type", "类型", "站点类型"),
           "站点类型，如 工会驿站、环卫驿站", "station type"),
    Column("hours", "开放时间", ("hours", "openinghours", "开放时间", "服务时间", "营业时间"),
           "开放时间，如 08:00-20:00 或 24小时", "opening hours, e.g. 08:00-20:00 or 24小时"),
    Column("phone", "联系电话", ("phone", "tel", "telephone", "电话", "联系电话", "联系方式"),
           "联系电话", "phone number"),
    Column("facilities", "服务设施", ("facilities", "设施", "服务设施", "服务内容", "配套设施"),
           "服务设施，用；或、分隔，如 饮水；微波炉；卫生间", "facilities separated by ；;、,|"),
    Column("county", "所属区县", ("county", "district", "区县", "所属区县", "县市区"),
           "所属区县（可选，用于核对坐标）", "county (optional, checked against the position)"),
    Column("note", "备注", ("note", "notes", "remark", "remarks", "备注", "说明"),
           "备注", "note"),
    Column("kind", "kind", ("kind",),
           "station 或 office（mapgen 输出的 stations.geojson 带此列）", "station or office (as in stations.geojson)"),
    Column("weight", "人数", ("workers", "weight", "人数", "权重"),
           "需求点的户外劳动者人数（仅需求文件）", "workers at a demand point (demand files only)"),
)

_BY_ALIAS = {alias: column.key for column in COLUMNS for alias in column.aliases}
# A bracketed suffix is a unit or datum note: 经度（GCJ-02）, lon (deg).
_SUFFIX = re.compile(r"\(.*?\)|\[.*?\]|（.*?）|【.*?】")
_NOISE = re.compile(r"[\s_\-.:：/]+")
_LONGEST_HEADER = 200


def normalise_header(header: object) -> str:
    """Fold a header to its lookup form: NFKC, no bracketed suffix, no spaces, lower case."""
    text = unicodedata.normalize("NFKC", str(header or ""))
    if len(text) > _LONGEST_HEADER:  # no alias is this long; and the suffix pattern is quadratic on "(((("
        return text.lower()
    return _NOISE.sub("", _SUFFIX.sub("", text)).lower()


def match_headers(headers: list[object]) -> dict[str, int]:
    """Map each known field to the index of the first header naming it."""
    found: dict[str, int] = {}
    for index, header in enumerate(headers):
        key = _BY_ALIAS.get(normalise_header(header))
        if key is not None and key not in found:
            found[key] = index
    return found


def aliases_of(key: str) -> str:
    """The accepted headers for a field, for error messages."""
    column = next(c for c in COLUMNS if c.key == key)
    return "/".join(column.aliases)

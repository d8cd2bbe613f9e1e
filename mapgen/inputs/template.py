"""Write the Excel template a union fills in: Chinese headers, an example row, and a sheet of instructions."""

from __future__ import annotations

import os
import tempfile
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from mapgen.errors import InputError
from mapgen.inputs.columns import COLUMNS, Column
from mapgen.outputs.outputset import new_file_mode

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

TEMPLATE_KEYS = ("id", "name", "lon", "lat", "address", "type", "hours", "phone", "facilities", "county", "note")
EXAMPLE = {
    "id": "MLS-001", "name": "汨罗市城区环卫工人暖心驿站（示例）", "lon": 113.067251, "lat": 28.806881,
    "address": "汨罗市某某路 1 号（示例）", "type": "工会驿站", "hours": "08:00-20:00",
    "phone": "0730-0000000", "facilities": "饮水；微波炉；卫生间；座椅；充电；空调", "county": "汨罗市",
    "note": "示例行，填写时请删除",
}
_DATUM_NOTE = (
    "坐标默认按高德地图（GCJ-02）读取：请用高德地图坐标拾取器取点。若坐标来自 GPS、天地图或 OpenStreetMap"
    "（WGS-84），生成时加 --crs wgs84；来自百度地图（BD-09）加 --crs bd09。"
)
_FORMATTED_ROWS = 2000
# Fixed document dates keep the template byte-identical from run to run.
_FIXED_DATE = datetime(2024, 1, 1)


def write_template(path: Path, *, force: bool = False) -> None:
    """Write the template workbook atomically to `path`; an existing file is replaced only with `force`."""
    import openpyxl
    from openpyxl.styles import Font

    if path.suffix.lower() != ".xlsx":
        msg = f"{path}: the template is an Excel workbook; give a path ending in .xlsx"
        raise InputError(msg)
    if path.exists() and not force:
        msg = f"{path}: already exists (it may be a filled-in list); pass --force to replace it"
        raise InputError(msg)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "站点"
    columns = {c.key: c for c in COLUMNS}
    sheet.append([columns[key].header for key in TEMPLATE_KEYS])
    sheet.append([EXAMPLE[key] for key in TEMPLATE_KEYS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, key in enumerate(TEMPLATE_KEYS, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = 34 if key in ("name", "address", "facilities") else 14
        if key in ("id", "phone"):
            # Text format down the column, so ids and phone numbers typed later keep their leading zeros.
            for row in range(2, _FORMATTED_ROWS + 2):
                sheet.cell(row=row, column=index).number_format = "@"
    sheet.freeze_panes = "A2"
    _instructions(book.create_sheet("填写说明"), columns)
    book.properties.created = book.properties.modified = _FIXED_DATE
    _save(book, path)


def _instructions(sheet: Worksheet, columns: dict[str, Column]) -> None:
    from openpyxl.styles import Font

    sheet.append(["列名", "说明", "Description", "也可用的列名 / accepted headers"])
    for key in TEMPLATE_KEYS:
        column = columns[key]
        sheet.append([column.header, column.help_zh, column.help_en, "、".join(column.aliases)])
    sheet.append([])
    sheet.append(["坐标系", _DATUM_NOTE])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCD", (12, 48, 44, 48), strict=True):
        sheet.column_dimensions[letter].width = width


def _save(book: Workbook, path: Path) -> None:
    """Save through a temporary file beside `path`, with the permissions a new file normally gets."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".template-", suffix=".xlsx", dir=path.parent)
    except OSError as error:
        msg = f"{path}: cannot write there ({error.strerror})"
        raise InputError(msg) from error
    os.close(handle)
    try:
        book.save(temporary)
        os.chmod(temporary, new_file_mode())  # mkstemp makes 0600; a template is meant to be shared
        os.replace(temporary, path)
    except OSError as error:
        msg = f"{path}: cannot write there ({error.strerror})"
        raise InputError(msg) from error
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)

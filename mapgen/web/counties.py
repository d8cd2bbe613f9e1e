"""The province page `counties/index.html`: every county's coverage figures, linking to its love map and poster.

One self-contained HTML file (inline CSS and a small inline script, no library, no network). The table's
data travels as JSON in a `<script type="application/json">` element and is rendered with textContent, so
county names (untrusted) never become markup. Same table in, same bytes out.
"""

from __future__ import annotations

import html
import math
import re
from typing import Any

import pandas as pd

from mapgen.web.assets import script_json

PROVINCE = "430000"
_ADCODE = re.compile(r"\d{6}")

TEXT: dict[str, dict[str, str]] = {
    "zh": {
        "title": "湖南省各区县户外劳动者驿站爱心地图",
        "sample": "示例数据：本页的驿站为演示用的合成数据，不是真实站点。",
        "search": "搜索区县或市州",
        "placeholder": "输入区县或市州名称",
        "county": "区县",
        "prefecture": "市州",
        "stations": "驿站数",
        "covered_pct": "面积覆盖率",
        "cross_covered_pct": "交叉覆盖率",
        "demand_covered_pct": "需求覆盖率",
        "priority": "优先级",
        "links": "链接",
        "map": "地图",
        "poster": "海报",
        "province": "全省",
        "summary_stations": "个驿站",
        "summary_covered": "面积覆盖",
        "summary_cross": "交叉覆盖",
        "summary_demand": "需求覆盖",
        "shown": "显示 {shown} / {total} 个区县",
        "none": "没有匹配的区县",
        "sort": "按{label}排序",
        "noscript": "本页的区县列表需要启用 JavaScript。",
        "hint": "点击列标题排序；15 分钟步行范围内的面积占比。",
    },
    "en": {
        "title": "Hunan: every county's rest-station map",
        "sample": "Sample data: the stations on this page are synthetic, for demonstration only.",
        "search": "Search county or prefecture",
        "placeholder": "County or prefecture name",
        "county": "County",
        "prefecture": "Prefecture",
        "stations": "Stations",
        "covered_pct": "Area covered",
        "cross_covered_pct": "Cross-covered",
        "demand_covered_pct": "Demand covered",
        "priority": "Priority",
        "links": "Links",
        "map": "Map",
        "poster": "Poster",
        "province": "Province",
        "summary_stations": "stations",
        "summary_covered": "area covered",
        "summary_cross": "cross-covered",
        "summary_demand": "demand covered",
        "shown": "Showing {shown} of {total} counties",
        "none": "No county matches",
        "sort": "Sort by {label}",
        "noscript": "The county list on this page needs JavaScript.",
        "hint": "Tap a column heading to sort; shares are of land within a 15-minute walk.",
    },
}

_STYLE = """
:root { --ink: #1f2328; --muted: #565d66; --line: #d0d4da; --link: #1558b0; --head: #f2f4f7; --red: #b3261e; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--ink); background: #fff; font-size: 16px; line-height: 1.45;
  font-family: -apple-system, "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC",
    "Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif; }
main { max-width: 1100px; margin: 0 auto; padding: 12px 12px 32px; }
h1 { margin: 4px 0 8px; font-size: 21px; line-height: 1.3; color: var(--red); overflow-wrap: anywhere; }
.sample { margin: 0 0 10px; padding: 8px 10px; border: 1px solid #d9b23a; border-radius: 6px;
  background: #fff4c2; color: #4d3b00; font-size: 15px; }
.summary { margin: 0 0 10px; font-size: 16px; }
.summary strong { font-weight: 700; }
.hint { margin: 0 0 10px; color: var(--muted); font-size: 15px; }
.search label { display: block; font-size: 15px; font-weight: 700; margin-bottom: 4px; }
.search input { width: 100%; max-width: 420px; min-height: 44px; padding: 8px 12px; font: inherit; font-size: 16px;
  color: var(--ink); border: 1px solid #8a9099; border-radius: 8px; background: #fff; }
.search input:focus-visible, .sort:focus-visible, a:focus-visible { outline: 3px solid #0b57d0; outline-offset: 2px; }
.status { margin: 8px 0; color: var(--muted); font-size: 15px; }
.scroll { overflow-x: auto; border: 1px solid var(--line); border-radius: 8px; -webkit-overflow-scrolling: touch; }
table { border-collapse: separate; border-spacing: 0; width: 100%; font-size: 15px; }
th, td { padding: 0 10px; border-bottom: 1px solid var(--line); text-align: left; white-space: nowrap;
  background: #fff; }
th { background: var(--head); font-weight: 700; }
td.num, th.num { text-align: right; }
th.num .sort { justify-content: flex-end; }
tr > :first-child { position: sticky; left: 0; z-index: 1; border-right: 1px solid var(--line); }
th:first-child { z-index: 2; }
td.name { font-weight: 700; white-space: normal; min-width: 6em; max-width: 11em; overflow-wrap: anywhere; }
a.county { display: flex; align-items: center; min-height: 44px; padding: 2px 0; color: var(--link);
  text-decoration: underline; text-underline-offset: 3px; }
td { height: 48px; }
.sort { display: flex; align-items: center; gap: 4px; width: 100%; min-height: 44px; padding: 0; border: 0;
  background: none; font: inherit; font-weight: 700; color: var(--ink); cursor: pointer; text-align: inherit; }
.sort::after { content: "\\2195"; color: var(--muted); font-weight: 400; }
th[aria-sort="ascending"] .sort::after { content: "\\2191"; color: var(--ink); }
th[aria-sort="descending"] .sort::after { content: "\\2193"; color: var(--ink); }
.links { display: flex; gap: 6px; }
.links a { display: inline-flex; align-items: center; justify-content: center; min-width: 52px; min-height: 44px;
  padding: 0 10px; border: 1px solid var(--link); border-radius: 22px; color: var(--link); text-decoration: none;
  font-size: 15px; }
.links a:hover { background: #e8f0fc; }
.empty { padding: 16px 10px; color: var(--muted); }
.muted { color: var(--muted); }
@media (min-width: 701px) { main { padding: 20px 24px 40px; } h1 { font-size: 26px; } }
"""

_SCRIPT = """
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('county-data').textContent);
  var text = data.text, columns = data.columns, rows = data.rows;
  var body = document.getElementById('county-rows');
  var status = document.getElementById('county-status');
  var input = document.getElementById('county-search');
  var sortKey = null, sortDir = 0;
  var collator = new Intl.Collator(data.lang === 'en' ? 'en' : 'zh-Hans-CN');

  function format(value, column) {
    if (value === null || value === undefined) { return '\\u2014'; }
    if (column.kind === 'pct') { return value.toFixed(1) + '%'; }
    if (column.kind === 'int') { return String(value); }
    return String(value);
  }
  function compare(a, b) {
    var x = a[sortKey], y = b[sortKey];
    var xNull = x === null || x === undefined || x === '', yNull = y === null || y === undefined || y === '';
    if (xNull || yNull) { return xNull === yNull ? a.order - b.order : (xNull ? 1 : -1); }
    var c = typeof x === 'number' ? x - y : collator.compare(String(x), String(y));
    return c !== 0 ? c * sortDir : a.order - b.order;
  }
  function link(href, label, name) {
    var a = document.createElement('a');
    a.setAttribute('href', href);
    a.textContent = label;
    a.setAttribute('aria-label', name + ' ' + label);
    return a;
  }
  function render() {
    var query = input.value.trim().toLowerCase();
    var shown = rows.filter(function (row) {
      return !query || row.county.toLowerCase().indexOf(query) >= 0 ||
        row.prefecture.toLowerCase().indexOf(query) >= 0;
    });
    if (sortKey !== null) { shown.sort(compare); }
    var fragment = document.createDocumentFragment();
    shown.forEach(function (row) {
      var tr = document.createElement('tr');
      tr.setAttribute('data-adcode', row.adcode);
      columns.forEach(function (column) {
        var td = document.createElement('td');
        if (column.key === 'county') { td.className = 'name'; }
        else if (column.kind !== 'text') { td.className = 'num'; }
        var value = row[column.key];
        if (column.key === 'county') {
          var name = document.createElement('a');
          name.className = 'county';
          name.setAttribute('href', row.adcode + '/index.html');
          name.textContent = format(value, column);
          td.appendChild(name);
        } else {
          td.textContent = format(value, column);
        }
        if (value === null || value === undefined) { td.classList.add('muted'); }
        tr.appendChild(td);
      });
      var td = document.createElement('td');
      var box = document.createElement('div');
      box.className = 'links';
      box.appendChild(link(row.adcode + '/index.html', text.map, row.county));
      if (data.posters) { box.appendChild(link(row.adcode + '/poster.html', text.poster, row.county)); }
      td.appendChild(box);
      tr.appendChild(td);
      fragment.appendChild(tr);
    });
    if (!shown.length) {
      var tr = document.createElement('tr'), td = document.createElement('td');
      td.className = 'empty';
      td.colSpan = columns.length + 1;
      td.textContent = text.none;
      tr.appendChild(td);
      fragment.appendChild(tr);
    }
    body.textContent = '';
    body.appendChild(fragment);
    status.textContent = text.shown.replace('{shown}', shown.length).replace('{total}', rows.length);
  }
  Array.prototype.forEach.call(document.querySelectorAll('button.sort'), function (button) {
    button.addEventListener('click', function () {
      var key = button.getAttribute('data-key');
      sortDir = key === sortKey ? -sortDir : 1;
      sortKey = key;
      Array.prototype.forEach.call(document.querySelectorAll('th[data-key]'), function (th) {
        if (th.getAttribute('data-key') === key) {
          th.setAttribute('aria-sort', sortDir > 0 ? 'ascending' : 'descending');
        } else {
          th.removeAttribute('aria-sort');
        }
      });
      render();
    });
  });
  input.addEventListener('input', render);
  render();
  document.documentElement.setAttribute('data-ready', '1');
})();
"""


def counties_index_html(
    table: pd.DataFrame, *, lang: str = "zh", title: str | None = None, sample: bool = False, posters: bool = True
) -> str:
    """The province page: every county of `table` (coverage.csv's rows) with its figures and links.

    The province row (adcode 430000) becomes the summary line at the top; every other row is a county,
    listed by adcode until a column heading is clicked. Links are `<adcode>/index.html` and, with
    `posters`, `<adcode>/poster.html`, relative to the page.
    """
    text = TEXT["en" if lang == "en" else "zh"]
    heading = title if title else text["title"]
    codes = [_adcode(value) for value in table["adcode"]] if "adcode" in table else []
    frame = table.assign(adcode=codes)
    province = frame[frame["adcode"] == PROVINCE]
    counties = frame[frame["adcode"] != PROVINCE].sort_values("adcode", kind="stable")
    demand = "demand_covered_pct" in counties and bool(counties["demand_covered_pct"].notna().any())
    columns = [
        {"key": "county", "kind": "text"},
        {"key": "prefecture", "kind": "text"},
        {"key": "stations", "kind": "int"},
        {"key": "covered_pct", "kind": "pct"},
        {"key": "cross_covered_pct", "kind": "pct"},
    ]
    if demand:
        columns.append({"key": "demand_covered_pct", "kind": "pct"})
    if "priority" in counties and bool(counties["priority"].notna().any()):
        columns.append({"key": "priority", "kind": "int"})
    rows = [_row(record, order, columns) for order, record in enumerate(counties.to_dict("records"))]
    payload = {
        "lang": "en" if lang == "en" else "zh",
        "posters": bool(posters),
        "columns": [{"key": c["key"], "kind": c["kind"]} for c in columns],
        "rows": rows,
        "text": {key: text[key] for key in ("map", "poster", "shown", "none")},
    }
    head_cells = "".join(_header_cell(column, text) for column in columns)
    e = html.escape
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{"en" if lang == "en" else "zh-CN"}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(heading)}</title>",
        f"<style>{_STYLE}</style>",
        "</head>",
        "<body>",
        "<main>",
        f"<h1>{e(heading)}</h1>",
    ]
    if sample:
        parts.append(f'<p class="sample" role="note">{e(text["sample"])}</p>')
    if len(province):
        parts.append(_summary(province.iloc[0].to_dict(), text, demand))
    parts += [
        f'<p class="hint">{e(text["hint"])}</p>',
        '<div class="search" role="search">',
        f'<label for="county-search">{e(text["search"])}</label>',
        f'<input id="county-search" type="search" autocomplete="off" placeholder="{e(text["placeholder"])}">',
        "</div>",
        '<p id="county-status" class="status" role="status" aria-live="polite"></p>',
        '<div class="scroll">',
        "<table>",
        f'<thead><tr>{head_cells}<th scope="col">{e(text["links"])}</th></tr></thead>',
        '<tbody id="county-rows"></tbody>',
        "</table>",
        "</div>",
        f'<noscript><p class="status">{e(text["noscript"])}</p></noscript>',
        "</main>",
        f'<script type="application/json" id="county-data">{script_json(payload)}</script>',
        f"<script>{_SCRIPT}</script>",
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(parts)


def _adcode(value: Any) -> str:
    """A six-digit adcode as text (coverage.csv read back may hold it as a number); anything else is refused."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    code = str(value).strip()
    if not _ADCODE.fullmatch(code):
        raise ValueError(f"not a six-digit adcode: {value!r}")
    return code


def _number(value: Any, digits: int | None) -> float | int | None:
    """A finite number for the JSON (rounded), or None for missing and non-finite values."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(number):
        return None
    return round(number) if digits is None else round(number, digits)


def _text(value: Any) -> str:
    """A name cell as text ('' when missing)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def _row(record: dict[str, Any], order: int, columns: list[dict[str, str]]) -> dict[str, Any]:
    """One county's entry in the page's JSON."""
    row: dict[str, Any] = {"adcode": record["adcode"], "order": order}
    for column in columns:
        value = record.get(column["key"])
        if column["kind"] == "text":
            row[column["key"]] = _text(value)
        else:
            row[column["key"]] = _number(value, 1 if column["kind"] == "pct" else None)
    return row


def _header_cell(column: dict[str, str], text: dict[str, str]) -> str:
    """A column heading: a button that sorts by it (aria-sort is set on the cell once sorted)."""
    label = html.escape(text[column["key"]])
    kind = ' class="num"' if column["kind"] != "text" else ""
    return (
        f'<th scope="col" data-key="{column["key"]}"{kind}>'
        f'<button type="button" class="sort" data-key="{column["key"]}">{label}</button></th>'
    )


def _summary(record: dict[str, Any], text: dict[str, str], demand: bool) -> str:
    """The province row as one line of figures."""
    e = html.escape
    parts = []
    stations = _number(record.get("stations"), None)
    if stations is not None:
        parts.append(f"<strong>{stations}</strong> {e(text['summary_stations'])}")
    for key, label in (("covered_pct", "summary_covered"), ("cross_covered_pct", "summary_cross")) + (
        (("demand_covered_pct", "summary_demand"),) if demand else ()
    ):
        value = _number(record.get(key), 1)
        if value is not None:
            parts.append(f"{e(text[label])} <strong>{value:.1f}%</strong>")
    zh = text is TEXT["zh"]
    name = _text(record.get("county")) or text["province"]
    colon, separator = ("：", "，") if zh else (": ", ", ")
    return f'<p class="summary">{e(name)}{colon}{separator.join(parts)}</p>' if parts else ""

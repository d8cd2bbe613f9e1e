/* The sortable county table. On a one-county map (--county) it shows that county, highlighted, and the
   province; the other counties (not drawn on that map, so not clickable) only on demand. With the priority
   list (columns priority, suggested_sites, suggested_newly_covered) it is sorted by priority (1 = most
   urgent); with --at it shows the share covered by the stations open then (open_covered_pct, open_at).
   Needs: dom, format. Provides: CountyTable(data, t, zoomTo(adcode), refresh()) with .render() -> nodes, and
   countyTip(t, row, county), a county's tooltip. */
L.mapgen.define('countyTable', ['dom', 'format'], function (dom, format) {
  'use strict';

  var el = dom.el;
  var PROVINCE_ADCODE = '430000';

  /** The tooltip of a county: its numbers, built as DOM text. */
  function countyTip(t, row, county) {
    var box = el('div', 'mg-tip');
    box.appendChild(el('strong', null, county.county + (county.prefecture ? '（' + county.prefecture + '）' : '')));
    if (!row) return box;
    box.appendChild(el('div', null, t('tipStations', { s: row.stations, o: row.offices })));
    box.appendChild(el('div', null, t('tipCovered', {
      p: format.number(row.covered_pct, 1), c: format.number(row.covered_km2, 1), a: format.number(row.area_km2, 1),
    })));
    box.appendChild(el('div', null, t('tipCross', { p: format.number(row.cross_covered_pct, 1) })));
    if (known(row.demand_covered_pct)) {
      box.appendChild(el('div', null, t('tipDemand', {
        p: format.number(row.demand_covered_pct, 1), c: format.number(row.demand_covered, 0),
        t: format.number(row.demand_total, 0),
      })));
    }
    if (known(row.open_covered_pct) && row.open_at) {
      box.appendChild(el('div', null, t('tipOpenCovered', {
        at: row.open_at, p: format.number(row.open_covered_pct, 1),
      })));
    }
    if (known(row.priority)) box.appendChild(el('div', null, t('tipPriority', { n: row.priority })));
    if (row.suggested_sites) {
      box.appendChild(el('div', null, t('tipSuggested', {
        n: row.suggested_sites, c: format.number(row.suggested_newly_covered, 0),
      })));
    }
    return box;
  }

  /** Whether a table cell holds a value (absent columns and NaN arrive as undefined and null). */
  function known(value) {
    return value !== null && value !== undefined;
  }

  /** Whether any row of the table has a value in a column. */
  function hasColumn(table, key) {
    return table.some(function (r) { return known(r[key]); });
  }

  /** The sortable county table. On a one-county map (--county) it shows that county, highlighted, and the
      province; the other counties (not drawn on that map, so not clickable) only on demand. */
  function CountyTable(data, t, zoomTo, refresh) {
    this.data = data;
    this.t = t;
    this.zoomTo = zoomTo;
    this.refresh = refresh;
    var table = data.table;
    var hasPriority = hasColumn(table, 'priority');
    this.sortKey = hasPriority ? 'priority' : 'covered_pct';
    this.ascending = true;
    this.focus = data.focusAdcode || null;
    this.showAll = !this.focus;
    this.drawn = new Set(data.counties.map(function (c) { return c.adcode; }));
    // [key, label (or a function of t), decimals (null: the county's name)]; what to act on comes first (a
    // phone shows the first few columns and scrolls to the rest).
    this.columns = hasPriority ? [['priority', 'colPriority', 0]] : [];
    this.columns.push(['county', 'colCounty', null]);
    if (hasColumn(table, 'suggested_sites')) {
      this.columns.push(['suggested_sites', 'colSuggested', 0], ['suggested_newly_covered', 'colSuggestedAdds', 0]);
    }
    this.columns.push(['stations', 'colStations', 0], ['offices', 'colOffices', 0], ['covered_pct', 'colCovered', 1],
      ['cross_covered_pct', 'colCross', 1]);
    if (hasColumn(table, 'demand_covered_pct')) this.columns.push(['demand_covered_pct', 'colDemand', 1]);
    var at = table.map(function (r) { return r.open_at; }).filter(Boolean)[0];
    if (at && hasColumn(table, 'open_covered_pct')) {
      this.columns.push(['open_covered_pct', function (tr) { return tr('colOpenCovered', { at: at }); }, 1]);
    }
    this.columns.push(['area_km2', 'colArea', 0]);
  }

  /** County rows (the province row is kept apart, as the total): the focus county first, the rest sorted. */
  CountyTable.prototype.rows = function () {
    var key = this.sortKey;
    var sign = this.ascending ? 1 : -1;
    var focus = this.focus;
    var counties = this.counties();
    var first = counties.filter(function (r) { return r.adcode === focus; });
    if (!this.showAll) return first;
    var rest = counties.filter(function (r) { return r.adcode !== focus; });
    return first.concat(rest.sort(function (a, b) {
      var x = a[key], y = b[key];
      if (x === y) return a.adcode < b.adcode ? -1 : 1;
      if (x === null) return 1;
      if (y === null) return -1;
      return (typeof x === 'string' ? x.localeCompare(y, 'zh') : x - y) * sign;
    }));
  };

  /** Every county row of the coverage table. */
  CountyTable.prototype.counties = function () {
    return this.data.table.filter(function (r) { return r.adcode !== PROVINCE_ADCODE; });
  };

  /** The table, and on a one-county map the button that shows or hides the other counties. */
  CountyTable.prototype.render = function () {
    var self = this;
    var t = this.t;
    var table = el('table', 'mg-table');
    var head = el('tr');
    this.columns.forEach(function (c) {
      var th = el('th');
      var sorted = c[0] === self.sortKey;
      var arrow = sorted ? (self.ascending ? ' ▲' : ' ▼') : '';
      if (sorted) th.setAttribute('aria-sort', self.ascending ? 'ascending' : 'descending');
      var label = typeof c[1] === 'function' ? c[1](t) : t(c[1]);
      th.appendChild(dom.button('mg-sort', label + arrow, null, function () { self.sortBy(c[0]); }));
      head.appendChild(th);
    });
    table.appendChild(el('thead')).appendChild(head);
    var body = table.appendChild(el('tbody'));
    this.rows().forEach(function (r) { body.appendChild(self.row(r, false)); });
    var total = this.data.table.filter(function (r) { return r.adcode === PROVINCE_ADCODE; })[0];
    if (total) table.appendChild(el('tfoot')).appendChild(this.row(total, true));
    if (!this.focus) return [table];
    var label = this.showAll ? t('showFocusCounty') : t('showAllCounties', { n: this.counties().length });
    return [table, dom.button('mg-btn mg-all-counties', label, null, function () {
      self.showAll = !self.showAll;
      self.refresh();
    })];
  };

  /** One row; a county drawn on the map zooms to it when clicked. */
  CountyTable.prototype.row = function (r, total) {
    var self = this;
    var clickable = !total && this.drawn.has(r.adcode);
    var tr = el('tr', total ? 'mg-total' : clickable ? 'mg-row' : 'mg-row-static');
    if (!total && r.adcode === this.focus) tr.classList.add('mg-focus');
    tr.setAttribute('data-adcode', r.adcode);
    this.columns.forEach(function (c) {
      var text = c[2] === null ? (total ? self.t('province') : r.county) : format.number(r[c[0]], c[2]);
      var td = tr.appendChild(el('td', c[2] === null ? null : 'mg-num'));
      if (clickable && c[2] === null) td.appendChild(rowButton(text));
      else td.textContent = text;
    });
    if (clickable) tr.addEventListener('click', function () { self.zoomTo(r.adcode); });
    return tr;
  };

  /** The county's name in a row that zooms to it, as a button: keyboards reach the row through it (its click
      goes on to the row's). */
  function rowButton(text) {
    var b = el('button', 'mg-row-link', text);
    b.type = 'button';
    return b;
  }

  CountyTable.prototype.sortBy = function (key) {
    this.ascending = this.sortKey === key ? !this.ascending : key === 'county' || key === 'priority';
    this.sortKey = key;
    this.refresh();
  };

  return { CountyTable: CountyTable, countyTip: countyTip };
});

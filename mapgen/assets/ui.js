/* The page's interface: top bar, search, filters, the bottom sheet (results, details, county table) and legend.
   Every piece of data text goes into the DOM through textContent, never as HTML. */

var PHONE_QUERY = '(max-width: 700px)';
var SEARCH_LIMIT = 50;
var PROVINCE_ADCODE = '430000';
var ICONS = {
  locate: 'M12 8a4 4 0 1 0 0 8 4 4 0 0 0 0-8zm8.94 3A9 9 0 0 0 13 3.06V1h-2v2.06A9 9 0 0 0 3.06 11H1v2h2.06A9 9 0 0 0 ' +
    '11 20.94V23h2v-2.06A9 9 0 0 0 20.94 13H23v-2h-2.06zM12 19a7 7 0 1 1 0-14 7 7 0 0 1 0 14z',
  filter: 'M3 5h18l-7 8.5V19l-4 2v-7.5z',
  table: 'M3 4h18v16H3zm2 2v3h14V6zm0 5v3h6v-3zm8 0v3h6v-3zm-8 5v2h6v-2zm8 0v2h6v-2z',
  close: 'M6.4 5 5 6.4 10.6 12 5 17.6 6.4 19 12 13.4 17.6 19 19 17.6 13.4 12 19 6.4 17.6 5 12 10.6z',
  navigate: 'M21 3 3 10.5v1l7 2.5 2.5 7h1z',
  phone: 'M6.6 10.8a15 15 0 0 0 6.6 6.6l2.2-2.2c.3-.3.7-.4 1-.2 1.1.4 2.3.6 3.6.6.6 0 1 .4 1 1V20c0 .6-.4 1-1 1A17 17 ' +
    '0 0 1 3 4c0-.6.4-1 1-1h3.5c.6 0 1 .4 1 1 0 1.3.2 2.5.6 3.6.1.3 0 .7-.2 1z',
};

/** An element with a class and text (as text, never HTML). */
function el(tag, className, text) {
  var node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

/** Replace a node's children (replaceChildren() is missing from older WeChat browsers); nulls are skipped. */
function setChildren(node, children) {
  while (node.firstChild) node.removeChild(node.firstChild);
  children.forEach(function (child) { if (child) node.appendChild(child); });
}

/** An inline SVG icon from ICONS (no image request). */
function icon(name) {
  var ns = 'http://www.w3.org/2000/svg';
  var svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('class', 'mg-icon');
  var path = document.createElementNS(ns, 'path');
  path.setAttribute('d', ICONS[name]);
  svg.appendChild(path);
  return svg;
}

/** A button with an icon and/or a label. */
function button(className, label, iconName, onClick) {
  var b = el('button', className);
  b.type = 'button';
  if (iconName) b.appendChild(icon(iconName));
  if (label) b.appendChild(el('span', null, label));
  b.addEventListener('click', onClick);
  return b;
}

/** A link, given its URL through the property (the browser escapes it), opening outside when external. */
function link(className, label, href, iconName) {
  var a = el('a', className);
  a.href = href;
  if (/^https?:/.test(href)) {
    a.target = '_blank';
    a.rel = 'noopener noreferrer';
  }
  if (iconName) a.appendChild(icon(iconName));
  a.appendChild(el('span', null, label));
  return a;
}

/** Metres as '850 米' or '1.2 公里'. */
function formatDistance(t, metres) {
  return metres < 1000 ? t('metres', { n: Math.round(metres) }) : t('kilometres', { n: (metres / 1000).toFixed(1) });
}

/** A number for the county table: fixed decimals, or a dash when unknown. */
function formatNumber(value, digits) {
  return value === null || value === undefined ? '–' : Number(value).toFixed(digits);
}

/** The open-now badge of a state, or null when the hours are not understood. */
function openBadge(t, state) {
  if (!state) return null;
  var key = { always: 'always', open: 'openNow', closed: 'closedNow' }[state];
  return el('span', 'mg-badge mg-badge-' + state, t(key));
}

/** The page's chrome (top bar, sample banner, sheet, locate button), built once. */
function Chrome(app) {
  var t = app.t;
  this.app = app;
  this.top = el('header', 'mg-top');
  var row = el('div', 'mg-top-row');
  this.title = el('h1', 'mg-title', app.data.title);
  this.filterButton = button('mg-tool', t('filters'), 'filter', function () { app.showFilters(); });
  this.tableButton = button('mg-tool', t('tableButton'), 'table', function () { app.showTable(); });
  this.filterButton.setAttribute('aria-label', t('filters'));
  this.tableButton.setAttribute('aria-label', t('table'));
  row.append(this.title, this.filterButton, this.tableButton);
  this.search = el('input', 'mg-search');
  this.search.type = 'search';
  this.search.placeholder = t('search');
  this.search.setAttribute('aria-label', t('search'));
  this.top.append(row, this.search);
  if (app.data.sample) this.top.appendChild(el('div', 'mg-sample', t('sample')));
  this.notice = el('div', 'mg-notice');
  this.notice.hidden = true;
  this.top.appendChild(this.notice);
  this.buildSheet(t);
  this.locate = button('mg-locate', t('locate'), 'locate', function () { app.locate(); });
  document.body.append(this.top, this.sheet, this.locate);
}

/** The sheet: a bottom sheet on phones, a side panel on wider screens. */
Chrome.prototype.buildSheet = function (t) {
  var self = this;
  this.sheet = el('section', 'mg-sheet');
  this.sheet.hidden = true;
  var head = el('div', 'mg-sheet-head');
  this.sheetTitle = el('h2', 'mg-sheet-title');
  var close = button('mg-close', null, 'close', function () { self.hideSheet(); });
  close.setAttribute('aria-label', t('close'));
  head.append(this.sheetTitle, close);
  this.sheetBody = el('div', 'mg-sheet-body');
  this.sheet.append(head, this.sheetBody);
  L.DomEvent.disableClickPropagation(this.sheet);
  L.DomEvent.disableScrollPropagation(this.sheet);
};

/** Show content in the sheet under a title; `mode` names what it shows (search, details, ...). */
Chrome.prototype.showSheet = function (mode, title, nodes) {
  this.mode = mode;
  this.sheetTitle.textContent = title;
  setChildren(this.sheetBody, nodes);
  this.sheetBody.scrollTop = 0;
  this.sheet.hidden = false;
  this.sheet.setAttribute('data-mode', mode);
  document.body.classList.add('mg-sheet-open');
};

/** Publish the top bar's height as --mg-top, which places the controls and the side panel below it. */
Chrome.prototype.measure = function () {
  document.documentElement.style.setProperty('--mg-top', this.top.offsetHeight + 'px');
};

Chrome.prototype.hideSheet = function () {
  this.mode = null;
  this.sheet.hidden = true;
  document.body.classList.remove('mg-sheet-open');
};

/** Show a short message in the top bar (e.g. tiles failed), until closed. */
Chrome.prototype.showNotice = function (text) {
  var self = this;
  setChildren(this.notice, [el('span', null, text), button('mg-close', null, 'close', function () {
    self.notice.hidden = true;
    self.measure();
  })]);
  this.notice.hidden = false;
  this.measure();
};

/** Pixels the sheet hides of the map: [left, bottom], for fitting bounds around it. */
Chrome.prototype.covered = function () {
  if (this.sheet.hidden) return [0, 0];
  var phone = window.matchMedia(PHONE_QUERY).matches;
  return phone ? [0, this.sheet.offsetHeight] : [this.sheet.offsetWidth + 10, 0];
};

/** The legend, as a Leaflet control (collapsed on phones). */
var LegendControl = L.Control.extend({
  options: { position: 'bottomright' },

  initialize: function (app, options) {
    L.setOptions(this, options);
    this.app = app;
  },

  onAdd: function () {
    var t = this.app.t;
    var box = el('div', 'mg-legend leaflet-bar');
    var toggle = button('mg-legend-toggle', t('legend'), null, function () {
      box.classList.toggle('mg-collapsed');
    });
    box.append(toggle, this.body(t));
    if (window.matchMedia(PHONE_QUERY).matches) box.classList.add('mg-collapsed');
    L.DomEvent.disableClickPropagation(box);
    L.DomEvent.disableScrollPropagation(box);
    return box;
  },

  /** Rows of swatches and labels for every layer the page has. */
  body: function (t) {
    var d = this.app.data;
    var body = el('div', 'mg-legend-body');
    var rows = [
      ['mg-sw-station', t('station')], ['mg-sw-office', t('office')], ['mg-sw-cluster', t('cluster')],
      ['mg-sw-service', t('serviceLegend', { r: Math.round(d.radiusM), min: d.minutes, speed: d.speedKmh })],
    ];
    if (d.cross) rows.push(['mg-sw-cross', t('crossArea') + ': ' + t('crossLegend')]);
    if (d.gaps) {
      rows.push(d.gaps.kind === 'points' ? ['mg-sw-gap-point', t('gapPointsLegend')] : ['mg-sw-gap', t('gapsLegend')]);
    }
    rows.forEach(function (r) {
      var line = el('div', 'mg-legend-row');
      line.append(el('span', 'mg-sw ' + r[0]), el('span', null, r[1]));
      body.appendChild(line);
    });
    if (d.counties.length) body.appendChild(this.scale(t));
    return body;
  },

  /** The county colour scale. */
  scale: function (t) {
    var box = el('div', 'mg-legend-scale');
    box.appendChild(el('div', 'mg-legend-caption', t('coveredLegend')));
    var bar = el('div', 'mg-scale-bar');
    var labels = ['0'].concat(COVERED_BREAKS.map(String), ['100%']);
    COVERED_COLORS.forEach(function (color) {
      var cell = el('span', 'mg-scale-cell');
      cell.style.background = color;
      bar.appendChild(cell);
    });
    var ticks = el('div', 'mg-scale-ticks');
    labels.forEach(function (label) { ticks.appendChild(el('span', null, label)); });
    box.append(bar, ticks);
    return box;
  },
});

/** The tooltip of a county: its numbers, built as DOM text. */
function countyTip(t, row, county) {
  var box = el('div', 'mg-tip');
  box.appendChild(el('strong', null, county.county + (county.prefecture ? '（' + county.prefecture + '）' : '')));
  if (!row) return box;
  box.appendChild(el('div', null, t('tipStations', { s: row.stations, o: row.offices })));
  box.appendChild(el('div', null, t('tipCovered', {
    p: formatNumber(row.covered_pct, 1), c: formatNumber(row.covered_km2, 1), a: formatNumber(row.area_km2, 1),
  })));
  box.appendChild(el('div', null, t('tipCross', { p: formatNumber(row.cross_covered_pct, 1) })));
  if (row.demand_covered_pct !== null && row.demand_covered_pct !== undefined) {
    box.appendChild(el('div', null, t('tipDemand', {
      p: formatNumber(row.demand_covered_pct, 1), c: formatNumber(row.demand_covered, 0),
      t: formatNumber(row.demand_total, 0),
    })));
  }
  return box;
}

/** The sortable county table. On a one-county map (--county) it shows that county, highlighted, and the
    province; the other counties (not drawn on that map, so not clickable) only on demand. */
function CountyTable(app) {
  this.app = app;
  this.sortKey = 'covered_pct';
  this.ascending = true;
  this.focus = app.data.focusAdcode || null;
  this.showAll = !this.focus;
  this.drawn = new Set(app.data.counties.map(function (c) { return c.adcode; }));
  var hasDemand = app.data.table.some(function (r) { return r.demand_covered_pct !== null; });
  this.columns = [
    ['county', 'colCounty', null], ['stations', 'colStations', 0], ['offices', 'colOffices', 0],
    ['covered_pct', 'colCovered', 1], ['cross_covered_pct', 'colCross', 1],
  ];
  if (hasDemand) this.columns.push(['demand_covered_pct', 'colDemand', 1]);
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
  return this.app.data.table.filter(function (r) { return r.adcode !== PROVINCE_ADCODE; });
};

/** The table, and on a one-county map the button that shows or hides the other counties. */
CountyTable.prototype.render = function () {
  var self = this;
  var t = this.app.t;
  var table = el('table', 'mg-table');
  var head = el('tr');
  this.columns.forEach(function (c) {
    var th = el('th');
    var arrow = c[0] === self.sortKey ? (self.ascending ? ' ▲' : ' ▼') : '';
    th.appendChild(button('mg-sort', t(c[1]) + arrow, null, function () { self.sortBy(c[0]); }));
    head.appendChild(th);
  });
  table.appendChild(el('thead')).appendChild(head);
  var body = table.appendChild(el('tbody'));
  this.rows().forEach(function (r) { body.appendChild(self.row(r, false)); });
  var total = this.app.data.table.filter(function (r) { return r.adcode === PROVINCE_ADCODE; })[0];
  if (total) table.appendChild(el('tfoot')).appendChild(this.row(total, true));
  if (!this.focus) return [table];
  var label = this.showAll ? t('showFocusCounty') : t('showAllCounties', { n: this.counties().length });
  return [table, button('mg-btn mg-all-counties', label, null, function () {
    self.showAll = !self.showAll;
    self.app.showTable();
  })];
};

/** One row; a county drawn on the map zooms to it when clicked. */
CountyTable.prototype.row = function (r, total) {
  var app = this.app;
  var clickable = !total && this.drawn.has(r.adcode);
  var tr = el('tr', total ? 'mg-total' : clickable ? 'mg-row' : 'mg-row-static');
  if (!total && r.adcode === this.focus) tr.classList.add('mg-focus');
  tr.setAttribute('data-adcode', r.adcode);
  this.columns.forEach(function (c) {
    var text = c[2] === null ? (total ? app.t('province') : r.county) : formatNumber(r[c[0]], c[2]);
    tr.appendChild(el('td', c[2] === null ? null : 'mg-num', text));
  });
  if (clickable) tr.addEventListener('click', function () { app.zoomToCounty(r.adcode); });
  return tr;
};

CountyTable.prototype.sortBy = function (key) {
  this.ascending = this.sortKey === key ? !this.ascending : key === 'county';
  this.sortKey = key;
  this.app.showTable();
};

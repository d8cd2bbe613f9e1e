/* Stations and offices: decoding the compact columns, a grid index over true (WGS-84) positions,
   nearest() and search. Offices are never "nearest": they are union offices, not rest stations. */

var STATION_SCALE = 1e6;
// Metres per degree of latitude on the mean sphere used by greatCircleM.
var METRES_PER_DEGREE = EARTH_RADIUS_M * Math.PI / 180;

/** Running sums of delta-coded integers, plus an optional base array, as a Float64Array. */
var DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
var DIGIT_VALUE = new Int8Array(128);
for (var d = 0; d < DIGITS.length; d++) DIGIT_VALUE[DIGITS.charCodeAt(d)] = d;

/** Integers from webmap.pack_ints's text: 5 bits a character, zigzag-signed. Arithmetic, not bit
    operators, so values past 2^31 (a first longitude in 1e-6 degree, doubled) stay exact. */
function unpackInts(text) {
  if (typeof text !== 'string') return text || [];
  var out = [];
  var value = 0;
  var scale = 1;
  for (var i = 0; i < text.length; i++) {
    var digit = DIGIT_VALUE[text.charCodeAt(i)];
    value += (digit & 31) * scale;
    if (digit & 32) {
      scale *= 32;
      continue;
    }
    out.push(value % 2 ? -(value + 1) / 2 : value / 2);
    value = 0;
    scale = 1;
  }
  return out;
}

function undelta(packed, base) {
  var deltas = unpackInts(packed);
  var out = new Float64Array(deltas.length);
  var acc = 0;
  for (var i = 0; i < deltas.length; i++) {
    acc += deltas[i];
    out[i] = base ? base[i] + acc : acc;
  }
  return out;
}

/** Divide every element by a scale, giving degrees. */
function scaled(ints, scale) {
  var out = new Float64Array(ints.length);
  for (var i = 0; i < ints.length; i++) out[i] = ints[i] / scale;
  return out;
}

/** A uniform grid over points: cell lists by counting sort, searched in growing rings. */
function Grid(lon, lat, members) {
  var n = members.length;
  var minLon = Infinity, maxLon = -Infinity, minLat = Infinity, maxLat = -Infinity;
  for (var j = 0; j < n; j++) {
    var i = members[j];
    if (lon[i] < minLon) minLon = lon[i];
    if (lon[i] > maxLon) maxLon = lon[i];
    if (lat[i] < minLat) minLat = lat[i];
    if (lat[i] > maxLat) maxLat = lat[i];
  }
  var w = Math.max(maxLon - minLon, 1e-6);
  var h = Math.max(maxLat - minLat, 1e-6);
  // About two points per cell where they are spread evenly; never more than 4 million cells.
  var cell = Math.max(Math.sqrt(w * h / Math.max(n / 2, 1)), 0.002, Math.sqrt(w * h / 4e6));
  this.lon = lon;
  this.lat = lat;
  this.minLon = minLon;
  this.minLat = minLat;
  this.cell = cell;
  this.cols = Math.floor(w / cell) + 1;
  this.rows = Math.floor(h / cell) + 1;
  // Lower bound of metres per degree of longitude anywhere near the grid (cos of the highest latitude).
  var top = Math.min(89, Math.max(Math.abs(minLat), Math.abs(maxLat)) + 1);
  this.lonMetres = METRES_PER_DEGREE * Math.cos(top * Math.PI / 180) * 0.99;
  this.fill(members);
}

/** Sort members into cells: start[c]..start[c+1] index items of cell c. */
Grid.prototype.fill = function (members) {
  var cells = this.cols * this.rows;
  var cellOf = new Int32Array(members.length);
  var start = new Int32Array(cells + 1);
  for (var j = 0; j < members.length; j++) {
    var i = members[j];
    cellOf[j] = this.cellAt(this.lon[i], this.lat[i]);
    start[cellOf[j] + 1]++;
  }
  for (var c = 0; c < cells; c++) start[c + 1] += start[c];
  var next = start.slice(0, cells);
  var items = new Int32Array(members.length);
  for (j = 0; j < members.length; j++) items[next[cellOf[j]]++] = members[j];
  this.start = start;
  this.items = items;
  this.size = members.length;
};

/** Cell number of a position, clamped to the grid. */
Grid.prototype.cellAt = function (lon, lat) {
  return this.rowOf(lat) * this.cols + this.colOf(lon);
};

Grid.prototype.colOf = function (lon) {
  return Math.min(this.cols - 1, Math.max(0, Math.floor((lon - this.minLon) / this.cell)));
};

Grid.prototype.rowOf = function (lat) {
  return Math.min(this.rows - 1, Math.max(0, Math.floor((lat - this.minLat) / this.cell)));
};

/** The k members nearest to (lat, lon) that `accept`, as [{i, d}] sorted by great-circle metres. */
Grid.prototype.nearest = function (lat, lon, k, accept) {
  var best = [];
  // A NaN position never reaches the grid's edge, and a k that is not a whole number is never reached.
  if (!this.size || !(k >= 1) || !isFinite(lat) || !isFinite(lon)) return best;
  k = Math.floor(k);
  var cx = this.colOf(lon);
  var cy = this.rowOf(lat);
  for (var r = 0; ; r++) {
    this.visitRing(cx, cy, r, lat, lon, k, accept, best);
    var x0 = cx - r, x1 = cx + r, y0 = cy - r, y1 = cy + r;
    if (x0 <= 0 && y0 <= 0 && x1 >= this.cols - 1 && y1 >= this.rows - 1) break;
    if (best.length === k && best[k - 1].d <= this.unvisitedBound(lat, lon, x0, x1, y0, y1)) break;
  }
  return best;
};

/** Visit the cells at Chebyshev distance r from (cx, cy). */
Grid.prototype.visitRing = function (cx, cy, r, lat, lon, k, accept, best) {
  for (var y = cy - r; y <= cy + r; y++) {
    if (y < 0 || y >= this.rows) continue;
    var edge = y === cy - r || y === cy + r;
    var step = edge ? 1 : Math.max(2 * r, 1);
    for (var x = cx - r; x <= cx + r; x += step) {
      if (x >= 0 && x < this.cols) this.visitCell(y * this.cols + x, lat, lon, k, accept, best);
    }
  }
};

/** Offer every member of one cell to the running best list. */
Grid.prototype.visitCell = function (c, lat, lon, k, accept, best) {
  for (var j = this.start[c]; j < this.start[c + 1]; j++) {
    var i = this.items[j];
    if (accept && !accept(i)) continue;
    var d = greatCircleM(lat, lon, this.lat[i], this.lon[i]);
    if (best.length === k && (d > best[k - 1].d || (d === best[k - 1].d && i > best[k - 1].i))) continue;
    var at = best.length;
    while (at > 0 && (best[at - 1].d > d || (best[at - 1].d === d && best[at - 1].i > i))) at--;
    best.splice(at, 0, { i: i, d: d });
    if (best.length > k) best.pop();
  }
};

/** Metres within which every unvisited cell lies at least (sides at the grid's edge hide nothing). */
Grid.prototype.unvisitedBound = function (lat, lon, x0, x1, y0, y1) {
  var cell = this.cell;
  var sides = [
    x0 <= 0 ? Infinity : (lon - (this.minLon + x0 * cell)) * this.lonMetres,
    x1 >= this.cols - 1 ? Infinity : (this.minLon + (x1 + 1) * cell - lon) * this.lonMetres,
    y0 <= 0 ? Infinity : (lat - (this.minLat + y0 * cell)) * METRES_PER_DEGREE,
    y1 >= this.rows - 1 ? Infinity : (this.minLat + (y1 + 1) * cell - lat) * METRES_PER_DEGREE,
  ];
  return Math.min.apply(null, sides);
};

/** All stations and offices of the page, decoded from the columns webmap.py writes. */
function StationStore(cols, datum, speedKmh) {
  this.cols = cols;
  this.datum = datum;
  this.speedKmh = speedKmh;
  this.n = cols.n;
  var lonInt = undelta(cols.lon);
  var latInt = undelta(cols.lat);
  this.lon = scaled(lonInt, STATION_SCALE);
  this.lat = scaled(latInt, STATION_SCALE);
  this.wlon = cols.wgsLon ? scaled(undelta(cols.wgsLon, lonInt), STATION_SCALE) : this.lon;
  this.wlat = cols.wgsLat ? scaled(undelta(cols.wgsLat, latInt), STATION_SCALE) : this.lat;
  var officeKind = cols.kinds.indexOf('office');
  this.office = new Uint8Array(this.n);
  this.byId = new Map();
  var stations = [];
  for (var i = 0; i < this.n; i++) {
    this.office[i] = cols.kind[i] === officeKind ? 1 : 0;
    if (!this.office[i]) stations.push(i);
    if (!this.byId.has(cols.id[i])) this.byId.set(cols.id[i], i);
  }
  this.stationCount = stations.length;
  this.grid = new Grid(this.wlon, this.wlat, stations);
  this.haystack = null;
}

/** Walking minutes for a straight-line distance at the page's walking speed. */
StationStore.prototype.walkMinutes = function (metres) {
  return metres / (this.speedKmh * 1000 / 60);
};

/** The k stations nearest a WGS-84 point: [{i, d}] (d in metres), optionally only those `accept` allows. */
StationStore.prototype.nearest = function (lat, lon, k, accept) {
  return this.grid.nearest(lat, lon, k, accept);
};

/** Row index of a station or office id, or -1. */
StationStore.prototype.indexOf = function (id) {
  var i = this.byId.get(String(id));
  return i === undefined ? -1 : i;
};

/** Facility names of row i (canonical: the vocabulary in mapgen/facilities.py). */
StationStore.prototype.facilities = function (i) {
  var names = this.cols.facilities;
  return this.cols.facsets[this.cols.facset[i]].map(function (f) { return names[f]; });
};

/** A facility's icon and label in the page's language, as {icon, label}; unknown ones keep their name. */
StationStore.prototype.facilityLabel = function (name, lang) {
  var k = this.cols.facilities.indexOf(name);
  var labels = this.cols.facilityLabels;
  var en = k >= 0 ? labels.en[k] : null;
  return { icon: k >= 0 && labels.icon[k] ? labels.icon[k] : '', label: lang === 'en' && en ? en : name };
};

/** Opening state of row i now: 'always', 'open', 'closed' or null. */
StationStore.prototype.openState = function (i, ms) {
  return openState(this.cols.schedules[this.cols.hours[i]], ms === undefined ? Date.now() : ms);
};

/** Everything known about row i, as a plain object in the map's datum. */
StationStore.prototype.record = function (i) {
  var c = this.cols;
  var area = c.areas[c.area[i]];
  var gcj = mapToGcj(this.lon[i], this.lat[i], this.datum);
  return {
    id: c.id[i], name: c.name[i], lat: this.lat[i], lon: this.lon[i],
    kind: this.office[i] ? 'office' : 'station', type: c.types[c.type[i]],
    address: c.address[i], hours: c.hoursText[c.hours[i]], phone: c.phone[i], note: c.note[i],
    facilities: this.facilities(i), adcode: area[0], county: area[1],
    lat_wgs84: this.wlat[i], lon_wgs84: this.wlon[i], lat_gcj02: gcj[1], lon_gcj02: gcj[0],
    open: this.openState(i),
  };
};

/** Rows whose name, address, county or id contain the query (case-insensitive), at most `limit`. */
StationStore.prototype.search = function (query, limit) {
  var q = query.trim().toLowerCase();
  if (!q) return [];
  var hay = this.searchText();
  var out = [];
  for (var i = 0; i < this.n && out.length < limit; i++) {
    if (hay[i].indexOf(q) !== -1) out.push(i);
  }
  return out;
};

/** Lower-cased search text per row, built on the first search only. */
StationStore.prototype.searchText = function () {
  if (this.haystack) return this.haystack;
  var c = this.cols;
  this.haystack = new Array(this.n);
  for (var i = 0; i < this.n; i++) {
    var area = c.areas[c.area[i]];
    this.haystack[i] = [c.name[i], c.address[i], area[1], c.id[i]].join('\u0001').toLowerCase();
  }
  return this.haystack;
};

/** Amap walking-navigation link to row i (Amap takes GCJ-02 whatever the map's datum). */
StationStore.prototype.navigationUrl = function (i) {
  var gcj = mapToGcj(this.lon[i], this.lat[i], this.datum);
  return 'https://uri.amap.com/navigation?to=' + gcj[0].toFixed(6) + ',' + gcj[1].toFixed(6) + ',' +
    encodeURIComponent(this.cols.name[i]) + '&mode=walk&callnative=1&src=mapgen';
};

// One phone number: digits with '-' inside, a leading '+' or a bracketed area code, and an extension ('转8001')
// that is shown but not dialled. Whitespace, ／ / , ， ; ； 、 and any other text separate numbers.
var PHONE_NUMBER = /([(（]\s*\+?\d{2,4}\s*[)）]\s*)?(\+?\d(?:-*\d)*)(\s*(?:转|分机|ext\.?)\s*\d{1,6})?/gi;
// Fewer digits is a fragment (a house number, '24小时'), more is not a number anyone can dial.
var PHONE_MIN_DIGITS = 3;
var PHONE_MAX_DIGITS = 15;

/** Phone numbers of a phone cell, each {text (as written), tel (digits and a leading '+')}. */
function phoneNumbers(cell) {
  var written = cell === null || cell === undefined ? '' : String(cell);
  // Full-width digits, '＋' and '－' as ASCII: one character for one, so positions still index `written`.
  var text = written.replace(/[０-９＋－]/g, function (c) { return String.fromCharCode(c.charCodeAt(0) - 0xfee0); });
  // '139 0730 1234' and '0731 8888 0000' are one number written in groups: join runs of 7 to 12 digits
  // (a space becomes '-', so positions still index `written`); longer runs are several numbers.
  text = text.replace(/\d[\d ]*\d/g, function (run) {
    var digits = run.replace(/ /g, '').length;
    return digits >= 7 && digits <= 12 ? run.replace(/ /g, '-') : run;
  });
  var found = [];
  var match;
  PHONE_NUMBER.lastIndex = 0;
  while ((match = PHONE_NUMBER.exec(text)) !== null) {
    var tel = ((match[1] || '') + match[2]).replace(/[^\d+]/g, '').replace(/(?!^)\+/g, '');
    var digits = tel.replace('+', '').length;
    if (digits >= PHONE_MIN_DIGITS && digits <= PHONE_MAX_DIGITS) {
      found.push({ text: written.slice(match.index, match.index + match[0].length).trim(), tel: tel });
    }
  }
  return found;
}

/** A per-row predicate for the filters: facilities all present, type among those chosen, open now, 24 hours. */
function makeFilter(store, filters, ms) {
  var c = store.cols;
  var facOk = c.facsets.map(function (set) {
    return filters.facilities.every(function (f) { return set.indexOf(f) !== -1; });
  });
  var hoursOk = c.schedules.map(function (s) {
    var state = openState(s, ms);
    if (filters.always) return state === 'always';
    if (filters.openNow) return state === 'always' || state === 'open';
    return true;
  });
  var types = filters.types;
  var active = filters.facilities.length || filters.always || filters.openNow || types.length;
  if (!active) return null;
  return function (i) {
    return facOk[c.facset[i]] && hoursOk[c.hours[i]] && (!types.length || types.indexOf(c.type[i]) !== -1);
  };
}

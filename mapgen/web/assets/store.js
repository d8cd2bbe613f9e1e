/* Stations and offices: the compact columns decoded, a grid index over true (WGS-84) positions, nearest and
   search, records, navigation links, a station's union office and the filters' predicate. Offices are never
   "nearest": they are union offices, not rest stations.
   Needs: packing, datum, grid, schedule. Provides: StationStore(cols, datum, speedKmh), makeFilter(store, filters, ms),
   OPEN_RANK (state -> its place in lists: open first, then unknown hours, then closed). */
L.mapgen.define('store', ['packing', 'datum', 'grid', 'schedule'], function (packing, datum, Grid, schedule) {
  'use strict';

  // A worker at night wants an open station: open ones first, then unknown hours (may be open), then closed.
  var OPEN_RANK = { always: 0, open: 0, unknown: 1, closed: 2 };

  /** All stations and offices of the page, decoded from the columns webmap.py writes. */
  function StationStore(cols, datum, speedKmh) {
    this.cols = cols;
    this.datum = datum;
    this.speedKmh = speedKmh;
    this.n = cols.n;
    var lonInt = packing.undelta(cols.lon);
    var latInt = packing.undelta(cols.lat);
    this.lon = packing.scaled(lonInt, packing.POINT_SCALE);
    this.lat = packing.scaled(latInt, packing.POINT_SCALE);
    this.wlon = cols.wgsLon ? packing.scaled(packing.undelta(cols.wgsLon, lonInt), packing.POINT_SCALE) : this.lon;
    this.wlat = cols.wgsLat ? packing.scaled(packing.undelta(cols.wgsLat, latInt), packing.POINT_SCALE) : this.lat;
    var officeKind = cols.kinds.indexOf('office');
    this.office = new Uint8Array(this.n);
    this.byId = null;  // made on the first lookup by id: 186,000 ids need not delay the first paint
    var stations = [];
    for (var i = 0; i < this.n; i++) {
      this.office[i] = cols.kind[i] === officeKind ? 1 : 0;
      if (!this.office[i]) stations.push(i);
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

  /** The k stations nearest a WGS-84 point (after `accept`), open ones first and each group nearest first:
      [{i, d, state}] with state 'always', 'open', 'closed' or 'unknown' at the moment ms. */
  StationStore.prototype.ranked = function (lat, lon, k, accept, ms) {
    var self = this;
    return this.nearest(lat, lon, k, accept).map(function (r, n) {
      return { i: r.i, d: r.d, state: self.openState(r.i, ms) || 'unknown', n: n };
    }).sort(function (a, b) {
      return OPEN_RANK[a.state] - OPEN_RANK[b.state] || a.n - b.n;
    });
  };

  /** Great-circle metres from a WGS-84 point to row i's true position. */
  StationStore.prototype.distanceTo = function (i, lat, lon) {
    return datum.greatCircleM(lat, lon, this.wlat[i], this.wlon[i]);
  };

  /** The union office to tell about row i: an office with a phone in its county, else the nearest office with a
      phone (a neighbour's union forwards it); null when no office has a phone. */
  StationStore.prototype.officeFor = function (i) {
    var c = this.cols;
    var adcode = c.areas[c.area[i]][0];
    var best = null;
    for (var j = 0; j < this.n; j++) {
      if (!this.office[j] || !String(c.phone[j] || '').trim()) continue;
      var here = { i: j, sameCounty: Boolean(adcode) && c.areas[c.area[j]][0] === adcode,
        d: this.distanceTo(j, this.wlat[i], this.wlon[i]) };
      // The county's own office wins over any nearer office across the border; distance decides the rest.
      if (!best || here.sameCounty > best.sameCounty || (here.sameCounty === best.sameCounty && here.d < best.d)) {
        best = here;
      }
    }
    return best;
  };

  /** Row index of a station or office id, or -1. */
  StationStore.prototype.indexOf = function (id) {
    if (!this.byId) {
      this.byId = new Map();
      for (var k = 0; k < this.n; k++) if (!this.byId.has(this.cols.id[k])) this.byId.set(this.cols.id[k], k);
    }
    var i = this.byId.get(String(id));
    return i === undefined ? -1 : i;
  };

  /** Facility names of row i (canonical: the vocabulary in mapgen/inputs/facilities.py). */
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

  /** The opening schedule of row i (parsed by mapgen/inputs/hours.py), or null. */
  StationStore.prototype.schedule = function (i) {
    return this.cols.schedules[this.cols.hours[i]];
  };

  /** Opening state of row i now: 'always', 'open', 'closed' or null. */
  StationStore.prototype.openState = function (i, ms) {
    return schedule.openState(this.schedule(i), ms === undefined ? Date.now() : ms);
  };

  /** Everything known about row i, as a plain object in the map's datum. */
  StationStore.prototype.record = function (i) {
    var c = this.cols;
    var area = c.areas[c.area[i]];
    var gcj = datum.mapToGcj(this.lon[i], this.lat[i], this.datum);
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

  /** Amap navigation link to row i, walking (default) or riding ('ride'); Amap takes GCJ-02 whatever the map's
      datum. */
  StationStore.prototype.navigationUrl = function (i, mode) {
    var gcj = datum.mapToGcj(this.lon[i], this.lat[i], this.datum);
    return 'https://uri.amap.com/navigation?to=' + gcj[0].toFixed(6) + ',' + gcj[1].toFixed(6) + ',' +
      encodeURIComponent(this.cols.name[i]) + '&mode=' + (mode === 'ride' ? 'ride' : 'walk') + '&callnative=1&src=mapgen';
  };

  /** A per-row predicate for the filters: facilities all present, type among those chosen, open now, 24 hours.
      "Open now" keeps stations whose hours are unknown (they are listed as such): they may well be open. */
  function makeFilter(store, filters, ms) {
    var c = store.cols;
    var facOk = c.facsets.map(function (set) {
      return filters.facilities.every(function (f) { return set.indexOf(f) !== -1; });
    });
    var hoursOk = c.schedules.map(function (s) {
      var state = schedule.openState(s, ms);
      if (filters.always) return state === 'always';
      if (filters.openNow) return state !== 'closed';
      return true;
    });
    var types = filters.types;
    var active = filters.facilities.length || filters.always || filters.openNow || types.length;
    if (!active) return null;
    return function (i) {
      return facOk[c.facset[i]] && hoursOk[c.hours[i]] && (!types.length || types.indexOf(c.type[i]) !== -1);
    };
  }

  return { StationStore: StationStore, makeFilter: makeFilter, OPEN_RANK: OPEN_RANK };
});

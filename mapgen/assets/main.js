/* The page's start and behaviour: layers, nearest stations, details, search, filters, URL hashes,
   and window.mapgen (the interface DESIGN.md promises to embedders and tests). */

var HIT_TOLERANCE_PX = 14;
var NEAREST_COUNT = 3;
var DETAIL_ZOOM = 16;

/** Everything the page does, around one Leaflet map and the decoded data. */
function App(map, data) {
  this.map = map;
  this.data = data;
  this.datum = data.datum;
  this.t = makeTranslator(data.lang);
  this.store = new StationStore(data.stations, data.datum, data.speedKmh);
  this.filters = { facilities: [], types: [], openNow: false, always: false };
  this.accept = null;
  this.countyLayers = new Map();
  this.results = L.layerGroup();
  this.table = new CountyTable(this);
  this.painted = null;
}

/** Build the page and draw the first view. */
App.prototype.start = function () {
  document.documentElement.lang = this.data.lang === 'en' ? 'en' : 'zh-CN';
  this.chrome = new Chrome(this);
  this.fitStart();
  this.addTiles();
  this.addPoints();
  this.results.addTo(this.map);
  this.listen();
  this.followHash();
};

/** What can wait for the first paint of the stations: the areas, then the controls that list them. */
App.prototype.finish = function () {
  this.addAreas();
  this.addControls();
  window.mapgen.layers = this.overlays;
};

/** The first view: the counties in scope (one county with --county), else the stations. */
App.prototype.fitStart = function () {
  this.chrome.measure();
  if (!this.data.bounds) return;
  var phone = window.matchMedia(PHONE_QUERY).matches;
  var top = this.chrome.top.offsetHeight;
  this.map.fitBounds(this.data.bounds, {
    paddingTopLeft: phone ? [8, top + 8] : [Math.min(400, this.map.getSize().x / 3), 8],
    paddingBottomRight: phone ? [8, 90] : [8, 8], animate: false,
  });
};

/** Basemap tiles; when they keep failing (offline) the page says so and keeps working. */
App.prototype.addTiles = function () {
  var self = this;
  var failed = 0;
  var loaded = 0;
  this.data.tiles.forEach(function (spec) {
    var layer = L.tileLayer(spec.url, {
      subdomains: spec.subdomains || 'abc', maxNativeZoom: spec.maxNativeZoom, maxZoom: 19,
      attribution: spec.attribution || '',
    });
    layer.on('tileload', function () { loaded++; });
    layer.on('tileerror', function () {
      failed++;
      if (failed === 4 && loaded === 0) self.chrome.showNotice(self.t('tilesFailed'));
    });
    layer.addTo(self.map);
  });
  this.map.attributionControl.addAttribution(this.t('sourceCounties'));
  this.map.attributionControl.addAttribution(this.t('sourceStations'));
};

/** Counties coloured by coverage, service area, cross-covered area and gaps, on one shared canvas. */
App.prototype.addAreas = function () {
  var renderer = L.canvas({ padding: 0.3 });
  this.overlays = {};
  this.overlays[this.t('stations')] = this.stationsLayer;
  if (this.officesLayer.members.length) this.overlays[this.t('offices')] = this.officesLayer;
  var counties = this.countiesLayer(renderer);
  if (counties) this.overlays[this.t('countyLayer')] = counties.addTo(this.map);
  var service = areaLayer(this.data.service, COLORS.service, 0.18);
  var radius = this.t('metres', { n: Math.round(this.data.radiusM) });
  if (service) this.overlays[this.t('serviceArea') + ' (' + radius + ')'] = service.addTo(this.map);
  var cross = areaLayer(this.data.cross, COLORS.cross, 0.3);
  if (cross) this.overlays[this.t('crossArea')] = cross;
  var gaps = this.gapsLayer(renderer);
  if (gaps) this.overlays[this.t(this.data.gaps.kind === 'points' ? 'gapPoints' : 'gaps')] = gaps;
};

/** One polygon per county, filled by the covered share, with its numbers as a tooltip. */
App.prototype.countiesLayer = function (renderer) {
  var self = this;
  if (!this.data.counties.length) return null;
  var rows = new Map(this.data.table.map(function (r) { return [r.adcode, r]; }));
  var group = L.featureGroup();
  this.data.counties.forEach(function (county) {
    var row = rows.get(county.adcode);
    var polygon = L.polygon(decodeShape(county.shape), {
      renderer: renderer, color: '#555555', weight: 1, opacity: 0.7, fillOpacity: 0.35,
      fillColor: coveredColor(row ? row.covered_pct : null),
    });
    polygon.bindTooltip(function () { return countyTip(self.t, row, county); }, { sticky: true });
    self.countyLayers.set(county.adcode, polygon);
    group.addLayer(polygon);
  });
  // Strong colours for the overview, faint ones once streets matter (zoomed in).
  var fade = function () {
    var zoom = self.map.getZoom();
    group.setStyle({ fillOpacity: zoom <= 9 ? 0.5 : zoom <= 11 ? 0.25 : 0.06 });
  };
  this.map.on('zoomend', fade);
  fade();
  return group;
};

/** Uncovered areas per county, or uncovered demand points. */
App.prototype.gapsLayer = function (renderer) {
  var t = this.t;
  var gaps = this.data.gaps;
  if (!gaps) return null;
  var group = L.featureGroup();
  var style = { renderer: renderer, color: COLORS.gap, weight: 1, fillColor: COLORS.gap, fillOpacity: 0.2 };
  if (gaps.kind === 'areas') {
    // The counties less the service area, drawn from shapes the page already has: with the even-odd
    // rule, a place inside a county and the service area is inside two rings and stays unpainted.
    var outline = [].concat.apply([], this.data.counties.map(function (county) { return county.shape; }));
    return new AreaLayer(outline.concat(this.data.service || []),
      { color: COLORS.gap, fillOpacity: 0.2, opacity: 0.6, clip: outline });
  }
  var lon = scaled(undelta(gaps.lon), STATION_SCALE);
  var lat = scaled(undelta(gaps.lat), STATION_SCALE);
  for (var k = 0; k < lon.length; k++) {
    var d = gaps.distance[k];
    var tip = el('div', null, t('gapPoint', {
      county: gaps.county[k], w: formatNumber(gaps.weight[k], 0), d: d === null ? '–' : formatDistance(t, d),
    }));
    group.addLayer(L.circleMarker([lat[k], lon[k]], L.extend({ radius: 4 }, style)).bindTooltip(tip));
  }
  return group;
};

/** Stations and offices, each on its own canvas pane above the areas; stations (and clusters) on top. */
App.prototype.addPoints = function () {
  var map = this.map;
  ['mgOffices', 'mgStations'].forEach(function (name, k) {
    map.createPane(name).style.zIndex = String(450 + k);
  });
  this.stationsLayer = new PointLayer(this.store, 0, { pane: 'mgStations' }).addTo(map);
  this.officesLayer = new PointLayer(this.store, 1, { pane: 'mgOffices' });
  if (this.officesLayer.members.length) this.officesLayer.addTo(map);
};

/** Zoom buttons, layer switcher, metric scale bar and legend. */
App.prototype.addControls = function () {
  L.control.zoom({ position: 'topright' }).addTo(this.map);
  L.control.layers(null, this.overlays, { position: 'topright', collapsed: true }).addTo(this.map);
  L.control.scale({ imperial: false, position: 'bottomleft' }).addTo(this.map);
  new LegendControl(this).addTo(this.map);
};

/** Map clicks, search typing, URL hash changes, window resizing. */
App.prototype.listen = function () {
  var self = this;
  var timer = null;
  this.map.on('click', function (e) { self.onMapClick(e); });
  this.map.on('contextmenu', function (e) { self.nearestFromMap(e.latlng); });
  this.chrome.search.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(function () { self.showSearch(); }, 200);
  });
  this.chrome.search.addEventListener('keydown', function (e) {
    if (e.key === 'Enter') self.showSearch();
  });
  window.addEventListener('hashchange', function () { self.followHash(); });
  window.addEventListener('resize', function () {
    self.chrome.measure();
  });
};

/** A tap on a station opens it, on a cluster zooms in, anywhere else shows the stations nearest there. */
App.prototype.onMapClick = function (e) {
  var layers = [this.officesLayer, this.stationsLayer].filter(function (l) { return l._map; });
  for (var k = 0; k < layers.length; k++) {
    var hit = layers[k].hit(e.containerPoint, HIT_TOLERANCE_PX);
    if (!hit) continue;
    if (hit.count > 1) {
      this.map.setView(hit.latlng, Math.min(this.map.getZoom() + 2, CLUSTER_UNTIL_ZOOM));
    } else {
      this.openStation(hit.i, { pan: false });
    }
    return;
  }
  this.nearestFromMap(e.latlng);
};

/** Nearest stations to a point of the map (given in the map's datum). */
App.prototype.nearestFromMap = function (latlng) {
  var wgs = mapToWgs(latlng.lng, latlng.lat, this.datum);
  this.showNearest(wgs[1], wgs[0], false);
};

/** Ask the phone for its position (WGS-84), then show the nearest stations. */
App.prototype.locate = function () {
  var self = this;
  var t = this.t;
  if (!navigator.geolocation) {
    this.locateFailed(t('locateUnsupported'));
    return;
  }
  this.chrome.showSheet('locating', t('locating'), [el('p', 'mg-hint', t('tapHint'))]);
  navigator.geolocation.getCurrentPosition(function (pos) {
    self.showNearest(pos.coords.latitude, pos.coords.longitude, true);
  }, function (err) {
    self.locateFailed(err.message || String(err.code));
  }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
};

App.prototype.locateFailed = function (reason) {
  this.chrome.showSheet('locate-failed', this.t('locate'), [el('p', 'mg-hint', this.t('locateFailed', { reason: reason }))]);
};

/** The nearest stations (after the filters) to a WGS-84 point: a list, markers, and a line to the first. */
App.prototype.showNearest = function (lat, lon, fromGps) {
  var self = this;
  var t = this.t;
  var found = this.store.nearest(lat, lon, NEAREST_COUNT, this.accept);
  var here = wgsToMap(lon, lat, this.datum);
  this.drawNearest([here[1], here[0]], found, fromGps);
  var list = el('ol', 'mg-list');
  found.forEach(function (r, k) { list.appendChild(self.resultItem(r.i, r.d, k + 1)); });
  var title = t(fromGps ? 'nearestTitle' : 'nearestHereTitle');
  this.chrome.showSheet('nearest', title, [found.length ? list : el('p', 'mg-hint', t('noStations')),
    fromGps ? null : el('p', 'mg-hint', t('tapHint'))]);
  this.setHash('at=' + lat.toFixed(6) + ',' + lon.toFixed(6));
  this.fitAround([here[1], here[0]], found);
};

/** Markers for the query point and the numbered results, and a dashed line to the nearest. */
App.prototype.drawNearest = function (here, found, fromGps) {
  var store = this.store;
  this.results.clearLayers();
  if (found.length) {
    var first = [store.lat[found[0].i], store.lon[found[0].i]];
    L.polyline([here, first], { color: '#1a73e8', weight: 3, dashArray: '6 6', interactive: false })
      .addTo(this.results);
  }
  L.circleMarker(here, { radius: 8, color: '#ffffff', weight: 3, fillColor: '#1a73e8', fillOpacity: 1 })
    .bindTooltip(this.t(fromGps ? 'you' : 'here')).addTo(this.results);
  found.forEach(function (r, k) {
    var label = el('span', 'mg-rank', k + 1);
    var marker = L.marker([store.lat[r.i], store.lon[r.i]], {
      icon: L.divIcon({ className: 'mg-rank-icon', html: label, iconSize: [22, 22], iconAnchor: [11, 30] }),
      interactive: false, keyboard: false,
    });
    marker.addTo(this.results);
  }, this);
};

/** Fit the map around a point and the found stations, leaving room for the sheet. */
App.prototype.fitAround = function (here, found) {
  var store = this.store;
  var bounds = L.latLngBounds([here]);
  found.forEach(function (r) { bounds.extend([store.lat[r.i], store.lon[r.i]]); });
  var covered = this.chrome.covered();
  this.map.fitBounds(bounds, {
    paddingTopLeft: [covered[0] + 30, this.chrome.top.offsetHeight + 30],
    paddingBottomRight: [60, covered[1] + 30], maxZoom: DETAIL_ZOOM, animate: false,
  });
};

/** One result: rank, name, distance, walk, open badge; tap for details; a navigate link. */
App.prototype.resultItem = function (i, metres, rank) {
  var self = this;
  var t = this.t;
  var store = this.store;
  var li = el('li', 'mg-item');
  li.setAttribute('data-id', store.cols.id[i]);
  var main = button('mg-item-main', null, null, function () { self.openStation(i, { pan: true, metres: metres }); });
  main.appendChild(el('span', 'mg-item-name', (rank ? rank + '. ' : '') + store.cols.name[i]));
  var meta = el('span', 'mg-item-meta');
  if (metres !== undefined) {
    meta.append(el('span', null, formatDistance(t, metres)),
      el('span', null, t('walk', { n: Math.max(1, Math.ceil(store.walkMinutes(metres))) })));
  } else {
    meta.appendChild(el('span', null, [store.cols.address[i], store.cols.areas[store.cols.area[i]][1]]
      .filter(Boolean).join(' · ')));
  }
  var badge = openBadge(t, store.openState(i));
  if (badge) meta.appendChild(badge);
  main.appendChild(meta);
  li.appendChild(main);
  if (!store.office[i]) li.appendChild(link('mg-nav', t('navigate'), store.navigationUrl(i), 'navigate'));
  return li;
};

/** A station's or office's details in the sheet; optionally centre the map on it. */
App.prototype.openStation = function (i, opts) {
  var store = this.store;
  var latlng = [store.lat[i], store.lon[i]];
  if (opts.pan) this.map.setView(latlng, Math.max(this.map.getZoom(), DETAIL_ZOOM), { animate: false });
  this.highlight(latlng);
  this.chrome.showSheet('details', store.cols.name[i], this.details(i, opts.metres));
  this.setHash('station=' + encodeURIComponent(store.cols.id[i]));
};

/** A ring around the chosen station. */
App.prototype.highlight = function (latlng) {
  if (this.selection) this.selection.remove();
  this.selection = L.circleMarker(latlng, {
    radius: 13, color: '#ffb000', weight: 4, fill: false, interactive: false,
  }).addTo(this.map);
};

/** The detail nodes of row i: kind and type, badge, actions (navigate, call), address, hours, facilities. */
App.prototype.details = function (i, metres) {
  var t = this.t;
  var store = this.store;
  var rec = store.record(i);
  var nodes = [];
  var head = el('p', 'mg-kind', [t(rec.kind), rec.type, rec.county].filter(Boolean).join(' · '));
  var badge = openBadge(t, rec.open);
  if (badge) head.appendChild(badge);
  nodes.push(head);
  if (metres !== undefined) {
    nodes.push(el('p', 'mg-distance', t('straightLine') + ' ' + formatDistance(t, metres) + ' · ' +
      t('walk', { n: Math.max(1, Math.ceil(store.walkMinutes(metres))) })));
  }
  nodes.push(this.actions(i, rec));
  var dl = el('dl', 'mg-facts');
  this.fact(dl, t('address'), rec.address);
  this.fact(dl, t('hours'), rec.hours);
  this.fact(dl, t('facilities'), rec.facilities.length ? this.chips(rec.facilities) : null);
  this.fact(dl, t('note'), rec.note);
  nodes.push(dl);
  return nodes;
};

/** Navigate (Amap walking route, GCJ-02) and call buttons. */
App.prototype.actions = function (i, rec) {
  var t = this.t;
  var row = el('div', 'mg-actions');
  row.appendChild(link('mg-btn mg-primary', t('navigate'), this.store.navigationUrl(i), 'navigate'));
  phoneNumbers(rec.phone).forEach(function (p) {
    row.appendChild(link('mg-btn', t('call') + ' ' + p.text, 'tel:' + p.tel, 'phone'));
  });
  return row;
};

/** One label/value pair of the facts list; skipped when empty. */
App.prototype.fact = function (dl, label, value) {
  if (value === null || value === undefined || value === '') return;
  var dd = el('dd');
  if (typeof value === 'string') dd.textContent = value;
  else dd.appendChild(value);
  dl.append(el('dt', null, label), dd);
};

/** Facility tags, each with its icon and its label in the page's language. */
App.prototype.chips = function (names) {
  var self = this;
  var box = el('span', 'mg-chips');
  names.forEach(function (n) {
    var chip = el('span', 'mg-chip');
    chip.setAttribute('data-facility', n);
    self.labelFacility(chip, n);
    box.appendChild(chip);
  });
  return box;
};

/** Append a facility's icon (hidden from screen readers) and label to a node. */
App.prototype.labelFacility = function (node, name) {
  var f = this.store.facilityLabel(name, this.data.lang);
  if (f.icon) {
    var glyph = el('span', 'mg-glyph', f.icon);
    glyph.setAttribute('aria-hidden', 'true');
    node.appendChild(glyph);
  }
  node.appendChild(el('span', null, f.label));
};

/** Search results for the search box: matching counties (zoom to them), then stations and offices. */
App.prototype.showSearch = function () {
  var self = this;
  var t = this.t;
  var q = this.chrome.search.value.trim();
  if (!q) {
    if (this.chrome.mode === 'search') this.chrome.hideSheet();
    return;
  }
  var low = q.toLowerCase();
  var nodes = [];
  this.data.counties.forEach(function (c) {
    if (c.county.toLowerCase().indexOf(low) === -1) return;
    nodes.push(button('mg-btn mg-county', t('zoomToCounty', { county: c.county }), null, function () {
      self.zoomToCounty(c.adcode);
    }));
  });
  var found = this.store.search(q, SEARCH_LIMIT + 1);
  var list = el('ul', 'mg-list');
  found.slice(0, SEARCH_LIMIT).forEach(function (i) { list.appendChild(self.resultItem(i)); });
  if (found.length) nodes.push(list);
  if (found.length > SEARCH_LIMIT) nodes.push(el('p', 'mg-hint', t('searchMore', { n: SEARCH_LIMIT })));
  if (!nodes.length) nodes.push(el('p', 'mg-hint', t('searchNone', { q: q })));
  this.chrome.showSheet('search', t('searchResults'), nodes);
};

/** The filter panel: open now, 24 hours, types and facilities as toggles. */
App.prototype.showFilters = function () {
  var self = this;
  var t = this.t;
  var f = this.filters;
  var c = this.store.cols;
  var nodes = [el('p', 'mg-hint mg-shown', this.shownText())];
  var hours = el('div', 'mg-chips');
  hours.append(this.toggle(t('filterOpenNow'), f.openNow, function (on) { f.openNow = on; }),
    this.toggle(t('filterAlways'), f.always, function (on) { f.always = on; }));
  nodes.push(hours);
  nodes.push(this.toggleGroup(t('filterTypes'), c.types, f.types, null));
  nodes.push(this.toggleGroup(t('filterFacilities'), c.facilities, f.facilities, function (chip, name) {
    self.labelFacility(chip, name);
  }));
  nodes.push(button('mg-btn', t('clear'), null, function () {
    self.filters = { facilities: [], types: [], openNow: false, always: false };
    self.applyFilters();
    self.showFilters();
  }));
  this.chrome.showSheet('filters', t('filters'), nodes);
};

/** A heading and one toggle per named value; `chosen` holds the indices switched on; `label(chip, name)`
    fills a chip (by default with the name). */
App.prototype.toggleGroup = function (title, names, chosen, label) {
  var self = this;
  var box = el('div', 'mg-filter-group');
  box.appendChild(el('h3', null, title));
  var chips = box.appendChild(el('div', 'mg-chips'));
  names.forEach(function (name, k) {
    if (!name) return;
    var chip = self.toggle(label ? null : name, chosen.indexOf(k) !== -1, function (on) {
      var at = chosen.indexOf(k);
      if (on && at === -1) chosen.push(k);
      if (!on && at !== -1) chosen.splice(at, 1);
    });
    if (label) label(chip, name);
    chips.appendChild(chip);
  });
  return names.some(Boolean) ? box : null;
};

/** A chip that switches a filter on and off (its label given, or filled in by the caller). */
App.prototype.toggle = function (label, on, set) {
  var self = this;
  var b = button('mg-chip mg-toggle', label, null, function () {
    var now = b.getAttribute('aria-pressed') !== 'true';
    b.setAttribute('aria-pressed', String(now));
    set(now);
    self.applyFilters();
  });
  b.setAttribute('aria-pressed', String(on));
  return b;
};

/** Apply the filters to the drawn stations (offices are not filtered) and nearest searches. */
App.prototype.applyFilters = function () {
  this.accept = makeFilter(this.store, this.filters, Date.now());
  this.stationsLayer.setFilter(this.accept);
  this.chrome.filterButton.classList.toggle('mg-active', Boolean(this.accept));
  var shown = this.chrome.sheetBody.querySelector('.mg-shown');
  if (shown) shown.textContent = this.shownText();
};

/** 'Showing n of total stations'. */
App.prototype.shownText = function () {
  var n = 0;
  for (var i = 0; i < this.store.n; i++) {
    if (!this.store.office[i] && (!this.accept || this.accept(i))) n++;
  }
  return this.t('shown', { n: n, total: this.store.stationCount });
};

/** The sortable county table in the sheet. */
App.prototype.showTable = function () {
  this.chrome.showSheet('table', this.t('table'), this.table.render());
};

/** Fit the map to one county. */
App.prototype.zoomToCounty = function (adcode) {
  var layer = this.countyLayers.get(adcode);
  if (!layer) return;
  if (window.matchMedia(PHONE_QUERY).matches) this.chrome.hideSheet();
  var covered = this.chrome.covered();
  this.map.fitBounds(layer.getBounds(), { paddingTopLeft: [covered[0] + 10, this.chrome.top.offsetHeight + 10] });
};

/** Put a shareable state in the URL without adding history entries or re-reading the hash. */
App.prototype.setHash = function (hash) {
  this.ownHash = '#' + hash;
  try {
    history.replaceState(null, '', this.ownHash);
  } catch (err) {
    // Some embedded browsers refuse replaceState (e.g. sandboxed frames); the link is then just not updated.
  }
};

/** Act on #station=ID or #at=LAT,LON (WGS-84). */
App.prototype.followHash = function () {
  var hash = location.hash;
  if (!hash || hash === this.ownHash) return;
  var station = /^#station=(.+)$/.exec(hash);
  var at = /^#at=(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)$/.exec(hash);
  if (station) {
    var i = this.store.indexOf(safeDecode(station[1]));
    if (i >= 0) this.openStation(i, { pan: true });
  } else if (at && Math.abs(+at[1]) <= 90 && Math.abs(+at[2]) <= 180) {
    this.showNearest(+at[1], +at[2], false);
  }
};

/** decodeURIComponent that returns its input when it is not valid percent-encoding. */
function safeDecode(text) {
  try {
    return decodeURIComponent(text);
  } catch (err) {
    return text;
  }
}

/** window.mapgen: datum, nearest(lat, lon, k), station(id), and what tests wait on (ready, painted). */
App.prototype.api = function (ready) {
  var store = this.store;
  var self = this;
  return {
    version: 1,
    datum: this.datum,
    map: this.map,
    ready: ready,
    painted: null,
    nearest: function (lat, lon, k) {
      lat = Number(lat);
      lon = Number(lon);
      if (!isFinite(lat) || !isFinite(lon)) return [];
      // k as a count: '2' is 2, 2.7 is 2, below 0 is 0, and anything not a number the default.
      k = k === undefined || isNaN(Number(k)) ? NEAREST_COUNT : Math.max(0, Math.floor(Number(k)));
      return store.nearest(lat, lon, k, null).map(function (r) {
        return {
          id: store.cols.id[r.i], name: store.cols.name[r.i], lat: store.lat[r.i], lon: store.lon[r.i],
          distance_m: r.d, walk_min: store.walkMinutes(r.d),
        };
      });
    },
    station: function (id) {
      var i = store.indexOf(id);
      return i < 0 ? null : store.record(i);
    },
    drawnPoint: function (id) {
      var i = store.indexOf(id);
      var layer = i < 0 ? null : store.office[i] ? self.officesLayer : self.stationsLayer;
      var p = layer && layer.containerPointOf(i);
      return p ? { x: p.x, y: p.y } : null;
    },
    wgsToGcj: wgsToGcj,
    unpackInts: unpackInts,
    gcjToWgs: gcjToWgs,
    openState: openState,
  };
};

/** Called by the page once the Leaflet map exists: decode the data, build everything, resolve `ready`. */
window.mapgenStart = function (map) {
  var data = JSON.parse(document.getElementById('mapgen-data').textContent);
  var app = new App(map, data);
  var resolve;
  var ready = new Promise(function (r) { resolve = r; });
  var api = app.api(ready);
  window.mapgen = api;
  app.start();
  requestAnimationFrame(function () {
    api.painted = performance.now();
    // Areas and controls come a moment later, once the stations are on screen.
    setTimeout(function () {
      app.finish();
      resolve(api.painted);
    }, 0);
  });
};

/* The station layer: stations and offices drawn clustered on canvases, a tap opens a station's details or shows
   the stations nearest the tapped place (open ones first, with quick filters, "更多" and a way back from a
   station), filters (remembered on the phone, with the last position), the URL hash (#station=ID, #at=LAT,LON),
   and window.mapgen.
   Needs: i18n, datum, packing, schedule, store, pointLayer, sheet, details, dom, lifecycle, overlays, quickFilters,
   prefs, travel.
   Provides: create(data) -> an L.Layer (data: {datum, lang, speedKmh, stations}); it also defines window.mapgen,
   the page's interface (DESIGN.md): {datum, nearest(lat, lon, k), station(id)}. */
L.mapgen.define('stationLayer',
  ['i18n', 'datum', 'packing', 'schedule', 'store', 'pointLayer', 'sheet', 'details', 'dom', 'lifecycle', 'overlays',
    'quickFilters', 'prefs', 'travel'],
  function (i18n, datum, packing, schedule, stores, points, sheets, details, dom, lifecycle, overlays,
    quickFilters, prefs, travel) {
    'use strict';

    var HIT_TOLERANCE_PX = 14;
    var NEAREST_COUNT = 3;
    var MORE_COUNT = 10;
    var DETAIL_ZOOM = 16;
    var CHINA_OFFSET_MS = 8 * 3600 * 1000;
    var el = dom.el;

    /** A stored or given WGS-84 position {lat, lon, at?} if it is one, else null. */
    function position(p) {
      var ok = p && typeof p === 'object' && isFinite(p.lat) && isFinite(p.lon) && p.lat !== null && p.lon !== null &&
        Math.abs(p.lat) <= 90 && Math.abs(p.lon) <= 180;
      return ok ? { lat: Number(p.lat), lon: Number(p.lon), at: isFinite(p.at) ? Number(p.at) : null } : null;
    }

    /** A moment as '12-03 22:05' in China time (the stations' time). */
    function shortTime(ms) {
      var d = new Date(ms + CHINA_OFFSET_MS);
      var two = function (n) { return String(n).padStart(2, '0'); };
      return two(d.getUTCMonth() + 1) + '-' + two(d.getUTCDate()) + ' ' + two(d.getUTCHours()) + ':' + two(d.getUTCMinutes());
    }

    /** decodeURIComponent that returns its input when it is not valid percent-encoding. */
    function safeDecode(text) {
      try {
        return decodeURIComponent(text);
      } catch (err) {
        return text;
      }
    }

    var StationLayer = L.Layer.extend({
      initialize: function (data) {
        this.datum = data.datum;
        this.t = i18n.translator(data.lang);
        this.store = new stores.StationStore(data.stations, data.datum, data.speedKmh);
        this.details = new details.Details(this.store, this.t, data.lang, data.reach);
        this.filters = quickFilters.NONE();
        this.accept = null;
        this.list = null; // the nearest list shown last: {lat, lon, fromGps, lastPlace, count}
        this.fix = null; // this visit's GPS position (WGS-84)
        this.view = null; // re-renders the list a station was opened from: view(scrollTop)
        this.results = L.layerGroup();
        this.stationsLayer = new points.PointLayer(this.store, 0, { pane: 'mgStations' });
        this.officesLayer = new points.PointLayer(this.store, 1, { pane: 'mgOffices' });
        this.selection = null;
        this.ownHash = null;
        this.onHash = this.followHash.bind(this);
      },

      /** Added to a map: start once every element of the page exists (the page has fitted its first view). */
      onAdd: function (map) {
        var self = this;
        lifecycle.onStart(function () {
          if (self._map === map) self.start(map);
        });
      },

      onRemove: function (map) {
        [this.stationsLayer, this.officesLayer, this.results, this.selection].forEach(function (layer) {
          if (layer) layer.remove();
        });
        map.off('click', this.onMapClick, this);
        map.off('contextmenu', this.onContextMenu, this);
        window.removeEventListener('hashchange', this.onHash);
      },

      /** Draw the points, listen to the map and the URL, publish window.mapgen, follow the hash. */
      start: function (map) {
        this.sheet = sheets.of(map, this.t);
        ['mgOffices', 'mgStations'].forEach(function (name, k) {
          if (!map.getPane(name)) map.createPane(name).style.zIndex = String(450 + k);
        });
        this.stationsLayer.addTo(map);
        var offices = this.officesLayer.members.length > 0;
        if (offices) this.officesLayer.addTo(map);
        this.results.addTo(map);
        if (!this.registered) {
          overlays.add(map, this.t('stations'), this.stationsLayer);
          if (offices) overlays.add(map, this.t('offices'), this.officesLayer);
          this.registered = true;
        }
        map.on('click', this.onMapClick, this);
        map.on('contextmenu', this.onContextMenu, this);
        window.addEventListener('hashchange', this.onHash);
        window.mapgen = this.api();
        this.exposeForTests(map);
        var saved = quickFilters.restore(this);
        if (saved) this.setFilters(saved);
        this.followHash();
        if (!location.hash) this.showLastPlace();
      },

      /** window.mapgen: exactly the interface DESIGN.md promises. */
      api: function () {
        var store = this.store;
        return {
          datum: this.datum,
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
        };
      },

      /** What tests reach through window.__mapgenTest (see lifecycle.js): not part of the interface. */
      exposeForTests: function (map) {
        var self = this;
        lifecycle.expose('map', map);
        lifecycle.expose('drawnPoint', function (id) {
          var i = self.store.indexOf(id);
          var layer = i < 0 ? null : self.store.office[i] ? self.officesLayer : self.stationsLayer;
          var p = layer && layer.containerPointOf(i);
          return p ? { x: p.x, y: p.y } : null;
        });
        lifecycle.expose('wgsToGcj', datum.wgsToGcj);
        lifecycle.expose('gcjToWgs', datum.gcjToWgs);
        lifecycle.expose('unpackInts', packing.unpackInts);
        lifecycle.expose('openState', schedule.openState);
      },

      /** A tap on a station opens it, on a cluster zooms in, anywhere else shows the stations nearest there. */
      onMapClick: function (e) {
        var map = this._map;
        var layers = [this.officesLayer, this.stationsLayer].filter(function (l) { return l._map; });
        for (var k = 0; k < layers.length; k++) {
          var hit = layers[k].hit(e.containerPoint, HIT_TOLERANCE_PX);
          if (!hit) continue;
          if (hit.count > 1) {
            map.setView(hit.latlng, Math.min(map.getZoom() + 2, points.CLUSTER_UNTIL_ZOOM));
          } else {
            this.openStation(hit.i, { pan: false });
          }
          return;
        }
        this.nearestFromMap(e.latlng);
      },

      onContextMenu: function (e) {
        this.nearestFromMap(e.latlng);
      },

      /** Nearest stations to a point of the map (given in the map's datum). */
      nearestFromMap: function (latlng) {
        var wgs = datum.mapToWgs(latlng.lng, latlng.lat, this.datum);
        this.showNearest(wgs[1], wgs[0], false);
      },

      /** The nearest stations (after the filters) to a WGS-84 point: a list, markers, and a line to the first; a GPS
          position is remembered on the phone as the last position. */
      showNearest: function (lat, lon, fromGps) {
        if (fromGps) {
          this.fix = { lat: lat, lon: lon };
          prefs.save('place', { lat: lat, lon: lon, at: Date.now() });
        }
        this.list = { lat: lat, lon: lon, fromGps: fromGps, lastPlace: null, count: NEAREST_COUNT };
        this.renderList({ fit: true, scroll: 0 });
      },

      /** On a visit without a position yet: the list around the position remembered from the last visit, if any. */
      showLastPlace: function () {
        var place = position(prefs.load('place'));
        if (!place) return;
        this.list = { lat: place.lat, lon: place.lon, fromGps: false, lastPlace: place, count: NEAREST_COUNT };
        this.renderList({ fit: true, scroll: 0 });
      },

      /** Draw the current nearest list: open stations first (of the MORE_COUNT nearest that pass the filters), the
          first `count` of them, with the quick filters above and "更多" below; opts: {fit, scroll}. */
      renderList: function (opts) {
        var self = this;
        var t = this.t;
        var s = this.list;
        var found = this.store.ranked(s.lat, s.lon, MORE_COUNT, this.accept, Date.now());
        var shown = found.slice(0, s.count);
        var here = datum.wgsToMap(s.lon, s.lat, this.datum);
        this.drawNearest([here[1], here[0]], shown, s);
        var list = el('ol', 'mg-list');
        shown.forEach(function (r, k) { list.appendChild(self.item(r.i, r.d, k + 1, r.state)); });
        var nodes = quickFilters.nodes(this, t);
        if (s.lastPlace) nodes.push(this.lastPlaceNote(s.lastPlace));
        var nearestM = Math.min.apply(null, found.map(function (r) { return r.d; }));
        if (found.length && nearestM > travel.NEAR_LIMIT_M) {
          nodes.push(el('p', 'mg-far', t(this.accept ? 'noneNearFiltered' : 'noneNear', { km: travel.NEAR_LIMIT_M / 1000 })));
        }
        nodes.push(found.length ? list : el('p', 'mg-hint', t('noStations')));
        if (found.length > shown.length) {
          nodes.push(dom.button('mg-btn mg-more', t('more'), null, function () {
            s.count = MORE_COUNT;
            self.renderList({ fit: true, scroll: self.sheet.body.scrollTop });
          }));
        }
        if (!s.fromGps && !s.lastPlace) nodes.push(el('p', 'mg-hint', t('tapHint')));
        var title = t(s.fromGps ? 'nearestTitle' : s.lastPlace ? 'lastPlaceTitle' : 'nearestHereTitle');
        this.sheet.show('nearest', title, nodes);
        this.sheet.body.scrollTop = opts.scroll || 0;
        this.view = function (scroll) { self.renderList({ fit: true, scroll: scroll }); };
        // The last position is private to this phone: it does not go into the (shareable) URL.
        if (!s.lastPlace) this.setHash('at=' + s.lat.toFixed(6) + ',' + s.lon.toFixed(6));
        if (opts.fit) this.fitAround([here[1], here[0]], shown);
      },

      /** "上次位置 (time): not where you are now", and a button to look from the current position instead. */
      lastPlaceNote: function (place) {
        var self = this;
        var t = this.t;
        var note = el('div', 'mg-last');
        note.appendChild(el('p', 'mg-hint', t('lastPlaceHint', { when: place.at ? shortTime(place.at) : '–' })));
        note.appendChild(dom.button('mg-btn mg-relocate', t('useCurrentPlace'), 'locate', function () {
          // The worker panel asks the phone for its position; without one, closing the list shows its locate button.
          if (self.listens('locaterequest')) self.fire('locaterequest');
          else self.sheet.hide();
        }));
        return note;
      },

      /** The worker's position as best known: this visit's GPS fix, else the place the list is about, else the
          position remembered from the last visit; null when none. */
      knownPlace: function () {
        if (this.fix) return this.fix;
        if (this.list) return { lat: this.list.lat, lon: this.list.lon };
        return position(prefs.load('place'));
      },

      /** Remember how to redraw the list on screen, for the back button of a station opened from it. */
      setView: function (view) {
        this.view = view;
      },

      /** A result line that opens the station's details (with a way back to this list) when tapped. */
      item: function (i, metres, rank, state) {
        var self = this;
        return this.details.item(i, metres, rank, function () { self.openFromList(i, metres); }, state);
      },

      /** Open a station from the list on screen; its back button redraws that list at the same scroll position. */
      openFromList: function (i, metres) {
        var view = this.view;
        var scroll = this.sheet.body.scrollTop;
        this.openStation(i, { pan: true, metres: metres, back: view && function () { view(scroll); } });
      },

      /** Markers for the query point and the numbered results, and a dashed line to the nearest. */
      drawNearest: function (here, found, s) {
        var store = this.store;
        var results = this.results;
        results.clearLayers();
        if (found.length) {
          var first = [store.lat[found[0].i], store.lon[found[0].i]];
          L.polyline([here, first], { color: '#1a73e8', weight: 3, dashArray: '6 6', interactive: false })
            .addTo(results);
        }
        L.circleMarker(here, { radius: 8, color: '#ffffff', weight: 3, fillColor: '#1a73e8', fillOpacity: 1 })
          .bindTooltip(this.t(s.fromGps ? 'you' : s.lastPlace ? 'lastPlace' : 'here')).addTo(results);
        found.forEach(function (r, k) {
          L.marker([store.lat[r.i], store.lon[r.i]], {
            icon: L.divIcon({ className: 'mg-rank-icon', html: el('span', 'mg-rank', k + 1), iconSize: [22, 22],
              iconAnchor: [11, 30] }),
            interactive: false, keyboard: false,
          }).addTo(results);
        });
      },

      /** Fit the map around a point and the found stations, leaving room for the top bar and the sheet. */
      fitAround: function (here, found) {
        var store = this.store;
        var bounds = L.latLngBounds([here]);
        found.forEach(function (r) { bounds.extend([store.lat[r.i], store.lon[r.i]]); });
        var inset = this.sheet.insets();
        this._map.fitBounds(bounds, {
          paddingTopLeft: [inset.left + 30, inset.top + 30],
          paddingBottomRight: [72, inset.bottom + 30], maxZoom: DETAIL_ZOOM, animate: false,
        });
      },

      /** A station's or office's details in the sheet; optionally centre the map on it, in the part of the map the
          top bar and the sheet leave visible. */
      openStation: function (i, opts) {
        var map = this._map;
        var latlng = [this.store.lat[i], this.store.lon[i]];
        if (this.selection) this.selection.remove();
        this.selection = L.circleMarker(latlng, {
          radius: 13, color: '#ffb000', weight: 4, fill: false, interactive: false,
        }).addTo(map);
        var metres = opts.metres;
        // Opened from the map or a link: the distance is worth showing only from where the phone is now.
        if (metres === undefined && this.fix && !this.store.office[i]) metres = this.store.distanceTo(i, this.fix.lat, this.fix.lon);
        this.sheet.show('details', this.store.cols.name[i], this.details.nodes(i, { metres: metres, back: opts.back }));
        if (opts.pan) {
          map.setView(latlng, Math.max(map.getZoom(), DETAIL_ZOOM), { animate: false });
          var inset = this.sheet.insets();
          map.panBy([-inset.left / 2, (inset.bottom - inset.top) / 2], { animate: false });
        }
        this.setHash('station=' + encodeURIComponent(this.store.cols.id[i]));
      },

      /** Show only the stations the filters allow (offices are not filtered), here and in nearest searches; remember
          them on the phone, and redraw the nearest list when it is on screen. */
      setFilters: function (filters) {
        this.filters = filters;
        this.accept = stores.makeFilter(this.store, filters, Date.now());
        this.stationsLayer.setFilter(this.accept);
        quickFilters.remember(this);
        this.fire('filterchange');
        if (this.list && this.sheet && this.sheet.mode === 'nearest') {
          this.renderList({ fit: true, scroll: this.sheet.body.scrollTop });
        }
      },

      clearFilters: function () {
        this.setFilters(quickFilters.NONE());
      },

      /** How many stations the filters let through. */
      shownCount: function () {
        var n = 0;
        for (var i = 0; i < this.store.n; i++) {
          if (!this.store.office[i] && (!this.accept || this.accept(i))) n++;
        }
        return n;
      },

      /** Put a shareable state in the URL without adding history entries or re-reading the hash. */
      setHash: function (hash) {
        this.ownHash = '#' + hash;
        try {
          history.replaceState(null, '', this.ownHash);
        } catch (err) {
          // Some embedded browsers refuse replaceState (e.g. sandboxed frames); the link is then just not updated.
        }
      },

      /** Act on #station=ID or #at=LAT,LON (WGS-84). */
      followHash: function () {
        var hash = location.hash;
        if (!hash || hash === this.ownHash) return;
        var station = /^#station=(.+)$/.exec(hash);
        var at = /^#at=(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)$/.exec(hash);
        if (station) {
          var id = safeDecode(station[1]);
          var i = this.store.indexOf(id);
          if (i >= 0) this.openStation(i, { pan: true });
          else this.sheet.show('unknown', this.t('stationUnknownTitle'), [el('p', 'mg-hint', this.t('stationUnknown', { id: id }))]);
        } else if (at && Math.abs(+at[1]) <= 90 && Math.abs(+at[2]) <= 180) {
          this.showNearest(+at[1], +at[2], false);
        }
      },
    });

    return {
      StationLayer: StationLayer,
      create: function (data) { return new StationLayer(data); },
    };
  });

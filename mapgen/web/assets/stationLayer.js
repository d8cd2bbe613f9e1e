/* The station layer: stations and offices drawn clustered on canvases, a tap opens a station's details or shows
   the stations nearest the tapped place, filters, the URL hash (#station=ID, #at=LAT,LON), and window.mapgen.
   Needs: i18n, datum, packing, schedule, store, pointLayer, sheet, details, dom, lifecycle, overlays.
   Provides: create(data) -> an L.Layer (data: {datum, lang, speedKmh, stations}); it also defines window.mapgen,
   the page's interface (DESIGN.md): {datum, nearest(lat, lon, k), station(id)}. */
L.mapgen.define('stationLayer',
  ['i18n', 'datum', 'packing', 'schedule', 'store', 'pointLayer', 'sheet', 'details', 'dom', 'lifecycle', 'overlays'],
  function (i18n, datum, packing, schedule, stores, points, sheets, details, dom, lifecycle, overlays) {
    'use strict';

    var HIT_TOLERANCE_PX = 14;
    var NEAREST_COUNT = 3;
    var DETAIL_ZOOM = 16;
    var el = dom.el;

    /** No filter on: every station shown. */
    function noFilters() {
      return { facilities: [], types: [], openNow: false, always: false };
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
        this.details = new details.Details(this.store, this.t, data.lang);
        this.filters = noFilters();
        this.accept = null;
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
        this.followHash();
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

      /** The nearest stations (after the filters) to a WGS-84 point: a list, markers, and a line to the first. */
      showNearest: function (lat, lon, fromGps) {
        var self = this;
        var t = this.t;
        var found = this.store.nearest(lat, lon, NEAREST_COUNT, this.accept);
        var here = datum.wgsToMap(lon, lat, this.datum);
        this.drawNearest([here[1], here[0]], found, fromGps);
        var list = el('ol', 'mg-list');
        found.forEach(function (r, k) { list.appendChild(self.item(r.i, r.d, k + 1)); });
        var title = t(fromGps ? 'nearestTitle' : 'nearestHereTitle');
        this.sheet.show('nearest', title, [found.length ? list : el('p', 'mg-hint', t('noStations')),
          fromGps ? null : el('p', 'mg-hint', t('tapHint'))]);
        this.setHash('at=' + lat.toFixed(6) + ',' + lon.toFixed(6));
        this.fitAround([here[1], here[0]], found);
      },

      /** A result line that opens the station's details when tapped. */
      item: function (i, metres, rank) {
        var self = this;
        return this.details.item(i, metres, rank, function () { self.openStation(i, { pan: true, metres: metres }); });
      },

      /** Markers for the query point and the numbered results, and a dashed line to the nearest. */
      drawNearest: function (here, found, fromGps) {
        var store = this.store;
        var results = this.results;
        results.clearLayers();
        if (found.length) {
          var first = [store.lat[found[0].i], store.lon[found[0].i]];
          L.polyline([here, first], { color: '#1a73e8', weight: 3, dashArray: '6 6', interactive: false })
            .addTo(results);
        }
        L.circleMarker(here, { radius: 8, color: '#ffffff', weight: 3, fillColor: '#1a73e8', fillOpacity: 1 })
          .bindTooltip(this.t(fromGps ? 'you' : 'here')).addTo(results);
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
          paddingBottomRight: [60, inset.bottom + 30], maxZoom: DETAIL_ZOOM, animate: false,
        });
      },

      /** A station's or office's details in the sheet; optionally centre the map on it. */
      openStation: function (i, opts) {
        var map = this._map;
        var latlng = [this.store.lat[i], this.store.lon[i]];
        if (opts.pan) map.setView(latlng, Math.max(map.getZoom(), DETAIL_ZOOM), { animate: false });
        if (this.selection) this.selection.remove();
        this.selection = L.circleMarker(latlng, {
          radius: 13, color: '#ffb000', weight: 4, fill: false, interactive: false,
        }).addTo(map);
        this.sheet.show('details', this.store.cols.name[i], this.details.nodes(i, opts.metres));
        this.setHash('station=' + encodeURIComponent(this.store.cols.id[i]));
      },

      /** Show only the stations the filters allow (offices are not filtered), here and in nearest searches. */
      setFilters: function (filters) {
        this.filters = filters;
        this.accept = stores.makeFilter(this.store, filters, Date.now());
        this.stationsLayer.setFilter(this.accept);
        this.fire('filterchange');
      },

      clearFilters: function () {
        this.setFilters(noFilters());
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
          var i = this.store.indexOf(safeDecode(station[1]));
          if (i >= 0) this.openStation(i, { pan: true });
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

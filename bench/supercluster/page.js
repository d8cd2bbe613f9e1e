/* The benchmark's comparison page: every station clustered by supercluster and drawn on one canvas over a
   plain Leaflet map (no tiles), the way a tuned hand-written big-point map does it.
   Needs (inlined before this script by bench/competitor.py): Leaflet as L, supercluster's UMD bundle as
   Supercluster, and window.__benchPoints, the stations' raw GCJ-02 coordinates as a flat Float64Array
   [lon0, lat0, lon1, lat1, ...] (an array of [lon, lat] pairs works too).
   Sets window.__mapgenTest = {map, painted, ready, drawn} like a mapgen page, for bench/browser.py's scripts. */
(function () {
  'use strict';

  var RADIUS = 60;
  var MAX_ZOOM = 16;
  var PADDING = 0.3; // the canvas reaches this share of the view past each edge, so a short pan shows no gap
  var STATION = '#e0362c';
  var STROKE = '#ffffff';
  var BUCKETS = [ // cluster fill by count: up to `below` (exclusive) stations
    { below: 100, fill: 'rgba(224, 54, 44, 0.85)' },
    { below: 1000, fill: 'rgba(200, 40, 90, 0.85)' },
    { below: Infinity, fill: 'rgba(120, 30, 120, 0.85)' },
  ];

  /** The points as GeoJSON features, and their bounds as [west, south, east, north]. */
  function features(raw) {
    var flat = typeof raw[0] === 'number';
    var n = flat ? raw.length / 2 : raw.length;
    var out = new Array(n);
    var box = [Infinity, Infinity, -Infinity, -Infinity];
    for (var i = 0; i < n; i++) {
      var lon = flat ? raw[2 * i] : raw[i][0];
      var lat = flat ? raw[2 * i + 1] : raw[i][1];
      if (lon < box[0]) box[0] = lon;
      if (lat < box[1]) box[1] = lat;
      if (lon > box[2]) box[2] = lon;
      if (lat > box[3]) box[3] = lat;
      out[i] = { type: 'Feature', properties: null, geometry: { type: 'Point', coordinates: [lon, lat] } };
    }
    return { list: out, box: box };
  }

  /** Spherical Mercator, as a share of the world's width (0..1), like Leaflet's EPSG:3857. */
  function mercX(lon) {
    return lon / 360 + 0.5;
  }
  function mercY(lat) {
    var s = Math.sin(Math.max(-85.0511287798, Math.min(85.0511287798, lat)) * Math.PI / 180);
    return 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI);
  }

  /** A disc's radius for a cluster of `count` points. */
  function discRadius(count) {
    return Math.min(26, 10 + 4 * Math.log10(count));
  }

  /** One canvas in the overlay pane, redrawn from the index after every move or zoom. */
  var ClusterCanvas = L.Layer.extend({
    initialize: function (index) {
      this._index = index;
      this.drawn = 0;
    },

    onAdd: function (map) {
      this._canvas = L.DomUtil.create('canvas', 'leaflet-zoom-animated');
      this._canvas.style.pointerEvents = 'none';
      this.getPane().appendChild(this._canvas);
      this._ctx = this._canvas.getContext('2d');
      this._redraw();
    },

    onRemove: function () {
      L.DomUtil.remove(this._canvas);
    },

    // Leaflet 1.9 follows every 'viewreset' with 'moveend' in the same call (and a resize with 'moveend'), so
    // redrawing on 'moveend' alone redraws once, synchronously, for each pan, zoom or reset.
    getEvents: function () {
      var events = { moveend: this._redraw };
      if (this._map.options.zoomAnimation && L.Browser.any3d) events.zoomanim = this._animateZoom;
      return events;
    },

    /** During an animated zoom, scale the last drawing about the world point of its corner. */
    _animateZoom: function (e) {
      var scale = this._map.getZoomScale(e.zoom, this._zoom);
      var origin = this._map._getNewPixelOrigin(e.center, e.zoom);
      L.DomUtil.setTransform(this._canvas, this._corner.multiplyBy(scale).subtract(origin), scale);
    },

    _redraw: function () {
      var map = this._map;
      var size = map.getSize();
      var pad = size.multiplyBy(PADDING).round();
      var topLeft = map.containerPointToLayerPoint(pad.multiplyBy(-1)).round();
      var w = size.x + 2 * pad.x;
      var h = size.y + 2 * pad.y;
      var dpr = window.devicePixelRatio || 1;
      var canvas = this._canvas;
      if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
        canvas.width = Math.round(w * dpr);
        canvas.height = Math.round(h * dpr);
        canvas.style.width = w + 'px';
        canvas.style.height = h + 'px';
      }
      L.DomUtil.setPosition(canvas, topLeft);

      var zoom = map.getZoom();
      var scale = 256 * Math.pow(2, zoom);
      var corner = topLeft.add(map.getPixelOrigin()); // the canvas's top left, in world pixels at this zoom
      this._corner = corner;
      this._zoom = zoom;
      var nw = map.unproject(corner, zoom);
      var se = map.unproject(corner.add([w, h]), zoom);
      var items = this._index.getClusters([nw.lng, se.lat, se.lng, nw.lat], Math.floor(zoom));

      var ctx = this._ctx;
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.clearRect(0, 0, w, h);
      var xs = new Float64Array(items.length);
      var ys = new Float64Array(items.length);
      for (var k = 0; k < items.length; k++) {
        var c = items[k].geometry.coordinates;
        xs[k] = mercX(c[0]) * scale - corner.x;
        ys[k] = mercY(c[1]) * scale - corner.y;
      }
      this._paintSingles(ctx, items, xs, ys, zoom >= 12 ? 6 : 4.5);
      this._paintClusters(ctx, items, xs, ys);
      this.drawn = items.length;
    },

    /** Every lone station as a small disc, in one path. */
    _paintSingles: function (ctx, items, xs, ys, r) {
      ctx.beginPath();
      for (var k = 0; k < items.length; k++) {
        if (items[k].properties && items[k].properties.cluster) continue;
        ctx.moveTo(xs[k] + r, ys[k]);
        ctx.arc(xs[k], ys[k], r, 0, 2 * Math.PI);
      }
      ctx.fillStyle = STATION;
      ctx.fill();
      ctx.lineWidth = 1.5;
      ctx.strokeStyle = STROKE;
      ctx.stroke();
    },

    /** Clusters as discs sized by count, one path per colour bucket, then their abbreviated counts. */
    _paintClusters: function (ctx, items, xs, ys) {
      ctx.lineWidth = 2;
      ctx.strokeStyle = STROKE;
      var low = 2;
      BUCKETS.forEach(function (bucket) {
        ctx.beginPath();
        for (var k = 0; k < items.length; k++) {
          var p = items[k].properties;
          if (!p || !p.cluster || p.point_count < low || p.point_count >= bucket.below) continue;
          var r = discRadius(p.point_count);
          ctx.moveTo(xs[k] + r, ys[k]);
          ctx.arc(xs[k], ys[k], r, 0, 2 * Math.PI);
        }
        ctx.fillStyle = bucket.fill;
        ctx.fill();
        ctx.stroke();
        low = bucket.below;
      });
      ctx.fillStyle = '#ffffff';
      ctx.font = 'bold 12px sans-serif';
      ctx.textAlign = 'center';
      ctx.textBaseline = 'middle';
      for (var k = 0; k < items.length; k++) {
        var p = items[k].properties;
        if (p && p.cluster) ctx.fillText(String(p.point_count_abbreviated), xs[k], ys[k]);
      }
    },
  });

  var points = features(window.__benchPoints);
  var index = new Supercluster({ radius: RADIUS, maxZoom: MAX_ZOOM }).load(points.list);
  var map = L.map('map', { maxZoom: 18 });
  // The same basemap as mapgen's page (Gaode), so both redraws include the tile layer's work; the benchmark
  // aborts tile requests for both alike.
  L.tileLayer('https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}',
    { subdomains: '1234', maxNativeZoom: 18 }).addTo(map);
  var box = points.box;
  map.fitBounds([[box[1], box[0]], [box[3], box[2]]], { animate: false });
  var layer = new ClusterCanvas(index).addTo(map); // the first draw, synchronously

  var resolveReady;
  var hooks = { map: map, layer: layer, painted: null, drawn: layer.drawn,
    ready: new Promise(function (resolve) { resolveReady = resolve; }) };
  requestAnimationFrame(function () {
    hooks.painted = performance.now();
    resolveReady(hooks.painted);
  });
  window.__mapgenTest = hooks;
})();

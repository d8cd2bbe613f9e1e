/* Stations or offices on a canvas of their own: grid-clustered below CLUSTER_UNTIL_ZOOM, never one Leaflet
   marker per station, so 186,000 stations stay fast. Clicks are hit-tested by the station layer.
   Needs: mercator, colors. Provides: PointLayer(store, office, options) (an L.Canvas), CLUSTER_UNTIL_ZOOM. */
L.mapgen.define('pointLayer', ['mercator', 'colors'], function (mercator, colors) {
  'use strict';

  var CLUSTER_CELL_PX = 48;
  var CLUSTER_UNTIL_ZOOM = 14;
  var OFFICES_UNCLUSTERED = 2000;

  /** One kind of point (stations or offices) drawn on its own canvas; clicks are hit-tested by the page. */
  var PointLayer = L.Canvas.extend({
    options: { padding: 0.1 },  // as areaLayer's: a smaller canvas to redraw and composite per zoom

    initialize: function (store, office, options) {
      L.Canvas.prototype.initialize.call(this, options);
      var members = [];
      for (var i = 0; i < store.n; i++) if (store.office[i] === office) members.push(i);
      this.store = store;
      this.office = office;
      this.members = Int32Array.from(members);
      this.mx = new Float64Array(members.length);
      this.my = new Float64Array(members.length);
      for (var j = 0; j < members.length; j++) {
        this.mx[j] = mercator.x(store.lon[members[j]]);
        this.my[j] = mercator.y(store.lat[members[j]]);
      }
      this.accept = null;
      this.drawn = [];
    },

    onAdd: function (map) {
      L.Canvas.prototype.onAdd.call(this, map);
      L.DomUtil.addClass(this._container, 'mg-points');
    },

    /** Show only the rows `accept` allows (null: all), and redraw. */
    setFilter: function (accept) {
      this.accept = accept;
      if (this._map) this._redraw();
    },

    /** Where row i is drawn, as a container point, or null if it is not a member. */
    containerPointOf: function (i) {
      var j = Array.prototype.indexOf.call(this.members, i);
      if (j < 0 || !this._map) return null;
      var scale = 256 * Math.pow(2, this._map.getZoom());
      var origin = this._map.getPixelOrigin();
      var layerPoint = L.point(this.mx[j] * scale - origin.x, this.my[j] * scale - origin.y);
      return this._map.layerPointToContainerPoint(layerPoint);
    },

    _draw: function () {
      var map = this._map;
      if (!map || !this._bounds) return;
      var zoom = map.getZoom();
      var view = {
        scale: 256 * Math.pow(2, zoom), origin: map.getPixelOrigin(), bounds: this._bounds, zoom: zoom,
      };
      // Offices are few (a union office per county or so): shown one by one unless there are thousands.
      var single = zoom >= CLUSTER_UNTIL_ZOOM || (this.office && this.members.length <= OFFICES_UNCLUSTERED);
      var items = single ? this.singles(view) : this.clusters(view);
      this.paint(items, zoom);
      this.drawn = items;
    },

    /** Every accepted member in view, one item each. */
    singles: function (view) {
      var items = [];
      var b = view.bounds;
      for (var j = 0; j < this.members.length; j++) {
        if (this.accept && !this.accept(this.members[j])) continue;
        var x = this.mx[j] * view.scale - view.origin.x;
        var y = this.my[j] * view.scale - view.origin.y;
        if (x < b.min.x - 20 || x > b.max.x + 20 || y < b.min.y - 20 || y > b.max.y + 20) continue;
        items.push({ x: x, y: y, i: this.members[j], count: 1 });
      }
      return items;
    },

    /** Accepted members in view binned into a screen grid fixed to the world (bins do not jump when panning). */
    clusters: function (view) {
      var bins = new Map();
      var items = [];
      var b = view.bounds;
      for (var j = 0; j < this.members.length; j++) {
        if (this.accept && !this.accept(this.members[j])) continue;
        var wx = this.mx[j] * view.scale;
        var wy = this.my[j] * view.scale;
        var x = wx - view.origin.x;
        var y = wy - view.origin.y;
        if (x < b.min.x - 20 || x > b.max.x + 20 || y < b.min.y - 20 || y > b.max.y + 20) continue;
        var key = Math.floor(wx / CLUSTER_CELL_PX) * 1048576 + Math.floor(wy / CLUSTER_CELL_PX);
        var item = bins.get(key);
        if (!item) {
          item = { x: 0, y: 0, i: this.members[j], count: 0 };
          bins.set(key, item);
          items.push(item);
        }
        item.x += x;
        item.y += y;
        item.count++;
      }
      for (var k = 0; k < items.length; k++) {
        items[k].x /= items[k].count;
        items[k].y /= items[k].count;
      }
      // Twice: a merged disc grows and may then touch another.
      return separate(separate(items, symbolSize(view.zoom)), symbolSize(view.zoom));
    },

    /** Draw the items: single symbols first, clusters (with their counts) on top. */
    paint: function (items, zoom) {
      var ctx = this._ctx;
      var color = this.office ? colors.COLORS.office : colors.COLORS.station;
      var size = symbolSize(zoom);
      ctx.lineWidth = size > 4 ? 2 : 1;
      ctx.strokeStyle = colors.COLORS.stroke;
      ctx.fillStyle = color;
      for (var k = 0; k < items.length; k++) {
        if (items[k].count === 1) this.symbol(ctx, items[k].x, items[k].y, size);
      }
      ctx.lineWidth = 2;
      for (k = 0; k < items.length; k++) {
        if (items[k].count > 1) this.cluster(ctx, items[k], color);
      }
    },

    /** A station's circle or an office's diamond. */
    symbol: function (ctx, x, y, r) {
      ctx.beginPath();
      if (this.office) {
        var s = r * 1.35;
        ctx.moveTo(x, y - s);
        ctx.lineTo(x + s, y);
        ctx.lineTo(x, y + s);
        ctx.lineTo(x - s, y);
        ctx.closePath();
      } else {
        ctx.arc(x, y, r, 0, 2 * Math.PI);
      }
      ctx.fill();
      ctx.stroke();
    },

    /** A cluster: a disc sized by the log of its count, with the count written in it. */
    cluster: function (ctx, item, color) {
      var r = clusterRadius(item.count);
      ctx.beginPath();
      ctx.arc(item.x, item.y, r, 0, 2 * Math.PI);
      ctx.globalAlpha = 0.9;
      ctx.fillStyle = color;
      ctx.fill();
      ctx.globalAlpha = 1;
      ctx.stroke();
      ctx.fillStyle = '#ffffff';
      ctx.font = 'bold 12px sans-serif';
      ctx.textAlign = 'center';
      ctx.textBaseline = 'middle';
      ctx.fillText(item.count > 9999 ? Math.round(item.count / 1000) + 'k' : String(item.count), item.x, item.y);
      ctx.fillStyle = color;
    },

    /** The drawn item nearest a container point within `tolerance` pixels, or null. */
    hit: function (containerPoint, tolerance) {
      if (!this._map) return null;
      var p = this._map.containerPointToLayerPoint(containerPoint);
      var best = null;
      var bestD = Infinity;
      for (var k = 0; k < this.drawn.length; k++) {
        var item = this.drawn[k];
        var reach = item.count > 1 ? clusterRadius(item.count) + 4 : tolerance;
        var d = Math.hypot(item.x - p.x, item.y - p.y);
        if (d <= reach && d < bestD) {
          best = item;
          bestD = d;
        }
      }
      return best && { i: best.i, count: best.count, latlng: this._map.layerPointToLatLng([best.x, best.y]) };
    },
  });

  /** A station symbol's radius in pixels at a zoom level. */
  function symbolSize(zoom) {
    return zoom >= 15 ? 8 : zoom >= 12 ? 6.5 : zoom >= 9 ? 5 : 3.5;
  }

  /** A cluster disc's radius in pixels: grows with the log of its count. */
  function clusterRadius(count) {
    return Math.min(24, 10 + 3 * Math.log(count));
  }

  /** Merge items whose discs would overlap into the larger one (weighted centre, counts added), so that no
      count is hidden under a neighbour's disc: grid cells are 48 px but their points' centres can lie a few
      pixels apart across a cell edge. Largest first, so big clusters absorb their small neighbours. */
  function separate(items, size) {
    var radius = function (item) { return item.count > 1 ? clusterRadius(item.count) : size; };
    var order = items.map(function (item, k) { return k; });
    order.sort(function (a, b) { return items[b].count - items[a].count || a - b; });
    var kept = [];
    var cells = new Map();
    var cellOf = function (x, y) { return Math.floor(x / CLUSTER_CELL_PX) * 1048576 + Math.floor(y / CLUSTER_CELL_PX); };
    for (var o = 0; o < order.length; o++) {
      var item = items[order[o]];
      var into = overlapping(item);
      if (!into) {
        kept.push(item);
        var key = cellOf(item.x, item.y);
        if (!cells.has(key)) cells.set(key, []);
        cells.get(key).push(item);
        continue;
      }
      var total = into.count + item.count;
      into.x = (into.x * into.count + item.x * item.count) / total;
      into.y = (into.y * into.count + item.y * item.count) / total;
      into.count = total;
    }
    return kept;

    /** A kept item within two cells whose disc this item's would touch, or null. */
    function overlapping(item) {
      var cx = Math.floor(item.x / CLUSTER_CELL_PX);
      var cy = Math.floor(item.y / CLUSTER_CELL_PX);
      for (var dx = -2; dx <= 2; dx++) {
        for (var dy = -2; dy <= 2; dy++) {
          var near = cells.get((cx + dx) * 1048576 + (cy + dy)) || [];
          for (var n = 0; n < near.length; n++) {
            var other = near[n];
            if (Math.hypot(other.x - item.x, other.y - item.y) < radius(other) + radius(item) + 2) return other;
          }
        }
      }
      return null;
    }
  }

  return { PointLayer: PointLayer, CLUSTER_UNTIL_ZOOM: CLUSTER_UNTIL_ZOOM };
});

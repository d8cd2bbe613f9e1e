/* Map layers: stations and offices on a canvas each (grid-clustered below CLUSTER_UNTIL_ZOOM, never one
   Leaflet marker per station, so 186,000 stations stay fast), and the polygon layers decoded from integers. */

var CLUSTER_CELL_PX = 48;
var CLUSTER_UNTIL_ZOOM = 14;
var OFFICES_UNCLUSTERED = 2000;
var SHAPE_SCALE = 1e5;
var COLORS = {
  station: '#e0362c', office: '#6a3d9a', stroke: '#ffffff',
  service: '#1f78b4', cross: '#08306b', gap: '#d7301f',
};
// Covered share of a county's area: five classes, light (little covered) to dark green. Rural counties are
// mostly under 15% covered and city districts over 60%, so the classes are narrow at the low end.
var COVERED_BREAKS = [5, 15, 30, 60];
var COVERED_COLORS = ['#fff7bc', '#d9f0a3', '#addd8e', '#41ab5d', '#006837'];

/** Web Mercator x in [0, 1] of a longitude, as Leaflet's EPSG:3857 projects it. */
function mercatorX(lon) {
  return 0.5 + lon / 360;
}

/** Web Mercator y in [0, 1] of a latitude (clamped like Leaflet's SphericalMercator). */
function mercatorY(lat) {
  var s = Math.sin(Math.max(-85.0511287798, Math.min(85.0511287798, lat)) * Math.PI / 180);
  return 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI);
}

/** One kind of point (stations or offices) drawn on its own canvas; clicks are hit-tested by the page. */
var PointLayer = L.Canvas.extend({
  options: { padding: 0.3 },

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
      this.mx[j] = mercatorX(store.lon[members[j]]);
      this.my[j] = mercatorY(store.lat[members[j]]);
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
    return items;
  },

  /** Draw the items: single symbols first, clusters (with their counts) on top. */
  paint: function (items, zoom) {
    var ctx = this._ctx;
    var color = this.office ? COLORS.office : COLORS.station;
    var size = zoom >= 15 ? 8 : zoom >= 12 ? 6.5 : zoom >= 9 ? 5 : 3.5;
    ctx.lineWidth = size > 4 ? 2 : 1;
    ctx.strokeStyle = COLORS.stroke;
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
    var r = Math.min(24, 10 + 3 * Math.log(item.count));
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
      var reach = item.count > 1 ? Math.min(24, 10 + 3 * Math.log(item.count)) + 4 : tolerance;
      var d = Math.hypot(item.x - p.x, item.y - p.y);
      if (d <= reach && d < bestD) {
        best = item;
        bestD = d;
      }
    }
    return best && { i: best.i, count: best.count, latlng: this._map.layerPointToLatLng([best.x, best.y]) };
  },
});

/** Decode [polygon][ring] delta-coded integer lon/lat pairs into Leaflet latlng arrays. */
function decodeShape(shape) {
  if (!shape) return [];
  return shape.map(function (polygon) {
    return polygon.map(function (packed) {
      var ring = unpackInts(packed);
      var out = [];
      var x = 0;
      var y = 0;
      for (var k = 0; k < ring.length; k += 2) {
        x += ring[k];
        y += ring[k + 1];
        out.push([y / SHAPE_SCALE, x / SHAPE_SCALE]);
      }
      return out;
    });
  });
}

/** A delta-coded integer ring as Web Mercator [x0, y0, x1, y1, ...], growing `box` to cover it. */
function mercatorRing(packed, box) {
  var ring = unpackInts(packed);
  var xy = new Float64Array(ring.length);
  var lon = 0;
  var lat = 0;
  for (var k = 0; k < ring.length; k += 2) {
    lon += ring[k];
    lat += ring[k + 1];
    var x = mercatorX(lon / SHAPE_SCALE);
    var y = mercatorY(lat / SHAPE_SCALE);
    xy[k] = x;
    xy[k + 1] = y;
    if (x < box[0]) box[0] = x;
    if (y < box[1]) box[1] = y;
    if (x > box[2]) box[2] = x;
    if (y > box[3]) box[3] = y;
  }
  return xy;
}

/** Fill colour of a county by the share of its area covered. */
function coveredColor(pct) {
  if (pct === null || pct === undefined) return '#cccccc';
  var k = 0;
  while (k < COVERED_BREAKS.length && pct >= COVERED_BREAKS[k]) k++;
  return COVERED_COLORS[k];
}

/** Large non-interactive areas (service area, cross-covered area) drawn straight to a canvas: Leaflet's own
    polygons re-project and clip every vertex on each zoom, too slow for 100,000 vertices. */
var AreaLayer = L.Canvas.extend({
  options: { padding: 0.3, color: '#000000', fillOpacity: 0.2, opacity: 0.6 },

  /** `options.clip`, a shape like `shape`, confines the drawing to its inside. */
  initialize: function (shape, options) {
    L.Canvas.prototype.initialize.call(this, options);
    this.polygons = preparePolygons(shape);
    this.clip = options && options.clip ? preparePolygons(options.clip) : null;
  },

  onAdd: function (map) {
    L.Canvas.prototype.onAdd.call(this, map);
    L.DomUtil.addClass(this._container, 'mg-points');
  },

  _draw: function () {
    var map = this._map;
    if (!map || !this._bounds) return;
    var scale = 256 * Math.pow(2, map.getZoom());
    var origin = map.getPixelOrigin();
    var b = this._bounds;
    var view = [(b.min.x + origin.x) / scale, (b.min.y + origin.y) / scale,
      (b.max.x + origin.x) / scale, (b.max.y + origin.y) / scale];
    var ctx = this._ctx;
    ctx.save();
    if (this.clip) {
      this.trace(ctx, this.clip, view, scale, origin);
      ctx.clip('evenodd');
    }
    this.trace(ctx, this.polygons, view, scale, origin);
    ctx.globalAlpha = this.options.fillOpacity;
    ctx.fillStyle = this.options.color;
    ctx.fill('evenodd');
    ctx.globalAlpha = this.options.opacity;
    ctx.strokeStyle = this.options.color;
    ctx.lineWidth = 1;
    ctx.stroke();
    ctx.restore();
  },

  /** Start a path of every ring of the polygons in view. */
  trace: function (ctx, polygons, view, scale, origin) {
    ctx.beginPath();
    for (var p = 0; p < polygons.length; p++) {
      var box = polygons[p].box;
      if (box[2] < view[0] || box[0] > view[2] || box[3] < view[1] || box[1] > view[3]) continue;
      for (var r = 0; r < polygons[p].rings.length; r++) this.ring(ctx, polygons[p].rings[r], scale, origin);
    }
  },

  /** Trace one ring, skipping vertices under half a pixel from the last one drawn. It ends with a line back
      to its start rather than closePath(), which Chromium makes slow on a path of many rings. */
  ring: function (ctx, xy, scale, origin) {
    var firstX = xy[0] * scale - origin.x;
    var firstY = xy[1] * scale - origin.y;
    var lastX = firstX;
    var lastY = firstY;
    ctx.moveTo(firstX, firstY);
    for (var k = 2; k < xy.length; k += 2) {
      var x = xy[k] * scale - origin.x;
      var y = xy[k + 1] * scale - origin.y;
      if (Math.abs(x - lastX) + Math.abs(y - lastY) < 0.5 && k < xy.length - 2) continue;
      ctx.lineTo(x, y);
      lastX = x;
      lastY = y;
    }
    ctx.lineTo(firstX, firstY);
  },
});

/** An AreaLayer for a shape, or null when there is none. */
/** Polygons of an encoded shape in Web Mercator units, each with its bounding box for culling. */
function preparePolygons(shape) {
  return shape.map(function (polygon) {
    var box = [Infinity, Infinity, -Infinity, -Infinity];
    var rings = polygon.map(function (ring) { return mercatorRing(ring, box); });
    return { rings: rings, box: box };
  });
}

function areaLayer(shape, color, fillOpacity) {
  return shape ? new AreaLayer(shape, { color: color, fillOpacity: fillOpacity }) : null;
}

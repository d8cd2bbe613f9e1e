/* Large areas (service area, cross-covered area, gaps) drawn straight to a canvas.
   Needs: shapes. Provides: AreaLayer(shape, options) (an L.Canvas; options.clip confines it to a shape's inside). */
L.mapgen.define('areaLayer', ['shapes'], function (shapes) {
  'use strict';

  /** Large non-interactive areas (service area, cross-covered area) drawn straight to a canvas: Leaflet's own
      polygons re-project and clip every vertex on each zoom, too slow for 100,000 vertices. */
  var AreaLayer = L.Canvas.extend({
    // Leaflet's own padding (0.1): every canvas is redrawn and composited per zoom, and at 0.3 each was 2.6
    // times the map's area, which made most of a redraw's frame in software rendering.
    options: { padding: 0.1, color: '#000000', fillOpacity: 0.2, opacity: 0.6 },

    /** `options.clip`, a shape like `shape`, confines the drawing to its inside. */
    initialize: function (shape, options) {
      L.Canvas.prototype.initialize.call(this, options);
      this.polygons = shapes.preparePolygons(shape);
      this.clip = options && options.clip ? shapes.preparePolygons(options.clip) : null;
    },

    onAdd: function (map) {
      L.Canvas.prototype.onAdd.call(this, map);
      L.DomUtil.addClass(this._container, 'mg-points');
    },

    /** The canvas's extent now: pixels per Mercator unit, the pixel origin, and the drawn box in Mercator
        units (for culling); null before the layer is on a map. */
    viewNow: function () {
      var map = this._map;
      if (!map || !this._bounds) return null;
      var scale = 256 * Math.pow(2, map.getZoom());
      var origin = map.getPixelOrigin();
      var b = this._bounds;
      return { scale: scale, origin: origin, box: [(b.min.x + origin.x) / scale, (b.min.y + origin.y) / scale,
        (b.max.x + origin.x) / scale, (b.max.y + origin.y) / scale] };
    },

    _draw: function () {
      var v = this.viewNow();
      if (!v) return;
      var ctx = this._ctx;
      ctx.save();
      if (this.clip) {
        this.trace(ctx, this.clip, v.box, v.scale, v.origin);
        ctx.clip('evenodd');
      }
      this.trace(ctx, this.polygons, v.box, v.scale, v.origin);
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

  return AreaLayer;
});

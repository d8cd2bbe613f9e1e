/* The county choropleth drawn straight to one canvas from Web Mercator coordinates computed once, with its own
   hit-testing for the counties' tooltips: Leaflet's polygons re-project every vertex of every county on each
   zoom, which took most of a redraw (about 80 of 150 ms with 122 counties).
   Needs: shapes, mercator, areaLayer (its ring tracing). Provides: CountyLayer(counties, options) (an L.Canvas;
   options.fill(county) and options.tip(county)), with .at(latlng) -> the county there or null,
   .bounds(adcode) -> L.LatLngBounds or null, .setFillOpacity(opacity). */
L.mapgen.define('countyLayer', ['shapes', 'mercator', 'areaLayer'], function (shapes, mercator, AreaLayer) {
  'use strict';

  var CountyLayer = AreaLayer.extend({
    options: { color: '#555555', opacity: 0.7, fillOpacity: 0.35, weight: 1 },

    /** counties: [{adcode, shape, ...}]; options.fill(county) gives a county's fill colour, options.tip(county)
        its tooltip content (a DOM element). */
    initialize: function (counties, options) {
      L.Canvas.prototype.initialize.call(this, options);
      this.counties = counties.map(function (county) {
        return { county: county, polygons: shapes.preparePolygons(county.shape || []) };
      });
      this.byAdcode = new Map(this.counties.map(function (c) { return [c.county.adcode, c]; }));
    },

    onAdd: function (map) {
      AreaLayer.prototype.onAdd.call(this, map);
      this.tooltip = L.tooltip({ sticky: true, direction: 'auto' });
      map.on('mousemove', this.onMove, this);
      map.on('mouseout zoomstart', this.closeTip, this);
      if (L.Browser.touch) map.on('click', this.onMove, this);
    },

    onRemove: function (map) {
      map.off('mousemove', this.onMove, this);
      map.off('mouseout zoomstart', this.closeTip, this);
      map.off('click', this.onMove, this);
      this.closeTip();
      L.Canvas.prototype.onRemove.call(this, map);
    },

    /** Fill opacity for a new zoom level (strong for the overview, faint once streets matter). */
    setFillOpacity: function (opacity) {
      this.options.fillOpacity = opacity;
      if (this._map) this._redraw();
    },

    _draw: function () {
      var v = this.viewNow();
      if (!v) return;
      var ctx = this._ctx;
      var o = this.options;
      ctx.save();
      ctx.lineWidth = o.weight;
      ctx.strokeStyle = o.color;
      for (var c = 0; c < this.counties.length; c++) {
        var county = this.counties[c];
        this.trace(ctx, county.polygons, v.box, v.scale, v.origin);  // an empty path when out of view
        ctx.globalAlpha = o.fillOpacity;
        ctx.fillStyle = o.fill(county.county);
        ctx.fill('evenodd');
        ctx.globalAlpha = o.opacity;
        ctx.stroke();
      }
      ctx.restore();
    },

    /** The county at a place (in the map's datum), or null. */
    at: function (latlng) {
      var x = mercator.x(latlng.lng);
      var y = mercator.y(latlng.lat);
      for (var c = 0; c < this.counties.length; c++) {
        if (inside(this.counties[c].polygons, x, y)) return this.counties[c].county;
      }
      return null;
    },

    /** A county's bounding box, or null when the map has no such county. */
    bounds: function (adcode) {
      var county = this.byAdcode.get(adcode);
      if (!county || !county.polygons.length) return null;
      var box = county.polygons.reduce(function (acc, p) {
        return [Math.min(acc[0], p.box[0]), Math.min(acc[1], p.box[1]), Math.max(acc[2], p.box[2]),
          Math.max(acc[3], p.box[3])];
      }, [Infinity, Infinity, -Infinity, -Infinity]);
      return L.latLngBounds([mercator.lat(box[3]), mercator.lon(box[0])], [mercator.lat(box[1]), mercator.lon(box[2])]);
    },

    /** Show the tooltip of the county under the pointer (or the tap), or hide it off every county. */
    onMove: function (e) {
      var county = this.at(e.latlng);
      if (!county) {
        this.closeTip();
        return;
      }
      if (this.tipFor !== county) {
        this.tooltip.setContent(this.options.tip(county));
        this.tipFor = county;
      }
      this.tooltip.setLatLng(e.latlng);
      if (!this._map.hasLayer(this.tooltip)) this._map.openTooltip(this.tooltip);
    },

    /** Hide the tooltip (the pointer left the map, or a zoom starts). */
    closeTip: function () {
      if (this._map && this.tooltip && this._map.hasLayer(this.tooltip)) this._map.closeTooltip(this.tooltip);
      this.tipFor = null;
    },
  });

  /** Whether (x, y) is inside polygons' rings by the even-odd rule (holes are rings too). */
  function inside(polygons, x, y) {
    var odd = false;
    for (var p = 0; p < polygons.length; p++) {
      var box = polygons[p].box;
      if (x < box[0] || x > box[2] || y < box[1] || y > box[3]) continue;
      for (var r = 0; r < polygons[p].rings.length; r++) {
        var xy = polygons[p].rings[r];
        var n = xy.length;
        for (var i = 0, j = n - 2; i < n; j = i, i += 2) {
          if ((xy[i + 1] > y) !== (xy[j + 1] > y) &&
              x < (xy[j] - xy[i]) * (y - xy[i + 1]) / (xy[j + 1] - xy[i + 1]) + xy[i]) odd = !odd;
        }
      }
    }
    return odd;
  }

  return CountyLayer;
});

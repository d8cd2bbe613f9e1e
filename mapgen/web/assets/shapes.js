/* Polygons as mapgen/web/shapes.py packs them ([polygon][ring] delta-coded integers), decoded for Leaflet
   or projected to Web Mercator for the canvas layers.
   Needs: packing, mercator. Provides: decodeShape(shape) (latlng rings), preparePolygons(shape) (Mercator). */
L.mapgen.define('shapes', ['packing', 'mercator'], function (packing, mercator) {
  'use strict';

  /** Decode [polygon][ring] delta-coded integer lon/lat pairs into Leaflet latlng arrays. */
  function decodeShape(shape) {
    if (!shape) return [];
    return shape.map(function (polygon) {
      return polygon.map(function (packed) {
        var ring = packing.unpackInts(packed);
        var out = [];
        var x = 0;
        var y = 0;
        for (var k = 0; k < ring.length; k += 2) {
          x += ring[k];
          y += ring[k + 1];
          out.push([y / packing.SHAPE_SCALE, x / packing.SHAPE_SCALE]);
        }
        return out;
      });
    });
  }

  /** A delta-coded integer ring as Web Mercator [x0, y0, x1, y1, ...], growing `box` to cover it. */
  function mercatorRing(packed, box) {
    var ring = packing.unpackInts(packed);
    var xy = new Float64Array(ring.length);
    var lon = 0;
    var lat = 0;
    for (var k = 0; k < ring.length; k += 2) {
      lon += ring[k];
      lat += ring[k + 1];
      var x = mercator.x(lon / packing.SHAPE_SCALE);
      var y = mercator.y(lat / packing.SHAPE_SCALE);
      xy[k] = x;
      xy[k + 1] = y;
      if (x < box[0]) box[0] = x;
      if (y < box[1]) box[1] = y;
      if (x > box[2]) box[2] = x;
      if (y > box[3]) box[3] = y;
    }
    return xy;
  }


  /** Polygons of an encoded shape in Web Mercator units, each with its bounding box for culling. */
  function preparePolygons(shape) {
    return shape.map(function (polygon) {
      var box = [Infinity, Infinity, -Infinity, -Infinity];
      var rings = polygon.map(function (ring) { return mercatorRing(ring, box); });
      return { rings: rings, box: box };
    });
  }

  return { decodeShape: decodeShape, preparePolygons: preparePolygons };
});

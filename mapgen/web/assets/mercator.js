/* Web Mercator in [0, 1] units, as Leaflet's EPSG:3857 projects: what the canvas layers precompute per point.
   Needs: nothing. Provides: x(lon), y(lat). */
L.mapgen.define('mercator', [], function () {
  'use strict';

  /** Web Mercator x in [0, 1] of a longitude. */
  function x(lon) {
    return 0.5 + lon / 360;
  }

  /** Web Mercator y in [0, 1] of a latitude (clamped like Leaflet's SphericalMercator). */
  function y(lat) {
    var s = Math.sin(Math.max(-85.0511287798, Math.min(85.0511287798, lat)) * Math.PI / 180);
    return 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI);
  }

  return { x: x, y: y };
});

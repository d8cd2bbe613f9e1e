/* Web Mercator in [0, 1] units, as Leaflet's EPSG:3857 projects: what the canvas layers precompute per point.
   Needs: nothing. Provides: x(lon), y(lat), and back: lon(x), lat(y). */
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

  /** The longitude of a Web Mercator x in [0, 1]. */
  function lon(mx) {
    return (mx - 0.5) * 360;
  }

  /** The latitude of a Web Mercator y in [0, 1]. */
  function lat(my) {
    return Math.atan(Math.sinh((0.5 - my) * 2 * Math.PI)) * 180 / Math.PI;
  }

  return { x: x, y: y, lon: lon, lat: lat };
});

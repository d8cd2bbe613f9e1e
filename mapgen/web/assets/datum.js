/* Datums and distances: the published GCJ-02 forward formula (as mapgen/geo/datum.py) and great-circle metres.
   Needs: nothing. Provides: wgsToGcj, gcjToWgs, wgsToMap, mapToWgs, mapToGcj ([lon, lat] pairs),
   greatCircleM(lat1, lon1, lat2, lon2) and EARTH_RADIUS_M. */
L.mapgen.define('datum', [], function () {
  'use strict';

  // Krasovsky 1940 ellipsoid, which the GCJ-02 obfuscation is defined on.
  var GCJ_A = 6378245.0;
  var GCJ_EE = 0.00669342162296594323;
  // Mean Earth radius (IUGG), the sphere every great-circle distance on the page uses.
  var EARTH_RADIUS_M = 6371008.8;

  /** Whether GCJ-02 applies at a WGS-84 position: outside this box it equals WGS-84. */
  function gcjApplies(lon, lat) {
    return lon > 72.004 && lon < 137.8347 && lat > 0.8293 && lat < 55.8271;
  }

  /** The GCJ-02 shift [dlon, dlat] in degrees at a WGS-84 position. */
  function gcjOffset(lon, lat) {
    var PI = Math.PI;
    var x = lon - 105.0;
    var y = lat - 35.0;
    var common = (20.0 * Math.sin(6.0 * x * PI) + 20.0 * Math.sin(2.0 * x * PI)) * 2.0 / 3.0;
    var dlat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
    dlat += common;
    dlat += (20.0 * Math.sin(y * PI) + 40.0 * Math.sin(y / 3.0 * PI)) * 2.0 / 3.0;
    dlat += (160.0 * Math.sin(y / 12.0 * PI) + 320.0 * Math.sin(y * PI / 30.0)) * 2.0 / 3.0;
    var dlon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
    dlon += common;
    dlon += (20.0 * Math.sin(x * PI) + 40.0 * Math.sin(x / 3.0 * PI)) * 2.0 / 3.0;
    dlon += (150.0 * Math.sin(x / 12.0 * PI) + 300.0 * Math.sin(x / 30.0 * PI)) * 2.0 / 3.0;
    var rad = lat / 180.0 * PI;
    var magic = 1.0 - GCJ_EE * Math.pow(Math.sin(rad), 2);
    var sqrtMagic = Math.sqrt(magic);
    dlat = (dlat * 180.0) / ((GCJ_A * (1.0 - GCJ_EE)) / (magic * sqrtMagic) * PI);
    dlon = (dlon * 180.0) / (GCJ_A / sqrtMagic * Math.cos(rad) * PI);
    return gcjApplies(lon, lat) ? [dlon, dlat] : [0, 0];
  }

  /** WGS-84 [lon, lat] to GCJ-02 [lon, lat]. */
  function wgsToGcj(lon, lat) {
    var d = gcjOffset(lon, lat);
    return [lon + d[0], lat + d[1]];
  }

  /** GCJ-02 [lon, lat] to WGS-84 by iterating the forward formula (converges: the shift varies slowly). */
  function gcjToWgs(lon, lat) {
    var x = lon;
    var y = lat;
    for (var i = 0; i < 30; i++) {
      var f = wgsToGcj(x, y);
      var ex = f[0] - lon;
      var ey = f[1] - lat;
      x -= ex;
      y -= ey;
      if (Math.abs(ex) < 1e-11 && Math.abs(ey) < 1e-11) break;
    }
    return [x, y];
  }

  /** A WGS-84 [lon, lat] in the map's datum ('gcj02' or 'wgs84'). */
  function wgsToMap(lon, lat, datum) {
    return datum === 'gcj02' ? wgsToGcj(lon, lat) : [lon, lat];
  }

  /** A map-datum [lon, lat] in WGS-84. */
  function mapToWgs(lon, lat, datum) {
    return datum === 'gcj02' ? gcjToWgs(lon, lat) : [lon, lat];
  }

  /** A map-datum [lon, lat] in GCJ-02, the datum Amap's navigation links take. */
  function mapToGcj(lon, lat, datum) {
    return datum === 'gcj02' ? [lon, lat] : wgsToGcj(lon, lat);
  }

  /** Great-circle distance in metres between two lat/lon points (haversine on the mean sphere). */
  function greatCircleM(lat1, lon1, lat2, lon2) {
    var rad = Math.PI / 180;
    var dlat = (lat2 - lat1) * rad;
    var dlon = (lon2 - lon1) * rad;
    var h = Math.pow(Math.sin(dlat / 2), 2) +
      Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.pow(Math.sin(dlon / 2), 2);
    return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
  }

  return {
    wgsToGcj: wgsToGcj, gcjToWgs: gcjToWgs, wgsToMap: wgsToMap, mapToWgs: mapToWgs, mapToGcj: mapToGcj,
    greatCircleM: greatCircleM, EARTH_RADIUS_M: EARTH_RADIUS_M,
  };
});

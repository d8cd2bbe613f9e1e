/* A uniform grid over points, searched in growing rings of cells for the k nearest by great-circle metres.
   Needs: datum (greatCircleM, EARTH_RADIUS_M). Provides: Grid(lon, lat, members), with .nearest(lat, lon, k, accept). */
L.mapgen.define('grid', ['datum'], function (datum) {
  'use strict';

  // Metres per degree of latitude on the mean sphere used by greatCircleM.
  var METRES_PER_DEGREE = datum.EARTH_RADIUS_M * Math.PI / 180;

  /** A uniform grid over points: cell lists by counting sort, searched in growing rings. */
  function Grid(lon, lat, members) {
    var n = members.length;
    var minLon = Infinity, maxLon = -Infinity, minLat = Infinity, maxLat = -Infinity;
    for (var j = 0; j < n; j++) {
      var i = members[j];
      if (lon[i] < minLon) minLon = lon[i];
      if (lon[i] > maxLon) maxLon = lon[i];
      if (lat[i] < minLat) minLat = lat[i];
      if (lat[i] > maxLat) maxLat = lat[i];
    }
    var w = Math.max(maxLon - minLon, 1e-6);
    var h = Math.max(maxLat - minLat, 1e-6);
    // About two points per cell where they are spread evenly; never more than 4 million cells.
    var cell = Math.max(Math.sqrt(w * h / Math.max(n / 2, 1)), 0.002, Math.sqrt(w * h / 4e6));
    this.lon = lon;
    this.lat = lat;
    this.minLon = minLon;
    this.minLat = minLat;
    this.cell = cell;
    this.cols = Math.floor(w / cell) + 1;
    this.rows = Math.floor(h / cell) + 1;
    // Lower bound of metres per degree of longitude anywhere near the grid (cos of the highest latitude).
    var top = Math.min(89, Math.max(Math.abs(minLat), Math.abs(maxLat)) + 1);
    this.lonMetres = METRES_PER_DEGREE * Math.cos(top * Math.PI / 180) * 0.99;
    this.fill(members);
  }

  /** Sort members into cells: start[c]..start[c+1] index items of cell c. */
  Grid.prototype.fill = function (members) {
    var cells = this.cols * this.rows;
    var cellOf = new Int32Array(members.length);
    var start = new Int32Array(cells + 1);
    for (var j = 0; j < members.length; j++) {
      var i = members[j];
      cellOf[j] = this.cellAt(this.lon[i], this.lat[i]);
      start[cellOf[j] + 1]++;
    }
    for (var c = 0; c < cells; c++) start[c + 1] += start[c];
    var next = start.slice(0, cells);
    var items = new Int32Array(members.length);
    for (j = 0; j < members.length; j++) items[next[cellOf[j]]++] = members[j];
    this.start = start;
    this.items = items;
    this.size = members.length;
  };

  /** Cell number of a position, clamped to the grid. */
  Grid.prototype.cellAt = function (lon, lat) {
    return this.rowOf(lat) * this.cols + this.colOf(lon);
  };

  Grid.prototype.colOf = function (lon) {
    return Math.min(this.cols - 1, Math.max(0, Math.floor((lon - this.minLon) / this.cell)));
  };

  Grid.prototype.rowOf = function (lat) {
    return Math.min(this.rows - 1, Math.max(0, Math.floor((lat - this.minLat) / this.cell)));
  };

  /** The k members nearest to (lat, lon) that `accept`, as [{i, d}] sorted by great-circle metres. */
  Grid.prototype.nearest = function (lat, lon, k, accept) {
    var best = [];
    // A NaN position never reaches the grid's edge, and a k that is not a whole number is never reached.
    if (!this.size || !(k >= 1) || !isFinite(lat) || !isFinite(lon)) return best;
    k = Math.floor(k);
    var cx = this.colOf(lon);
    var cy = this.rowOf(lat);
    for (var r = 0; ; r++) {
      this.visitRing(cx, cy, r, lat, lon, k, accept, best);
      var x0 = cx - r, x1 = cx + r, y0 = cy - r, y1 = cy + r;
      if (x0 <= 0 && y0 <= 0 && x1 >= this.cols - 1 && y1 >= this.rows - 1) break;
      if (best.length === k && best[k - 1].d <= this.unvisitedBound(lat, lon, x0, x1, y0, y1)) break;
    }
    return best;
  };

  /** Visit the cells at Chebyshev distance r from (cx, cy). */
  Grid.prototype.visitRing = function (cx, cy, r, lat, lon, k, accept, best) {
    for (var y = cy - r; y <= cy + r; y++) {
      if (y < 0 || y >= this.rows) continue;
      var edge = y === cy - r || y === cy + r;
      var step = edge ? 1 : Math.max(2 * r, 1);
      for (var x = cx - r; x <= cx + r; x += step) {
        if (x >= 0 && x < this.cols) this.visitCell(y * this.cols + x, lat, lon, k, accept, best);
      }
    }
  };

  /** Offer every member of one cell to the running best list. */
  Grid.prototype.visitCell = function (c, lat, lon, k, accept, best) {
    for (var j = this.start[c]; j < this.start[c + 1]; j++) {
      var i = this.items[j];
      if (accept && !accept(i)) continue;
      var d = datum.greatCircleM(lat, lon, this.lat[i], this.lon[i]);
      if (best.length === k && (d > best[k - 1].d || (d === best[k - 1].d && i > best[k - 1].i))) continue;
      var at = best.length;
      while (at > 0 && (best[at - 1].d > d || (best[at - 1].d === d && best[at - 1].i > i))) at--;
      best.splice(at, 0, { i: i, d: d });
      if (best.length > k) best.pop();
    }
  };

  /** Metres within which every unvisited cell lies at least (sides at the grid's edge hide nothing). */
  Grid.prototype.unvisitedBound = function (lat, lon, x0, x1, y0, y1) {
    var cell = this.cell;
    var sides = [
      x0 <= 0 ? Infinity : (lon - (this.minLon + x0 * cell)) * this.lonMetres,
      x1 >= this.cols - 1 ? Infinity : (this.minLon + (x1 + 1) * cell - lon) * this.lonMetres,
      y0 <= 0 ? Infinity : (lat - (this.minLat + y0 * cell)) * METRES_PER_DEGREE,
      y1 >= this.rows - 1 ? Infinity : (this.minLat + (y1 + 1) * cell - lat) * METRES_PER_DEGREE,
    ];
    return Math.min.apply(null, sides);
  };

  return Grid;
});

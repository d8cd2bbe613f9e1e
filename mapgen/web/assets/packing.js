/* Reading the compact columns mapgen/web/packing.py writes: integers packed 5 bits a character, delta-coded.
   Needs: nothing. Provides: unpackInts(text), undelta(packed, base), scaled(ints, scale), POINT_SCALE (stations
   and demand points travel in 1e-6 degree), SHAPE_SCALE (polygons in 1e-5 degree). */
L.mapgen.define('packing', [], function () {
  'use strict';

  var DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  var DIGIT_VALUE = new Int8Array(128);
  for (var d = 0; d < DIGITS.length; d++) DIGIT_VALUE[DIGITS.charCodeAt(d)] = d;

  /** Integers from packing.pack_ints's text: 5 bits a character, zigzag-signed. Arithmetic, not bit
      operators, so values past 2^31 (a first longitude in 1e-6 degree, doubled) stay exact. */
  function unpackInts(text) {
    if (typeof text !== 'string') return text || [];
    var out = [];
    var value = 0;
    var scale = 1;
    for (var i = 0; i < text.length; i++) {
      var digit = DIGIT_VALUE[text.charCodeAt(i)];
      value += (digit & 31) * scale;
      if (digit & 32) {
        scale *= 32;
        continue;
      }
      out.push(value % 2 ? -(value + 1) / 2 : value / 2);
      value = 0;
      scale = 1;
    }
    return out;
  }

  /** Running sums of delta-coded integers, plus an optional base array, as a Float64Array. */
  function undelta(packed, base) {
    var deltas = unpackInts(packed);
    var out = new Float64Array(deltas.length);
    var acc = 0;
    for (var i = 0; i < deltas.length; i++) {
      acc += deltas[i];
      out[i] = base ? base[i] + acc : acc;
    }
    return out;
  }

  /** Divide every element by a scale, giving degrees. */
  function scaled(ints, scale) {
    var out = new Float64Array(ints.length);
    for (var i = 0; i < ints.length; i++) out[i] = ints[i] / scale;
    return out;
  }

  return { unpackInts: unpackInts, undelta: undelta, scaled: scaled, POINT_SCALE: 1e6, SHAPE_SCALE: 1e5 };
});

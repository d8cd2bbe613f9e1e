/* The map's colours: stations, offices, areas (open: the reach of the stations open at a time of day), and
   the classes of the county choropleth.
   Needs: nothing. Provides: COLORS, COVERED_BREAKS, COVERED_COLORS, coveredColor(pct). */
L.mapgen.define('colors', [], function () {
  'use strict';

  var COLORS = {
    station: '#e0362c', office: '#6a3d9a', stroke: '#ffffff',
    service: '#1f78b4', cross: '#08306b', gap: '#d7301f', open: '#e08a00',
  };
  // Covered share of a county's area: five classes, light (little covered) to dark green. Rural counties are
  // mostly under 15% covered and city districts over 60%, so the classes are narrow at the low end.
  var COVERED_BREAKS = [5, 15, 30, 60];
  var COVERED_COLORS = ['#fff7bc', '#d9f0a3', '#addd8e', '#41ab5d', '#006837'];

  /** Fill colour of a county by the share of its area covered. */
  function coveredColor(pct) {
    if (pct === null || pct === undefined) return '#cccccc';
    var k = 0;
    while (k < COVERED_BREAKS.length && pct >= COVERED_BREAKS[k]) k++;
    return COVERED_COLORS[k];
  }

  return { COLORS: COLORS, COVERED_BREAKS: COVERED_BREAKS, COVERED_COLORS: COVERED_COLORS, coveredColor: coveredColor };
});

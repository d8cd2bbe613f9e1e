/* Search results in the sheet: matching counties (zoom to them), then matching stations and offices, nearest first
   with their distance when the worker's position is known (else in the list's order). A station opened from the
   results comes back to them. Needs: dom. Provides: show(query, stations, coverage, sheet, t) (coverage may be null). */
L.mapgen.define('search', ['dom'], function (dom) {
  'use strict';

  var el = dom.el;
  var SEARCH_LIMIT = 50;
  // Matches sorted by distance: more than any worker scrolls through, few enough to sort at once.
  var SORT_LIMIT = 20000;

  /** Results for the search box's text; an empty query closes the results. */
  function show(query, stations, coverage, sheet, t) {
    var q = query.trim();
    if (!q) {
      if (sheet.mode === 'search') sheet.hide();
      return;
    }
    var nodes = coverage ? countyButtons(q.toLowerCase(), coverage, t) : [];
    var place = stations.knownPlace();
    var found = place ? byDistance(stations.store, stations.store.search(q, SORT_LIMIT), place)
      : stations.store.search(q, SEARCH_LIMIT + 1).map(function (i) { return { i: i }; });
    var list = el('ul', 'mg-list');
    found.slice(0, SEARCH_LIMIT).forEach(function (r) { list.appendChild(stations.item(r.i, r.d)); });
    if (found.length) nodes.push(list);
    if (found.length > SEARCH_LIMIT) nodes.push(el('p', 'mg-hint', t('searchMore', { n: SEARCH_LIMIT })));
    if (!nodes.length) nodes.push(el('p', 'mg-hint', t('searchNone', { q: q })));
    sheet.show('search', t('searchResults'), nodes);
    stations.setView(function (scroll) {
      show(query, stations, coverage, sheet, t);
      sheet.body.scrollTop = scroll;
    });
  }

  /** Rows with their distance from a WGS-84 place, nearest first: [{i, d}]. */
  function byDistance(store, rows, place) {
    return rows.map(function (i) { return { i: i, d: store.distanceTo(i, place.lat, place.lon) }; })
      .sort(function (a, b) { return a.d - b.d; });
  }

  /** A button per county whose name contains the query. */
  function countyButtons(low, coverage, t) {
    return coverage.counties.filter(function (c) { return c.county.toLowerCase().indexOf(low) !== -1; })
      .map(function (c) {
        return dom.button('mg-btn mg-county', t('zoomToCounty', { county: c.county }), null, function () {
          coverage.zoomToCounty(c.adcode);
        });
      });
  }

  return { show: show };
});

/* Search results in the sheet: matching counties (zoom to them), then matching stations and offices.
   Needs: dom. Provides: show(query, stations, coverage, sheet, t) (coverage may be null). */
L.mapgen.define('search', ['dom'], function (dom) {
  'use strict';

  var el = dom.el;
  var SEARCH_LIMIT = 50;

  /** Results for the search box's text; an empty query closes the results. */
  function show(query, stations, coverage, sheet, t) {
    var q = query.trim();
    if (!q) {
      if (sheet.mode === 'search') sheet.hide();
      return;
    }
    var nodes = coverage ? countyButtons(q.toLowerCase(), coverage, t) : [];
    var found = stations.store.search(q, SEARCH_LIMIT + 1);
    var list = el('ul', 'mg-list');
    found.slice(0, SEARCH_LIMIT).forEach(function (i) { list.appendChild(stations.item(i)); });
    if (found.length) nodes.push(list);
    if (found.length > SEARCH_LIMIT) nodes.push(el('p', 'mg-hint', t('searchMore', { n: SEARCH_LIMIT })));
    if (!nodes.length) nodes.push(el('p', 'mg-hint', t('searchNone', { q: q })));
    sheet.show('search', t('searchResults'), nodes);
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

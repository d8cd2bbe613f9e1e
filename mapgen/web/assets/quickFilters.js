/* One-tap filters above the nearest list (开放中, 饮水, 厕所, 充电), combinable, the line naming the active filters
   ("已筛选：充电 · 清除"), and the filters remembered on this phone. They change the station layer's one filter
   state, the same the filter sheet edits. Stored by name, since a facility's or type's index changes between builds.
   Needs: dom, prefs, facilityIcons. Provides: nodes(stations, t) -> [chips row, active line or null],
   remember(stations), restore(stations) -> a filter state or null, copy(filters), NONE(). */
L.mapgen.define('quickFilters', ['dom', 'prefs', 'facilityIcons'], function (dom, prefs, icons) {
  'use strict';

  var el = dom.el;
  // [label key, facility (canonical name, mapgen/inputs/facilities.py) or null for "open now"].
  var CHIPS = [['chipOpenNow', null], ['chipWater', '饮水'], ['chipToilet', '卫生间'], ['chipCharging', '充电']];
  var STORE_AS = 'filters';

  /** No filter on. */
  function none() {
    return { facilities: [], types: [], openNow: false, always: false };
  }

  /** A copy of a filter state. */
  function copy(f) {
    return { facilities: f.facilities.slice(), types: f.types.slice(), openNow: f.openNow, always: f.always };
  }

  /** The chips (a facility no station offers has none) and, when a filter is on, the line naming them. */
  function nodes(stations, t) {
    var row = el('div', 'mg-chips mg-quick');
    row.setAttribute('role', 'group');
    row.setAttribute('aria-label', t('quickFilters'));
    CHIPS.forEach(function (chip) {
      var k = chip[1] === null ? null : stations.store.cols.facilities.indexOf(chip[1]);
      if (k === -1) return;
      row.appendChild(toggle(stations, chip[0], t(chip[0]), chip[1], k));
    });
    return [row, activeLine(stations, t)];
  }

  /** One chip: pressed when its filter is on; a tap switches it and keeps the others, and the redrawn chip keeps
      the focus (for keyboards and screen readers). */
  function toggle(stations, key, label, facility, k) {
    var on = k === null ? stations.filters.openNow : stations.filters.facilities.indexOf(k) !== -1;
    var b = dom.button('mg-chip mg-toggle mg-quick-chip', label, null, function () {
      var f = copy(stations.filters);
      if (k === null) {
        f.openNow = !on;
      } else if (on) {
        f.facilities.splice(f.facilities.indexOf(k), 1);
      } else {
        f.facilities.push(k);
      }
      stations.setFilters(f);
      var again = document.querySelector('.mg-quick-chip[data-chip="' + key + '"]');
      if (again) again.focus();
    });
    b.setAttribute('data-chip', key);
    var glyph = facility && icons.glyph(facility);
    if (glyph) b.insertBefore(glyph, b.firstChild);
    b.setAttribute('aria-pressed', String(on));
    return b;
  }

  /** "已筛选：开放中 · 充电 · 清除", or null when no filter is on. */
  function activeLine(stations, t) {
    var names = activeNames(stations, t);
    if (!names.length) return null;
    var line = el('p', 'mg-filtered');
    line.setAttribute('aria-live', 'polite');
    line.append(el('span', null, t('filtered') + names.join(' · ') + ' · '),
      dom.button('mg-link-btn mg-clear', t('clearShort'), null, function () { stations.clearFilters(); }));
    return line;
  }

  /** The active filters in words, as the chips and the filter sheet name them. */
  function activeNames(stations, t) {
    var f = stations.filters;
    var c = stations.store.cols;
    var chipLabel = {};
    CHIPS.forEach(function (chip) { if (chip[1]) chipLabel[chip[1]] = t(chip[0]); });
    var names = [];
    if (f.openNow) names.push(t('chipOpenNow'));
    if (f.always) names.push(t('filterAlways'));
    f.types.forEach(function (k) { names.push(c.types[k]); });
    f.facilities.forEach(function (k) {
      var name = c.facilities[k];
      names.push(chipLabel[name] || stations.store.facilityLabel(name, stations.details.lang).label);
    });
    return names;
  }

  /** Keep the station layer's filters on this phone (by name). */
  function remember(stations) {
    var f = stations.filters;
    var c = stations.store.cols;
    prefs.save(STORE_AS, {
      openNow: f.openNow, always: f.always,
      types: f.types.map(function (k) { return c.types[k]; }),
      facilities: f.facilities.map(function (k) { return c.facilities[k]; }),
    });
  }

  /** The filters kept on this phone, for this page's stations (names it does not have are dropped), or null. */
  function restore(stations) {
    var saved = prefs.load(STORE_AS);
    if (!saved || typeof saved !== 'object') return null;
    var c = stations.store.cols;
    var f = none();
    f.openNow = saved.openNow === true;
    f.always = saved.always === true;
    f.types = indices(saved.types, c.types);
    f.facilities = indices(saved.facilities, c.facilities);
    return f;
  }

  /** Indices in `names` of the stored names that are there. */
  function indices(stored, names) {
    if (!Array.isArray(stored)) return [];
    return stored.map(function (n) { return names.indexOf(n); }).filter(function (k, at, all) {
      return k >= 0 && all.indexOf(k) === at;
    });
  }

  return { nodes: nodes, remember: remember, restore: restore, copy: copy, NONE: none };
});

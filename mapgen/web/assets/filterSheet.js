/* The filter sheet: open now, open 24 hours, types and facilities as toggles, applied to the station layer.
   Needs: dom. Provides: show(stations, sheet, t) (stations: a station layer; sheet: its map's sheet). */
L.mapgen.define('filterSheet', ['dom'], function (dom) {
  'use strict';

  var el = dom.el;

  /** The filter panel in the sheet; each toggle applies at once. */
  function show(stations, sheet, t) {
    var f = copy(stations.filters);
    var c = stations.store.cols;
    var apply = function () { stations.setFilters(copy(f)); };
    var shown = el('p', 'mg-hint mg-shown', shownText(stations, t));
    var hours = el('div', 'mg-chips');
    hours.append(toggle(t('filterOpenNow'), f.openNow, function (on) { f.openNow = on; apply(); }),
      toggle(t('filterAlways'), f.always, function (on) { f.always = on; apply(); }));
    var facilities = toggleGroup(t('filterFacilities'), c.facilities, f.facilities, apply, function (chip, name) {
      stations.details.labelFacility(chip, name);
    });
    var clear = dom.button('mg-btn', t('clear'), null, function () {
      stations.clearFilters();
      show(stations, sheet, t);
    });
    sheet.show('filters', t('filters'), [shown, hours, toggleGroup(t('filterTypes'), c.types, f.types, apply, null),
      facilities, clear]);
  }

  /** 'Showing n of total stations'. */
  function shownText(stations, t) {
    return t('shown', { n: stations.shownCount(), total: stations.store.stationCount });
  }

  /** A copy of a filter state (the station layer keeps its own). */
  function copy(f) {
    return { facilities: f.facilities.slice(), types: f.types.slice(), openNow: f.openNow, always: f.always };
  }

  /** A heading and one toggle per named value; `chosen` holds the indices switched on; `label(chip, name)`
      fills a chip (by default with the name). */
  function toggleGroup(title, names, chosen, apply, label) {
    var box = el('div', 'mg-filter-group');
    box.appendChild(el('h3', null, title));
    var chips = box.appendChild(el('div', 'mg-chips'));
    names.forEach(function (name, k) {
      if (!name) return;
      var chip = toggle(label ? null : name, chosen.indexOf(k) !== -1, function (on) {
        var at = chosen.indexOf(k);
        if (on && at === -1) chosen.push(k);
        if (!on && at !== -1) chosen.splice(at, 1);
        apply();
      });
      if (label) label(chip, name);
      chips.appendChild(chip);
    });
    return names.some(Boolean) ? box : null;
  }

  /** A chip that switches a filter on and off (its label given, or filled in by the caller). */
  function toggle(label, on, set) {
    var b = dom.button('mg-chip mg-toggle', label, null, function () {
      var now = b.getAttribute('aria-pressed') !== 'true';
      b.setAttribute('aria-pressed', String(now));
      set(now);
    });
    b.setAttribute('aria-pressed', String(on));
    return b;
  }

  return { show: show, shownText: shownText };
});

/* The planners' layer: suggested sites for new stations as numbered squares (1 = best), in the layer switcher as
   "建议新站点" / "Suggested sites". A tap on a site opens its card in the sheet: what it adds, the cumulative
   coverage, the nearest existing station, and the coverage curve by rank (inline SVG, this site marked) with
   how close the suggestions come to the best possible. Every data text goes in as text.
   Needs: i18n, dom, format, sheet, lifecycle, overlays.
   Provides: create(data) -> an L.Layer (data: {lang, totalDemand, shareOfBest, sites: {rank, id, county, lon,
   lat, newly, cumulative, pct, nearest}}, positions in the map's datum), with open(rank).
   Test hook: window.__mapgenTest.suggestions = {layer, open(rank), point(rank) (a marker's drawn centre)}. */
L.mapgen.define('suggestionLayer', ['i18n', 'dom', 'format', 'sheet', 'lifecycle', 'overlays'],
  function (i18n, dom, format, sheets, lifecycle, overlays) {
    'use strict';

    var el = dom.el;
    var SVG = 'http://www.w3.org/2000/svg';
    // The curve's drawing box (viewBox units) and its margins for the axis labels.
    var CURVE = { width: 300, height: 120, left: 42, right: 12, top: 12, bottom: 24 };

    var SuggestionLayer = L.FeatureGroup.extend({
      initialize: function (data) {
        L.FeatureGroup.prototype.initialize.call(this);
        this.data = data;
        this.t = i18n.translator(data.lang);
        this.markers = data.sites.rank.map(this.marker, this);
        this.selected = null;
      },

      /** One numbered square; the better the rank, the higher it lies over the others. */
      marker: function (rank, k) {
        var self = this;
        var s = this.data.sites;
        var width = Math.max(30, 12 + 9 * String(rank).length);
        var marker = L.marker([s.lat[k], s.lon[k]], {
          icon: L.divIcon({ className: 'mg-suggest-icon', html: el('span', 'mg-suggest', rank),
            iconSize: [width, 30], iconAnchor: [width / 2, 15] }),
          title: this.t('suggestionTitle', { n: rank }), riseOnHover: true,
          zIndexOffset: (s.rank.length - k) * 1000,
        });
        marker.on('click', function () { self.open(rank); });
        this.addLayer(marker);
        return marker;
      },

      onAdd: function (map) {
        var self = this;
        L.FeatureGroup.prototype.onAdd.call(this, map);
        if (!this.registered) {
          overlays.add(map, this.t('suggestions'), this);
          this.registered = true;
        }
        lifecycle.expose('suggestions', {
          layer: this,
          open: function (rank) { return self.open(rank); },
          point: function (rank) { return self.drawnPoint(rank); },
        });
      },

      /** Open the card of the site ranked `rank`, keeping the site in view beside the sheet; false if none. */
      open: function (rank) {
        var map = this._map;
        var k = this.data.sites.rank.indexOf(Number(rank));
        if (!map || k < 0) return false;
        var t = this.t;
        this.select(k);
        var sheet = sheets.of(map, t);
        sheet.show('suggestion', t('suggestionTitle', { n: rank }), this.card(k));
        var inset = sheet.insets();
        map.panInside(this.markers[k].getLatLng(), {
          paddingTopLeft: [inset.left + 30, inset.top + 30], paddingBottomRight: [60, inset.bottom + 30],
          animate: false,
        });
        return true;
      },

      /** Mark the open site. */
      select: function (k) {
        var before = this.selected === null ? null : this.markers[this.selected].getElement();
        if (before) L.DomUtil.removeClass(before, 'mg-suggest-selected');
        this.selected = k;
        var icon = this.markers[k].getElement();
        if (icon) L.DomUtil.addClass(icon, 'mg-suggest-selected');
      },

      /** The card of site k: what it adds, cumulative coverage, nearest station, county, the curve. */
      card: function (k) {
        var t = this.t;
        var d = this.data;
        var s = d.sites;
        var nodes = [el('p', 'mg-suggest-adds', t('suggestionAdds', { n: format.number(s.newly[k], 0) }))];
        nodes.push(el('p', 'mg-suggest-line', t('suggestionCumulative', {
          p: format.number(s.pct[k], 1), c: format.number(s.cumulative[k], 0), t: format.number(d.totalDemand, 0),
        })));
        var metres = s.nearest[k];
        nodes.push(el('p', 'mg-suggest-line', metres === null ? t('suggestionNoStation')
          : t('suggestionNearest', { d: format.distance(t, metres) })));
        var facts = el('dl', 'mg-facts');
        if (s.county[k]) facts.append(el('dt', null, t('county')), el('dd', null, s.county[k]));
        if (s.id[k]) facts.append(el('dt', null, t('suggestionCandidate')), el('dd', null, s.id[k]));
        if (facts.firstChild) nodes.push(facts);
        nodes.push(el('p', 'mg-curve-caption', t('suggestionCurve')), this.curve(k));
        if (d.shareOfBest !== null && d.shareOfBest !== undefined) {
          nodes.push(el('p', 'mg-suggest-line mg-suggest-share',
            t('suggestionShare', { p: (d.shareOfBest * 100).toFixed(1) })));
        }
        nodes.push(el('p', 'mg-hint', t('suggestionNote')));
        return nodes;
      },

      /** The cumulative coverage by rank as an inline SVG: a line through every rank, site k marked, and the
          coverage of the existing stations alone as a dashed line (when the figures give it). */
      curve: function (k) {
        var t = this.t;
        var s = this.data.sites;
        var pct = s.pct.map(function (p) { return p === null ? NaN : p; });
        var base = this.existingPct();
        var known = pct.filter(isFinite).concat(base === null ? [] : [base]);
        var lo = known.length ? Math.floor(Math.min.apply(null, known)) : 0;
        var hi = known.length ? Math.ceil(Math.max.apply(null, known)) : 100;
        if (hi <= lo) hi = lo + 1;
        var c = CURVE;
        var w = c.width - c.left - c.right;
        var h = c.height - c.top - c.bottom;
        var x = function (i) { return c.left + (pct.length > 1 ? i * w / (pct.length - 1) : w / 2); };
        var y = function (p) { return c.top + (hi - p) / (hi - lo) * h; };
        var svg = svgNode('svg', { viewBox: '0 0 ' + c.width + ' ' + c.height, class: 'mg-curve', role: 'img',
          'aria-label': t('suggestionCurve') });
        svg.appendChild(svgNode('path', { class: 'mg-curve-axis',
          d: 'M' + c.left + ' ' + c.top + 'V' + (c.top + h) + 'H' + (c.left + w) }));
        if (base !== null) {
          var level = round(y(base));
          svg.appendChild(svgNode('line', { class: 'mg-curve-base', x1: c.left, x2: c.left + w, y1: level,
            y2: level }));
        }
        var points = [];
        pct.forEach(function (p, i) { if (isFinite(p)) points.push(round(x(i)) + ',' + round(y(p))); });
        svg.appendChild(svgNode('polyline', { class: 'mg-curve-line', points: points.join(' ') }));
        pct.forEach(function (p, i) {
          if (!isFinite(p)) return;
          svg.appendChild(svgNode('circle', { class: i === k ? 'mg-curve-here' : 'mg-curve-dot', cx: round(x(i)),
            cy: round(y(p)), r: i === k ? 5 : 2.5 }));
        });
        var label = function (lx, ly, anchor, text) {
          var attributes = { class: 'mg-curve-label', x: round(lx), y: ly, 'text-anchor': anchor };
          svg.appendChild(svgNode('text', attributes, text));
        };
        label(c.left - 4, c.top + 4, 'end', hi + '%');
        label(c.left - 4, c.top + h + 4, 'end', lo + '%');
        label(x(0), c.height - 6, 'middle', '#' + s.rank[0]);
        if (pct.length > 1) label(x(pct.length - 1), c.height - 6, 'middle', '#' + s.rank[pct.length - 1]);
        if (base !== null) label(c.left + w, y(base) - 4, 'end', t('suggestionExisting', { p: base.toFixed(1) }));
        return svg;
      },

      /** The share covered by the existing stations alone (before the first suggestion), or null. */
      existingPct: function () {
        var s = this.data.sites;
        var total = this.data.totalDemand;
        if (!s.rank.length || s.pct[0] === null || s.newly[0] === null || !total) return null;
        return s.pct[0] - s.newly[0] / total * 100;
      },

      /** Where the marker of `rank` is drawn: its icon's centre in the map's container pixels, or null. */
      drawnPoint: function (rank) {
        var k = this.data.sites.rank.indexOf(Number(rank));
        var icon = k < 0 ? null : this.markers[k].getElement();
        if (!icon || !this._map) return null;
        var box = icon.getBoundingClientRect();
        var map = this._map.getContainer().getBoundingClientRect();
        return { x: box.left + box.width / 2 - map.left, y: box.top + box.height / 2 - map.top };
      },
    });

    /** An SVG element with attributes and optional text (as text). */
    function svgNode(tag, attributes, text) {
      var node = document.createElementNS(SVG, tag);
      Object.keys(attributes).forEach(function (name) { node.setAttribute(name, String(attributes[name])); });
      if (text !== undefined) node.textContent = String(text);
      return node;
    }

    function round(value) {
      return Math.round(value * 10) / 10;
    }

    return {
      SuggestionLayer: SuggestionLayer,
      create: function (data) { return new SuggestionLayer(data); },
    };
  });

/* The coverage layer: counties coloured by their covered share (with their figures as tooltips), the service
   area, the service area of the stations open at a time of day (--at), the cross-covered area and the gaps; the
   county table; zooming to a county.
   Needs: i18n, packing, areaLayer, countyLayer, colors, dom, format, sheet, lifecycle, overlays, countyTable.
   Provides: create(data) -> an L.Layer (data: {counties, table, service, cross, gaps, radiusM, minutes,
   speedKmh, focusAdcode, lang; with --at also openArea: {at, shape}; with --network also reach: 'network', bandM
   and attribution, the service area then being the band of reached streets}), with showTable(),
   zoomToCounty(adcode), counties and legendRows(). */
L.mapgen.define('coverageLayer',
  ['i18n', 'packing', 'areaLayer', 'countyLayer', 'colors', 'dom', 'format', 'sheet', 'lifecycle', 'overlays',
    'countyTable'],
  function (i18n, packing, AreaLayer, CountyLayer, colors, dom, format, sheets, lifecycle, overlays, countyTable) {
    'use strict';

    var COLORS = colors.COLORS;

    var CoverageLayer = L.Layer.extend({
      initialize: function (data) {
        var self = this;
        this.data = data;
        // Streets from OpenStreetMap (--network): their licence is credited while the layer is on the map.
        if (data.attribution) L.setOptions(this, { attribution: data.attribution });
        this.t = i18n.translator(data.lang);
        this.counties = data.counties;
        this.parts = [];
        this.table = new countyTable.CountyTable(data, this.t, function (adcode) { self.zoomToCounty(adcode); },
          function () { self.showTable(); });
      },

      /** Added to a map: the areas come once the stations are on screen. */
      onAdd: function (map) {
        var self = this;
        lifecycle.onStart(function () {
          self.sheet = sheets.of(map, self.t);
          lifecycle.afterPaint(function () {
            if (self._map === map) self.addAreas(map);
          });
        });
      },

      onRemove: function (map) {
        this.parts.forEach(function (layer) { layer.remove(); });
        this.parts = [];
        if (this.fade) map.off('zoomend', this.fade);
      },

      /** Counties (shown), service area (shown), open stations' service area, cross-covered area and gaps (in
          the layer switcher). */
      addAreas: function (map) {
        var t = this.t;
        var d = this.data;
        var renderer = L.canvas({ padding: 0.1 });
        var counties = this.countiesLayer(map);
        // A band of streets (--network) is filled only: it is made in tiles whose parts meet along hairline
        // seams, which an outline would draw.
        var edge = d.reach === 'network' ? { opacity: 0 } : {};
        var service = d.service ? new AreaLayer(d.service, L.extend({ color: COLORS.service, fillOpacity: 0.18 }, edge))
          : null;
        var cross = d.cross ? new AreaLayer(d.cross, L.extend({ color: COLORS.cross, fillOpacity: 0.3 }, edge)) : null;
        var open = d.openArea ? new AreaLayer(d.openArea.shape, { color: COLORS.open, fillOpacity: 0.12, opacity: 0.9 })
          : null;
        var gaps = this.gapsLayer(renderer);
        var radius = t('metres', { n: Math.round(d.radiusM) });
        var serviceLabel = d.reach === 'network' ? t('networkArea', { min: d.minutes })
          : t('serviceArea') + ' (' + radius + ')';
        var parts = [
          [counties, t('countyLayer'), true], [service, serviceLabel, true],
          [open, d.openArea && this.openLabel(), false],
          [cross, t('crossArea'), false], [gaps, d.gaps && t(d.gaps.kind === 'points' ? 'gapPoints' : 'gaps'), false],
        ];
        var self = this;
        parts.forEach(function (part) {
          if (!part[0]) return;
          if (part[2]) part[0].addTo(map);
          self.parts.push(part[0]);
          overlays.add(map, part[1], part[0]);
        });
      },

      /** The counties on one canvas, filled by the covered share, with their figures as tooltips. */
      countiesLayer: function (map) {
        var self = this;
        if (!this.counties.length) return null;
        var rows = new Map(this.data.table.map(function (r) { return [r.adcode, r]; }));
        var layer = new CountyLayer(this.counties, {
          fill: function (county) {
            var row = rows.get(county.adcode);
            return colors.coveredColor(row ? row.covered_pct : null);
          },
          tip: function (county) { return countyTable.countyTip(self.t, rows.get(county.adcode), county); },
        });
        this.countyCanvas = layer;
        // Strong colours for the overview, faint ones once streets matter (zoomed in).
        this.fade = function () {
          var zoom = map.getZoom();
          layer.setFillOpacity(zoom <= 9 ? 0.5 : zoom <= 11 ? 0.25 : 0.06);
        };
        map.on('zoomend', this.fade);
        this.fade();
        return layer;
      },

      /** Uncovered areas per county, or uncovered demand points. */
      gapsLayer: function (renderer) {
        var t = this.t;
        var gaps = this.data.gaps;
        if (!gaps) return null;
        if (gaps.kind === 'areas') {
          // The counties less the service area, drawn from shapes the page already has: with the even-odd
          // rule, a place inside a county and the service area is inside two rings and stays unpainted.
          var outline = [].concat.apply([], this.counties.map(function (county) { return county.shape || []; }));
          return new AreaLayer(outline.concat(this.data.service || []),
            { color: COLORS.gap, fillOpacity: 0.2, opacity: 0.6, clip: outline });
        }
        var group = L.featureGroup();
        var style = { renderer: renderer, color: COLORS.gap, weight: 1, fillColor: COLORS.gap, fillOpacity: 0.2 };
        var lon = packing.scaled(packing.undelta(gaps.lon), packing.POINT_SCALE);
        var lat = packing.scaled(packing.undelta(gaps.lat), packing.POINT_SCALE);
        for (var k = 0; k < lon.length; k++) {
          var d = gaps.distance[k];
          var tip = dom.el('div', null, t('gapPoint', {
            county: gaps.county[k], w: format.number(gaps.weight[k], 0), d: d === null ? '–' : format.distance(t, d),
          }));
          group.addLayer(L.circleMarker([lat[k], lon[k]], L.extend({ radius: 4 }, style)).bindTooltip(tip));
        }
        return group;
      },

      /** The sortable county table in the sheet. */
      showTable: function () {
        this.sheet.show('table', this.t('table'), this.table.render());
      },

      /** Fit the map to one county. */
      zoomToCounty: function (adcode) {
        var bounds = this.countyCanvas ? this.countyCanvas.bounds(adcode) : null;
        if (!bounds) return;
        if (dom.isPhone()) this.sheet.hide();
        var inset = this.sheet.insets();
        this._map.fitBounds(bounds, { paddingTopLeft: [inset.left + 10, inset.top + 10] });
      },

      /** The name of the open stations' service area: 'HH:MM 开放站点服务范围'. */
      openLabel: function () {
        var at = this.data.openArea.at;
        return at ? this.t('openArea', { at: at }) : this.t('openAreaNoTime');
      },

      /** The legend's rows for the areas, as [swatch class, label]. */
      legendRows: function () {
        var t = this.t;
        var d = this.data;
        var figures = { r: Math.round(d.radiusM), min: d.minutes, speed: d.speedKmh, band: d.bandM };
        var rows = [['mg-sw-service', t(d.reach === 'network' ? 'networkLegend' : 'serviceLegend', figures)]];
        if (d.openArea) rows.push(['mg-sw-open', this.openLabel()]);
        if (d.cross) rows.push(['mg-sw-cross', t('crossArea') + ': ' + t('crossLegend')]);
        if (d.gaps) {
          rows.push(d.gaps.kind === 'points' ? ['mg-sw-gap-point', t('gapPointsLegend')] : ['mg-sw-gap', t('gapsLegend')]);
        }
        return rows;
      },
    });

    return {
      CoverageLayer: CoverageLayer,
      create: function (data) { return new CoverageLayer(data); },
    };
  });

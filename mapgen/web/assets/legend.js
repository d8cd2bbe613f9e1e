/* The legend, a Leaflet control (collapsed on phones): a swatch and a label per row, and the county colour scale.
   Needs: dom, colors. Provides: control(t, rows, scale) -> an L.Control; rows are [swatch class, label]. */
L.mapgen.define('legend', ['dom', 'colors'], function (dom, colors) {
  'use strict';

  var el = dom.el;

  var LegendControl = L.Control.extend({
    options: { position: 'bottomright' },

    initialize: function (t, rows, scale, options) {
      L.setOptions(this, options);
      this.t = t;
      this.rows = rows;
      this.scale = scale;
    },

    onAdd: function () {
      var box = dom.shield(el('div', 'mg-legend leaflet-bar'));
      var body = this.body();
      body.id = 'mg-legend-body-' + L.stamp(this);
      var toggle = dom.button('mg-legend-toggle', this.t('legend'), null, function () {
        setCollapsed(box, toggle, !box.classList.contains('mg-collapsed'));
      });
      toggle.setAttribute('aria-controls', body.id);
      box.append(toggle, body);
      // Collapsed on phones, where it would cover the map's east side.
      setCollapsed(box, toggle, dom.isPhone());
      return box;
    },

    /** Rows of swatches and labels, then the scale. */
    body: function () {
      var body = el('div', 'mg-legend-body');
      this.rows.forEach(function (r) {
        var line = el('div', 'mg-legend-row');
        line.append(el('span', 'mg-sw ' + r[0]), el('span', null, r[1]));
        body.appendChild(line);
      });
      if (this.scale) body.appendChild(scaleBar(this.t));
      return body;
    },
  });

  /** Open or close the legend, telling screen readers (aria-expanded) and showing it (an arrow). */
  function setCollapsed(box, toggle, collapsed) {
    box.classList.toggle('mg-collapsed', collapsed);
    toggle.setAttribute('aria-expanded', String(!collapsed));
  }

  /** The county colour scale. */
  function scaleBar(t) {
    var box = el('div', 'mg-legend-scale');
    box.appendChild(el('div', 'mg-legend-caption', t('coveredLegend')));
    var bar = el('div', 'mg-scale-bar');
    colors.COVERED_COLORS.forEach(function (color) {
      var cell = el('span', 'mg-scale-cell');
      cell.style.background = color;
      bar.appendChild(cell);
    });
    var ticks = el('div', 'mg-scale-ticks');
    ['0'].concat(colors.COVERED_BREAKS.map(String), ['100%']).forEach(function (label) {
      ticks.appendChild(el('span', null, label));
    });
    box.append(bar, ticks);
    return box;
  }

  return {
    control: function (t, rows, scale) { return new LegendControl(t, rows, scale); },
  };
});

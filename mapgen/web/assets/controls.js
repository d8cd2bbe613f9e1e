/* The map's Leaflet controls in the page's language, made for a thumb: zoom buttons with titles, the layer
   switcher, the metric scale bar (米/公里) and the attribution prefix.
   The layer switcher keeps its toggle at the top of the open list (Leaflet hides it, so on a phone a second tap
   meant to close the list landed on its first row and switched the stations off): a tap on the toggle now
   opens or closes it, and the tap on the map that closes it is swallowed, so it does not also ask for the
   stations nearest that place.
   Needs: dom. Provides: add(map, t) -> the layer switcher (an L.Control.Layers). */
L.mapgen.define('controls', ['dom'], function (dom) {
  'use strict';

  var EXPANDED = 'leaflet-control-layers-expanded';

  /** A layer switcher whose toggle says whether it is open (aria-expanded) and closes it on a second tap. */
  var Layers = L.Control.Layers.extend({
    expand: function () {
      L.Control.Layers.prototype.expand.call(this);
      this.syncToggle();
      return this;
    },

    collapse: function () {
      L.Control.Layers.prototype.collapse.call(this);
      this.syncToggle();
      return this;
    },

    /** Whether the list is open. */
    isOpen: function () {
      return Boolean(this._container) && L.DomUtil.hasClass(this._container, EXPANDED);
    },

    /** aria-expanded of the toggle, once it exists. */
    syncToggle: function () {
      var toggle = this._container && this._container.querySelector('.leaflet-control-layers-toggle');
      if (toggle) toggle.setAttribute('aria-expanded', String(this.isOpen()));
    },
  });

  /** Name the toggle, and make a press on it close an open list (the state is read at the press: on touch
      screens Leaflet opens the list on the emulated mouseenter that comes before the click). */
  function touchToggle(control, t) {
    var box = control.getContainer();
    var toggle = box.querySelector('.leaflet-control-layers-toggle');
    toggle.title = t('layers');
    toggle.setAttribute('aria-label', t('layers'));
    toggle.appendChild(dom.el('span', 'mg-layers-close', t('layersClose')));
    control.syncToggle();
    var openAtPress = false;
    var press = function (e) {
      if (e.type === 'keydown' && e.key !== 'Enter' && e.key !== ' ') return;
      // A mouse opens the list by hovering and closes it by leaving: its click on the toggle only opens.
      openAtPress = e.pointerType !== 'mouse' && control.isOpen();
    };
    // Capture phase: the press is seen before Leaflet's own handlers on the toggle open the list.
    box.addEventListener('pointerdown', press, true);
    box.addEventListener('keydown', press, true);
    toggle.addEventListener('click', function (e) {
      e.preventDefault();
      if (openAtPress) control.collapse();
      openAtPress = false;
    });
  }

  /** Swallow the click on the map that closes an open layer list: it must not also fire a nearest search. */
  function guardMapClicks(map, control) {
    var container = map.getContainer();
    var openAtPress = false;
    container.addEventListener('pointerdown', function () { openAtPress = control.isOpen(); }, true);
    container.addEventListener('click', function (e) {
      var wasOpen = openAtPress || control.isOpen();
      openAtPress = false;
      if (!wasOpen || control.getContainer().contains(e.target)) return;
      if (e.target.closest && e.target.closest('.leaflet-control')) return;
      e.stopPropagation();
      control.collapse();
    }, true);
  }

  /** The metric scale bar, its units in the page's language. */
  var Scale = L.Control.Scale.extend({
    _updateScale: function (scale, text, ratio) {
      var t = this.options.t;
      var local = text.replace(/^(\S+) km$/, function (all, n) { return t('kilometres', { n: n }); })
        .replace(/^(\S+) m$/, function (all, n) { return t('metres', { n: n }); });
      L.Control.Scale.prototype._updateScale.call(this, scale, local, ratio);
    },
  });

  /** The attribution's prefix: the Leaflet link, with a tooltip in the page's language. */
  function prefix(t) {
    var a = dom.el('a', null, 'Leaflet');
    a.href = 'https://leafletjs.com';
    a.title = t('leafletTitle');
    return a.outerHTML;
  }

  /** Add zoom, layer switcher and scale to the map, in the page's language; returns the layer switcher. */
  function add(map, t) {
    L.control.zoom({ position: 'topright', zoomInTitle: t('zoomIn'), zoomOutTitle: t('zoomOut') }).addTo(map);
    var layers = new Layers(null, null, { position: 'topright', collapsed: true }).addTo(map);
    touchToggle(layers, t);
    guardMapClicks(map, layers);
    var scale = new Scale({ imperial: false, position: 'bottomleft', t: t }).addTo(map);
    scale.getContainer().title = t('scale');
    if (map.attributionControl) map.attributionControl.setPrefix(prefix(t));
    return layers;
  }

  return { add: add };
});

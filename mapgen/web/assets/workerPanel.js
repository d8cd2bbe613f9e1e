/* The worker's panel: the page's top bar (title, filters, county table, search, sample banner, notices), the big
   "find the nearest station" button and what it does when location fails, the first view, the map's controls
   and legend, and the basemap watch.
   Needs: i18n, dom, sheet, lifecycle, overlays, legend, search, filterSheet, controls.
   Provides: create(data, map, stations, coverage) (data: {title, lang, sample, bounds}; stations: a station
   layer; coverage: a coverage layer or null). */
L.mapgen.define('workerPanel',
  ['i18n', 'dom', 'sheet', 'lifecycle', 'overlays', 'legend', 'search', 'filterSheet', 'controls'],
  function (i18n, dom, sheets, lifecycle, overlays, legend, search, filterSheet, controls) {
    'use strict';

    var el = dom.el;
    var SEARCH_DELAY_MS = 200;
    var TILE_FAILURES = 4;
    var COARSE_M = 1000; // a fix less precise than this is shown as approximate
    var STALE_MS = 2 * 60 * 1000; // a fix older than this (a phone's cached position) is shown as old
    // PositionError codes (1 refused, 2 unavailable, 3 timed out) to the message saying what to do.
    var FAILURES = { 1: 'denied', 2: 'unavailable', 3: 'timeout' };
    var RETRYABLE = { denied: true, unavailable: true, timeout: true }; // not insecure, unsupported: no use
    var MESSAGES = {
      denied: 'locateDenied', unavailable: 'locateUnavailable', timeout: 'locateTimeout', insecure: 'locateInsecure',
      unsupported: 'locateUnsupported',
    };

    /** Build the panel on the page and fit the first view. */
    function WorkerPanel(data, map, stations, coverage) {
      this.data = data;
      this.map = map;
      this.stations = stations;
      this.coverage = coverage;
      this.t = i18n.translator(data.lang);
      this.sheet = sheets.of(map, this.t);
      document.documentElement.lang = data.lang === 'en' ? 'en' : 'zh-CN';
      this.build();
      this.armPicking();
      this.measure();
      this.fitStart();
      this.watchTiles();
      this.listen();
      var self = this;
      lifecycle.onStart(function () {
        map.attributionControl.addAttribution(self.t('sourceCounties'));
        map.attributionControl.addAttribution(self.t('sourceStations'));
        lifecycle.afterPaint(function () { self.addControls(); });
      });
    }

    /** The top bar and the locate button. */
    WorkerPanel.prototype.build = function () {
      var self = this;
      var t = this.t;
      this.top = el('header', 'mg-top');
      var row = el('div', 'mg-top-row');
      this.filterButton = dom.button('mg-tool', t('filters'), 'filter', function () {
        filterSheet.show(self.stations, self.sheet, t);
      });
      this.filterButton.setAttribute('aria-label', t('filters'));
      row.append(el('h1', 'mg-title', this.data.title), this.filterButton);
      if (this.coverage) {
        var tableButton = dom.button('mg-tool', t('tableButton'), 'table', function () { self.coverage.showTable(); });
        tableButton.setAttribute('aria-label', t('table'));
        row.appendChild(tableButton);
      }
      this.search = el('input', 'mg-search');
      this.search.type = 'search';
      this.search.placeholder = t('search');
      this.search.setAttribute('aria-label', t('search'));
      this.top.append(row, this.search);
      if (this.data.sample) this.top.appendChild(el('div', 'mg-sample', t('sample')));
      this.notice = el('div', 'mg-notice');
      this.notice.hidden = true;
      this.pickBar = el('div', 'mg-pick');
      this.pickBar.setAttribute('role', 'status');
      this.pickBar.hidden = true;
      this.top.append(this.notice, this.pickBar);
      this.locate = dom.button('mg-locate', t('locate'), 'locate', function () { self.findNearest(); });
      // For keyboards and phones without GPS; shown when focused (a tap on the map does the same by touch).
      this.centre = dom.button('mg-centre', t('nearestCentre'), null, function () { self.nearestToCentre(); });
      // The header and the locate buttons come first in the page, so first in tab order (before the map's
      // controls, which live inside the map).
      document.body.insertBefore(this.top, document.body.firstChild);
      this.top.after(this.locate, this.centre);
      var container = this.map.getContainer();
      container.setAttribute('role', 'region');
      container.setAttribute('aria-label', t('mapLabel'));
    };

    /** Publish the top bar's height as --mg-top, which places the controls and the side panel below it. */
    WorkerPanel.prototype.measure = function () {
      document.documentElement.style.setProperty('--mg-top', this.top.offsetHeight + 'px');
    };

    /** The first view: the counties in scope (one county with --county), else the stations. */
    WorkerPanel.prototype.fitStart = function () {
      if (!this.data.bounds) return;
      var phone = dom.isPhone();
      var top = this.top.offsetHeight;
      this.map.fitBounds(this.data.bounds, {
        paddingTopLeft: phone ? [8, top + 8] : [Math.min(400, this.map.getSize().x / 3), 8],
        paddingBottomRight: phone ? [8, 90] : [8, 8], animate: false,
      });
    };

    /** When the basemap keeps failing (offline) the page says so and keeps working. */
    WorkerPanel.prototype.watchTiles = function () {
      var self = this;
      var failed = 0;
      var loaded = 0;
      var watch = function (layer) {
        if (!(layer instanceof L.TileLayer)) return;
        layer.on('tileload', function () { loaded++; });
        layer.on('tileerror', function () {
          failed++;
          if (failed === TILE_FAILURES && loaded === 0) self.showNotice(self.t('tilesFailed'));
        });
      };
      this.map.eachLayer(watch);
      this.map.on('layeradd', function (e) { watch(e.layer); });
    };

    /** Show a short message in the top bar until closed. */
    WorkerPanel.prototype.showNotice = function (text) {
      var self = this;
      var close = dom.button('mg-close', null, 'close', function () {
        self.notice.hidden = true;
        self.measure();
      });
      close.setAttribute('aria-label', this.t('close'));
      close.title = this.t('close');
      dom.setChildren(this.notice, [el('span', null, text), close]);
      this.notice.hidden = false;
      this.measure();
    };

    /** Search typing, filter changes, window resizing. */
    WorkerPanel.prototype.listen = function () {
      var self = this;
      var timer = null;
      var showSearch = function () { search.show(self.search.value, self.stations, self.coverage, self.sheet, self.t); };
      this.search.addEventListener('input', function () {
        clearTimeout(timer);
        timer = setTimeout(showSearch, SEARCH_DELAY_MS);
      });
      this.search.addEventListener('keydown', function (e) {
        if (e.key === 'Enter') showSearch();
      });
      this.stations.on('filterchange', function () {
        self.filterButton.classList.toggle('mg-active', Boolean(self.stations.accept));
        var shown = self.sheet.body.querySelector('.mg-shown');
        if (shown) shown.textContent = filterSheet.shownText(self.stations, self.t);
      });
      window.addEventListener('resize', function () { self.measure(); });
    };

    /** Ask the phone for its position (WGS-84), then show the nearest stations; on failure, say what to do. */
    WorkerPanel.prototype.findNearest = function () {
      var self = this;
      var t = this.t;
      if (this.locating) return;
      this.stopPicking();
      // Browsers refuse location to pages over plain http: say so at once rather than after a failure.
      if (window.isSecureContext === false) {
        this.locateFailed('insecure');
        return;
      }
      if (!navigator.geolocation) {
        this.locateFailed('unsupported');
        return;
      }
      this.setLocating(true);
      this.sheet.show('locating', t('locating'), [el('p', 'mg-hint', t('tapHint'))]);
      navigator.geolocation.getCurrentPosition(function (pos) {
        self.setLocating(false);
        self.located(pos);
      }, function (err) {
        self.setLocating(false);
        self.locateFailed(FAILURES[err && err.code] || 'unavailable');
      }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
    };

    /** The locate button while the phone locates: its text says so and it is marked busy. */
    WorkerPanel.prototype.setLocating = function (on) {
      this.locating = on;
      this.locate.querySelector('span').textContent = this.t(on ? 'locating' : 'locate');
      this.locate.setAttribute('aria-busy', String(on));
      this.locate.classList.toggle('mg-busy', on);
    };

    /** The nearest stations to a fix; a coarse or old fix is said to be one under the sheet's heading. */
    WorkerPanel.prototype.located = function (pos) {
      var t = this.t;
      var c = pos.coords;
      this.stations.showNearest(c.latitude, c.longitude, true);
      var notes = [];
      if (c.accuracy > COARSE_M) {
        var km = c.accuracy / 1000;
        notes.push(t('fixCoarse', { d: t('kilometres', { n: km < 10 ? km.toFixed(1) : Math.round(km) }) }));
      }
      var age = Date.now() - pos.timestamp;
      if (age > STALE_MS) notes.push(t('fixStale', { n: Math.round(age / 60000) }));
      if (notes.length && this.sheet.mode === 'nearest') this.sheet.note(notes.join(' '));
    };

    /** Location failed (kind: denied, unavailable, timeout, insecure, unsupported): what to do, a retry where
        it can help, choosing the place on the map, or the nearest to the map's centre. Never the browser's own
        (English) error text. */
    WorkerPanel.prototype.locateFailed = function (kind) {
      var self = this;
      var t = this.t;
      var actions = el('div', 'mg-actions mg-fail-actions');
      if (RETRYABLE[kind]) {
        actions.appendChild(dom.button('mg-btn mg-primary mg-retry', t('retry'), 'locate', function () {
          self.findNearest();
        }));
      }
      actions.append(
        dom.button('mg-btn mg-pick-button', t('pickOnMap'), null, function () { self.startPicking(); }),
        dom.button('mg-btn mg-centre-button', t('nearestCentre'), null, function () { self.nearestToCentre(); }));
      var message = el('p', 'mg-hint mg-locate-message', t(MESSAGES[kind]));
      message.setAttribute('data-reason', kind);
      this.sheet.show('locate-failed', t('locateFailedTitle'), [message, actions]);
    };

    /** The stations nearest the centre of the visible map (the part not under the top bar or the sheet). */
    WorkerPanel.prototype.nearestToCentre = function () {
      this.stopPicking();
      var size = this.map.getSize();
      var inset = this.sheet.insets();
      var point = L.point((size.x + inset.left) / 2, (size.y + inset.top - inset.bottom) / 2);
      this.stations.nearestFromMap(this.map.containerPointToLatLng(point));
    };

    /** Choose the place on the map: the sheet makes way, and the next tap on the map shows the nearest. */
    WorkerPanel.prototype.startPicking = function () {
      var self = this;
      this.picking = true;
      this.sheet.hide();
      var cancel = dom.button('mg-btn mg-pick-cancel', this.t('cancel'), null, function () { self.stopPicking(); });
      dom.setChildren(this.pickBar, [el('span', null, this.t('pickHint')), cancel]);
      this.pickBar.hidden = false;
      this.map.getContainer().classList.add('mg-picking');
      this.measure();
    };

    /** Stop choosing on the map (cancelled, done, or another way to locate was taken). */
    WorkerPanel.prototype.stopPicking = function () {
      if (!this.picking) return;
      this.picking = false;
      this.pickBar.hidden = true;
      this.map.getContainer().classList.remove('mg-picking');
      this.measure();
    };

    /** While choosing, the next tap on the map (not on a control, not the end of a drag) shows the nearest
        stations from there, even on a station; it is taken before Leaflet sees it (capture phase). */
    WorkerPanel.prototype.armPicking = function () {
      var self = this;
      var map = this.map;
      map.getContainer().addEventListener('click', function (e) {
        if (!self.picking || (e.target.closest && e.target.closest('.leaflet-control'))) return;
        if (map.dragging && map.dragging.moved()) return;
        e.stopPropagation();
        self.stopPicking();
        self.stations.nearestFromMap(map.mouseEventToLatLng(e));
      }, true);
      // A long press shows the nearest by itself (the station layer's): the choice is made then too.
      map.on('contextmenu', function () { self.stopPicking(); });
      document.addEventListener('keydown', function (e) {
        if (e.key === 'Escape' || e.key === 'Esc') self.stopPicking();
      });
    };

    /** Zoom buttons, layer switcher (every overlay, as it comes), metric scale bar and legend. */
    WorkerPanel.prototype.addControls = function () {
      var t = this.t;
      var switcher = controls.add(this.map, t);
      overlays.watch(this.map, function (label, layer) { switcher.addOverlay(layer, label); });
      var rows = [['mg-sw-station', t('station')], ['mg-sw-office', t('office')], ['mg-sw-cluster', t('cluster')]];
      var coverage = this.coverage;
      if (coverage) rows = rows.concat(coverage.legendRows());
      legend.control(t, rows, Boolean(coverage && coverage.counties.length)).addTo(this.map);
    };

    return {
      WorkerPanel: WorkerPanel,
      create: function (data, map, stations, coverage) { return new WorkerPanel(data, map, stations, coverage); },
    };
  });

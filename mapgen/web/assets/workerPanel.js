/* The worker's panel: the page's top bar (title, filters, county table, search, sample banner, notices), the big
   "find the nearest station" button, the first view, the map's controls and legend, and the basemap watch.
   Needs: i18n, dom, sheet, lifecycle, overlays, legend, search, filterSheet.
   Provides: create(data, map, stations, coverage) (data: {title, lang, sample, bounds}; stations: a station
   layer; coverage: a coverage layer or null). */
L.mapgen.define('workerPanel', ['i18n', 'dom', 'sheet', 'lifecycle', 'overlays', 'legend', 'search', 'filterSheet'],
  function (i18n, dom, sheets, lifecycle, overlays, legend, search, filterSheet) {
    'use strict';

    var el = dom.el;
    var SEARCH_DELAY_MS = 200;
    var TILE_FAILURES = 4;

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
      this.top.appendChild(this.notice);
      this.locate = dom.button('mg-locate', t('locate'), 'locate', function () { self.findNearest(); });
      document.body.append(this.top, this.locate);
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
      dom.setChildren(this.notice, [el('span', null, text), dom.button('mg-close', null, 'close', function () {
        self.notice.hidden = true;
        self.measure();
      })]);
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

    /** Ask the phone for its position (WGS-84), then show the nearest stations. */
    WorkerPanel.prototype.findNearest = function () {
      var self = this;
      var t = this.t;
      if (!navigator.geolocation) {
        this.locateFailed(t('locateUnsupported'));
        return;
      }
      this.sheet.show('locating', t('locating'), [el('p', 'mg-hint', t('tapHint'))]);
      navigator.geolocation.getCurrentPosition(function (pos) {
        self.stations.showNearest(pos.coords.latitude, pos.coords.longitude, true);
      }, function (err) {
        self.locateFailed(err.message || String(err.code));
      }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
    };

    WorkerPanel.prototype.locateFailed = function (reason) {
      this.sheet.show('locate-failed', this.t('locate'), [el('p', 'mg-hint', this.t('locateFailed', { reason: reason }))]);
    };

    /** Zoom buttons, layer switcher (every overlay, as it comes), metric scale bar and legend. */
    WorkerPanel.prototype.addControls = function () {
      var t = this.t;
      L.control.zoom({ position: 'topright' }).addTo(this.map);
      var switcher = L.control.layers(null, null, { position: 'topright', collapsed: true }).addTo(this.map);
      overlays.watch(this.map, function (label, layer) { switcher.addOverlay(layer, label); });
      L.control.scale({ imperial: false, position: 'bottomleft' }).addTo(this.map);
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
